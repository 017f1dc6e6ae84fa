/**
 * Names and settings of the JetStream streams that carry the scale-out pipeline:
 *
 *   gateways ──► <P>_EVENTS   (<p>.events.<shard>, msg id = event id)
 *   feature workers ──► <P>_FEATURES (<p>.features.<shard>, batches keyed by events-stream seq)
 *   campaign stage ──► <P>_LINKS (<p>.links.<partition>: key joins, partitioned by shared-signal key)
 *   linking stage  ──► <P>_LINK_REPLIES (<p>.linkreplies: who carried each key before)
 *   campaign stage ──► <P>_DECISIONS (<p>.decisions) ──► gateways' enforcement tables
 *
 * A prefix keeps deployments (and concurrent test runs) on one server apart.
 */
import type { JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

export interface Topology {
  prefix: string;
  shards: number;
  eventsStream: string;
  featuresStream: string;
  decisionsStream: string;
  linksStream: string;
  linkRepliesStream: string;
  eventSubject(shard: number): string;
  featureSubject(shard: number): string;
  /** Key joins of one key partition (as many partitions as shards). */
  linkSubject(partition: number): string;
  linkRepliesSubject: string;
  decisionsSubject: string;
  /** Durable consumer name of the feature stage for one subject shard. */
  featureConsumer(shard: number): string;
}

/** Header naming what a message on the events stream carries. */
export const KIND_HEADER = 'dg-kind';
/** Gateway that published an event or watermark (scale-out event-time ordering). */
export const PUBLISHER_HEADER = 'dg-pub';
/** That gateway's event-time watermark (ms) when it published: its later events have ts >= it. */
export const WATERMARK_HEADER = 'dg-wm';
export type MessageKind = 'event' | 'account' | 'watermark';

/**
 * The stream and subject names for `prefix` (letters, digits, `-`, `_`).
 *
 * @example
 * topology('dg', 16).eventSubject(3); // 'dg.events.3'
 */
export function topology(prefix: string, shards: number): Topology {
  if (!/^[A-Za-z0-9_-]+$/.test(prefix)) {
    throw new Error(`bus prefix must be letters, digits, - or _ (got "${prefix}")`);
  }
  if (!Number.isInteger(shards) || shards < 1 || shards > 1024) {
    throw new Error(`bus shards must be an integer in 1..1024 (got ${shards})`);
  }
  const P = prefix.toUpperCase().replaceAll('-', '_');
  return {
    prefix,
    shards,
    eventsStream: `${P}_EVENTS`,
    featuresStream: `${P}_FEATURES`,
    decisionsStream: `${P}_DECISIONS`,
    linksStream: `${P}_LINKS`,
    linkRepliesStream: `${P}_LINK_REPLIES`,
    eventSubject: (shard) => `${prefix}.events.${shard}`,
    featureSubject: (shard) => `${prefix}.features.${shard}`,
    linkSubject: (partition) => `${prefix}.links.${partition}`,
    linkRepliesSubject: `${prefix}.linkreplies`,
    decisionsSubject: `${prefix}.decisions`,
    featureConsumer: (shard) => `${prefix}-features-${shard}`,
  };
}

export interface StreamLimits {
  /** How long messages are kept: also the bound of the campaign stage's rebuild replay. */
  maxAgeMs: number;
  /** JetStream de-duplication window for message ids. */
  duplicateWindowMs: number;
}

export const DEFAULT_LIMITS: StreamLimits = { maxAgeMs: 7 * 24 * 3600_000, duplicateWindowMs: 10 * 60_000 };

/**
 * Creates the streams if missing (idempotent; an existing stream is left as it is).
 *
 * @example
 * await ensureStreams(await jetstreamManager(nc), topology('dg', 16));
 */
export async function ensureStreams(
  jsm: JetStreamManager,
  t: Topology,
  limits: StreamLimits = DEFAULT_LIMITS,
): Promise<void> {
  const specs: Array<[string, string]> = [
    [t.eventsStream, `${t.prefix}.events.*`],
    [t.featuresStream, `${t.prefix}.features.*`],
    [t.linksStream, `${t.prefix}.links.*`],
    [t.linkRepliesStream, t.linkRepliesSubject],
    [t.decisionsStream, t.decisionsSubject],
  ];
  for (const [name, subject] of specs) {
    try {
      await jsm.streams.info(name);
    } catch {
      await jsm.streams.add({
        name,
        subjects: [subject],
        max_age: nanos(limits.maxAgeMs),
        duplicate_window: nanos(limits.duplicateWindowMs),
      });
    }
  }
}

/**
 * Deletes the streams (tests and `bench/bus.ts` clean up after themselves).
 *
 * @example
 * await deleteStreams(jsm, topology('dg-test-1', 4));
 */
export async function deleteStreams(jsm: JetStreamManager, t: Topology): Promise<void> {
  for (const name of [
    t.eventsStream,
    t.featuresStream,
    t.linksStream,
    t.linkRepliesStream,
    t.decisionsStream,
  ]) {
    try {
      await jsm.streams.delete(name);
    } catch {
      // Already gone.
    }
  }
}
