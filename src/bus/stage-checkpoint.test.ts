import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  POSITION_FILE,
  readStageCheckpoint,
  SNAPSHOT_FILE,
  type StageCheckpoint,
  writeStageCheckpoint,
} from './stage-checkpoint.js';

const checkpoint = (lastSeq: number): StageCheckpoint => ({
  stream: 'DG_EVENTS',
  lastSeq,
  processed: lastSeq - 2,
  savedAt: '2026-12-04T19:00:00.000Z',
  featuresSeq: 40,
  counters: { processed: lastSeq - 2, accounts: 2, duplicates: 0, skipped: 0, decisionsPublished: 1 },
  seen: ['e1', 'e2'],
  decisions: [],
  unconfirmed: [],
  detector: new Uint8Array([1, 2, 3]),
  linkId: 7,
  repliesSeq: 12,
});

describe('campaign-stage checkpoint files', () => {
  it('round-trips the snapshot and writes the position beside it, leaving no temporary files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-stage-ckpt-'));
    writeStageCheckpoint(dir, checkpoint(10));
    writeStageCheckpoint(dir, checkpoint(12));
    const saved = readStageCheckpoint(dir, 'DG_EVENTS');
    expect(saved.checkpoint?.lastSeq).toBe(12);
    expect(saved.checkpoint?.seen).toEqual(['e1', 'e2']);
    expect([...(saved.checkpoint?.detector ?? [])]).toEqual([1, 2, 3]);
    expect(saved.position).toEqual({
      stream: 'DG_EVENTS',
      lastSeq: 12,
      processed: 10,
      savedAt: '2026-12-04T19:00:00.000Z',
    });
    expect(saved.snapshotProblem).toBeUndefined();
    expect(existsSync(join(dir, `${SNAPSHOT_FILE}.tmp`))).toBe(false);
    expect(existsSync(join(dir, `${POSITION_FILE}.tmp`))).toBe(false);
  });

  it('reports an unusable snapshot but keeps the position for the replay fallback', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-stage-ckpt-'));
    writeStageCheckpoint(dir, checkpoint(10));
    const bytes = readFileSync(join(dir, SNAPSHOT_FILE));
    writeFileSync(join(dir, SNAPSHOT_FILE), bytes.subarray(0, 20));
    const saved = readStageCheckpoint(dir, 'DG_EVENTS');
    expect(saved.checkpoint).toBeUndefined();
    expect(saved.position?.lastSeq).toBe(10);
    expect(saved.snapshotProblem).toMatch(/campaign-stage\.snap: corrupt: /);
  });

  it('refuses a directory of another deployment and says which stream it holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-stage-ckpt-'));
    writeStageCheckpoint(dir, checkpoint(10));
    expect(() => readStageCheckpoint(dir, 'OTHER_EVENTS')).toThrow(
      `${join(dir, POSITION_FILE)}: not a checkpoint of stream OTHER_EVENTS`,
    );
  });

  it('treats a missing directory as no checkpoint', () => {
    expect(readStageCheckpoint(join(tmpdir(), 'dg-no-such-dir-4711'), 'DG_EVENTS')).toEqual({});
    expect(readStageCheckpoint(undefined, 'DG_EVENTS')).toEqual({});
  });
});
