/**
 * The campaign stage's checkpoint files in its `--checkpoint` directory:
 *
 * - `campaign-stage.snap`: the detector snapshot plus everything the stage needs to continue
 *   where it stopped — the events-stream sequence the state covers, the features-stream
 *   sequence to read from, the idempotency window, the decisions so far and those not yet
 *   confirmed stored. A restart restores it and reads only features after it.
 * - `campaign-stage.json`: the position alone (as older builds wrote it), the fallback when the
 *   snapshot is missing or cannot be used: then the state is rebuilt by replaying the features
 *   stream and decisions up to the position are not republished.
 *
 * The snapshot file is the magic `DGSTAGE1` and the deflated V8 serialisation of `StageCheckpoint`.
 * Both are written to a temporary file and renamed, so a crash mid-write leaves the previous
 * checkpoint whole; the snapshot is renamed first, so the position never runs ahead of it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Decision } from '../contract/types.js';
import { atomicWrite, readIfPresent } from './atomic-file.js';
import type { EventTimeState } from './event-time-order.js';

export const POSITION_FILE = 'campaign-stage.json';
export const SNAPSHOT_FILE = 'campaign-stage.snap';
const MAGIC = Buffer.from('DGSTAGE1', 'latin1');

/** What older builds checkpointed, and the replay fallback's position. */
export interface StagePosition {
  stream: string;
  lastSeq: number;
  processed: number;
  savedAt: string;
}

/** Counters the stage reports, carried across a restart so they count the whole stream. */
export interface StageCounters {
  processed: number;
  accounts: number;
  duplicates: number;
  skipped: number;
  decisionsPublished: number;
}

export interface StageCheckpoint extends StagePosition {
  /** Features-stream sequence from which every feature message after `lastSeq` is found. */
  featuresSeq: number;
  counters: StageCounters;
  /** Idempotency window: event ids processed, oldest first. */
  seen: string[];
  /** Every decision made so far (the report's list). */
  decisions: Decision[];
  /** Decisions whose publish was not confirmed yet, by message id; republished on restore. */
  unconfirmed: Array<[string, Decision]>;
  /** `Detector.snapshot()` bytes. */
  detector: Uint8Array;
  /** Publishers' watermarks and the release point of the event-time order (event-time-order.ts). */
  eventTime?: EventTimeState;
  /** Last step id the linking stage answered (link-client.ts). */
  linkId: number;
  /** Link-replies-stream sequence to resume reading at. */
  repliesSeq: number;
}

/** What a checkpoint directory holds for a stream, and why its snapshot could not be used. */
export interface SavedStage {
  checkpoint?: StageCheckpoint;
  position?: StagePosition;
  /** Set when a snapshot file exists but cannot be used. */
  snapshotProblem?: string;
}

/**
 * Writes the snapshot, then the position, each atomically (write + rename).
 *
 * @example
 * writeStageCheckpoint('ckpt', checkpoint);
 */
export function writeStageCheckpoint(dir: string, cp: StageCheckpoint): void {
  mkdirSync(dir, { recursive: true });
  // Deflated: the idempotency window (up to a million similar ids) is most of the bytes and shrinks ~7×.
  atomicWrite(join(dir, SNAPSHOT_FILE), Buffer.concat([MAGIC, deflateRawSync(serialize(cp), { level: 1 })]));
  const position: StagePosition = {
    stream: cp.stream,
    lastSeq: cp.lastSeq,
    processed: cp.processed,
    savedAt: cp.savedAt,
  };
  atomicWrite(join(dir, POSITION_FILE), `${JSON.stringify(position)}\n`);
}

/**
 * Reads a checkpoint directory for `stream`. A position of another stream is an error (the
 * directory belongs to another deployment); a snapshot that cannot be read is reported in
 * `snapshotProblem`, so the caller can fall back to the position.
 *
 * @example
 * const saved = readStageCheckpoint('ckpt', 'DG_EVENTS');
 * if (saved.checkpoint) resumeFrom(saved.checkpoint);
 */
export function readStageCheckpoint(dir: string | undefined, stream: string): SavedStage {
  if (dir === undefined) return {};
  const saved: SavedStage = {};
  const positionPath = join(dir, POSITION_FILE);
  const text = readIfPresent(positionPath)?.toString('utf8');
  if (text !== undefined) {
    let parsed: Partial<StagePosition>;
    try {
      parsed = JSON.parse(text) as Partial<StagePosition>;
    } catch {
      throw new Error(`${positionPath}: not JSON (a campaign-stage checkpoint was expected)`);
    }
    if (parsed.stream !== stream || typeof parsed.lastSeq !== 'number') {
      throw new Error(`${positionPath}: not a checkpoint of stream ${stream}`);
    }
    saved.position = parsed as StagePosition;
  }
  const snapshotPath = join(dir, SNAPSHOT_FILE);
  const bytes = readIfPresent(snapshotPath);
  if (bytes === undefined) return saved;
  try {
    saved.checkpoint = parseCheckpoint(bytes, stream);
  } catch (error) {
    saved.snapshotProblem = `${snapshotPath}: ${(error as Error).message}`;
  }
  return saved;
}

function parseCheckpoint(bytes: Buffer, stream: string): StageCheckpoint {
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new Error('not a campaign-stage snapshot (bad magic bytes)');
  }
  let cp: Partial<StageCheckpoint>;
  try {
    cp = deserialize(inflateRawSync(bytes.subarray(MAGIC.length))) as Partial<StageCheckpoint>;
  } catch (error) {
    throw new Error(`corrupt: ${(error as Error).message}`);
  }
  if (cp.stream !== stream) throw new Error(`a snapshot of stream ${String(cp.stream)}, not ${stream}`);
  const whole =
    typeof cp.lastSeq === 'number' &&
    typeof cp.featuresSeq === 'number' &&
    typeof cp.counters === 'object' &&
    Array.isArray(cp.seen) &&
    Array.isArray(cp.decisions) &&
    Array.isArray(cp.unconfirmed) &&
    typeof cp.linkId === 'number' &&
    typeof cp.repliesSeq === 'number' &&
    cp.detector instanceof Uint8Array;
  if (!whole) throw new Error('incomplete campaign-stage snapshot');
  return cp as StageCheckpoint;
}
