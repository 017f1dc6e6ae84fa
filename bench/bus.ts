/**
 * Events/s through the scale-out pipeline on the machine's NATS JetStream, with 1 and 2 detector
 * workers (separate processes: `distillguard detector --role worker --shard i/n`: feature stage
 * and linking stage for their share). For each worker count: a fresh stream prefix; the events
 * and accounts of a `simulate` output published by the NATS bus (publish rate); the feature stage
 * timed from its first feature message until every events-stream message has one (worker
 * start-up excluded); then the campaign stage over the finished features stream, its key joins
 * answered by the workers' linking stage (its ceiling, which is also its rebuild speed). Stages
 * run one after the other so they do not share the 2 cores. Streams are deleted afterwards.
 *
 * Usage: npx tsx bench/bus.ts [simulate-dir] [--rounds N]
 *   (without a dir: simulate seed 7, scale 0.0003, 1 day, deepseek+hydra into a temp dir)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { startCampaignStage } from '../src/bus/campaign-stage.js';
import { createNatsBus } from '../src/bus/nats.js';
import { connectForTest, NATS_URL, uniquePrefix } from '../src/bus/test-helpers/nats.js';
import { deleteStreams, topology } from '../src/bus/topology.js';
import { openAccounts, openEvents } from '../src/contract/read-jsonl.js';
import type { AccountRecord, ExchangeEvent } from '../src/contract/types.js';
import { simulate } from '../src/sim/simulate.js';
import { reportErrors } from './script-errors.js';

reportErrors(import.meta.url);

const SHARDS = 16;

interface Run {
  workers: number;
  events: number;
  publishPerSec: number;
  featuresPerSec: number;
  campaignPerSec: number;
  /** Steps whose key joins went to the linking stage, and the campaign stage's mean wait for one. */
  linkSteps: number;
  linkWaitMeanMs: number;
}

function startWorker(prefix: string, index: number, count: number): ChildProcess {
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'detector',
      '--bus',
      NATS_URL,
      '--prefix',
      prefix,
      '--shards',
      String(SHARDS),
      '--role',
      'worker',
      '--shard',
      `${index}/${count}`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

async function once(events: ExchangeEvent[], accounts: AccountRecord[], workers: number): Promise<Run> {
  const nc = await connectForTest();
  const jsm = await jetstreamManager(nc);
  const prefix = uniquePrefix();
  const t = topology(prefix, SHARDS);
  const bus = createNatsBus({
    url: NATS_URL,
    prefix,
    shards: SHARDS,
    spoolPath: join(mkdtempSync(join(tmpdir(), 'dg-busbench-')), 'spool'),
  });
  let started = performance.now();
  for (const a of accounts) bus.publishAccount(a);
  for (const e of events) bus.publish(e);
  await bus.flush();
  const publishMs = performance.now() - started;
  await bus.close();
  const total = (await jsm.streams.info(t.eventsStream)).state.last_seq;
  if (total !== events.length + accounts.length)
    throw new Error(`events stream holds ${total} messages, published ${events.length + accounts.length}`);
  started = performance.now();
  const children = Array.from({ length: workers }, (_, i) => startWorker(prefix, i, workers));
  // The clock starts at the first feature message, not at spawn: worker start-up (tsx compiling the
  // CLI on a loaded machine) is not throughput.
  let firstAt = Number.NaN;
  let firstCount = 0;
  for (;;) {
    // Done when every shard's durable consumer has acked everything (feature messages travel in batches).
    let acked = 0;
    let outstanding = 0;
    for (let shard = 0; shard < SHARDS; shard++) {
      try {
        const c = await jsm.consumers.info(t.eventsStream, t.featureConsumer(shard));
        acked += c.ack_floor.stream_seq > 0 ? c.delivered.consumer_seq - c.num_ack_pending : 0;
        outstanding += c.num_pending + c.num_ack_pending;
      } catch {
        outstanding += 1; // not created yet
      }
    }
    if (acked > 0 && Number.isNaN(firstAt)) {
      firstAt = performance.now();
      firstCount = acked;
    }
    if (outstanding === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  if (Number.isNaN(firstAt)) {
    // Finished between two polls: fall back to timing from spawn.
    firstAt = started;
    firstCount = 0;
  }
  const featuresMs = performance.now() - firstAt;
  // The campaign stage over the finished features stream (the workers' linking stage answering its
  // key joins): its ceiling, and its restart (rebuild) speed.
  started = performance.now();
  const stage = await startCampaignStage({ nc, topology: t, log: () => undefined });
  await stage.waitFor(total);
  const campaignMs = performance.now() - started;
  if (stage.stats.processed !== events.length) {
    throw new Error(`processed ${stage.stats.processed} of ${events.length}`);
  }
  const { linkSteps, linkWaitMs } = stage.stats;
  await stage.stop();
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
  await deleteStreams(jsm, t);
  await nc.close();
  return {
    workers,
    events: events.length,
    publishPerSec: Math.round(events.length / (publishMs / 1000)),
    featuresPerSec: Math.round((total - firstCount) / (featuresMs / 1000)),
    campaignPerSec: Math.round(total / (campaignMs / 1000)),
    linkSteps,
    linkWaitMeanMs: linkSteps === 0 ? 0 : Math.round((linkWaitMs / linkSteps) * 1000) / 1000,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const roundsAt = args.indexOf('--rounds');
  const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 3;
  let dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds');
  if (dir === undefined) {
    dir = join(mkdtempSync(join(tmpdir(), 'dg-busbench-sim-')), 'sim');
    await simulate({
      outDir: dir,
      seed: 7,
      scale: 0.0003,
      days: 1,
      scenarios: ['deepseek', 'hydra'],
      dataDir: '../shared/data',
      onNotice: () => undefined,
    });
  }
  const events: ExchangeEvent[] = [];
  for await (const e of openEvents(join(dir, 'events.jsonl.gz'))) events.push(e);
  const accounts: AccountRecord[] = [];
  for await (const a of openAccounts(join(dir, 'accounts.jsonl'))) accounts.push(a);
  console.log(
    `${events.length} events, ${accounts.length} accounts, ${cpus().length} cores, ${rounds} rounds (median)`,
  );
  const results: Run[] = [];
  for (const workers of [1, 2]) {
    const runs: Run[] = [];
    for (let r = 0; r < rounds; r++) runs.push(await once(events, accounts, workers));
    const m: Run = {
      workers,
      events: events.length,
      publishPerSec: median(runs.map((x) => x.publishPerSec)),
      featuresPerSec: median(runs.map((x) => x.featuresPerSec)),
      campaignPerSec: median(runs.map((x) => x.campaignPerSec)),
      linkSteps: median(runs.map((x) => x.linkSteps)),
      linkWaitMeanMs: median(runs.map((x) => x.linkWaitMeanMs)),
    };
    results.push(m);
    console.log(
      `workers=${workers} publish ${m.publishPerSec}/s  feature stage ${m.featuresPerSec}/s  campaign stage (with linking) ${m.campaignPerSec}/s  link steps ${m.linkSteps}, mean wait ${m.linkWaitMeanMs} ms`,
    );
  }
  const [one, two] = results as [Run, Run];
  console.log(
    `ratio 2/1 feature stage: ${(two.featuresPerSec / one.featuresPerSec).toFixed(2)}; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
}

await main();
