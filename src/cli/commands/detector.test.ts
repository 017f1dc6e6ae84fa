import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { createNatsBus } from '../../bus/nats.js';
import { connectForTest, NATS_URL, uniquePrefix } from '../../bus/test-helpers/nats.js';
import { deleteStreams, topology } from '../../bus/topology.js';
import { main } from '../main.js';
import { captureCli } from '../test-helpers/cli-capture.js';
import { busServers } from './detector.js';

const cli = captureCli('dg-detcmd-');
const run = (...args: string[]) => main(['node', 'distillguard', 'detector', ...args]);

describe('distillguard detector', () => {
  it('rejects bad flags with a specific message', async () => {
    expect(await run('--bus', 'http://x')).toBe(2);
    expect(cli.stderr).toContain('--bus must be nats://host:port');
    expect(await run('--bus', NATS_URL, '--shard', '3/2')).toBe(2);
    expect(cli.stderr).toContain('i must be below n');
    expect(await run('--bus', NATS_URL, '--role', 'linker')).toBe(2);
    expect(cli.stderr).toContain('--role must be one of worker, campaign, both');
    expect(await run('--bus', NATS_URL, '--role', 'worker', '--report', 'x')).toBe(2);
    expect(cli.stderr).toContain('--report belongs to the campaign stage');
  });

  it('says plainly when NATS is unreachable', async () => {
    expect(await run('--bus', 'nats://127.0.0.1:1')).toBe(1);
    expect(cli.stderr).toMatch(/cannot reach NATS at nats:\/\/127\.0\.0\.1:1/);
  });

  it('runs until SIGTERM and writes its report', async () => {
    const prefix = uniquePrefix();
    const report = join(cli.dir, 'report.json');
    const done = run('--bus', NATS_URL, '--prefix', prefix, '--shards', '2', '--report', report);
    for (let i = 0; i < 200 && !cli.stderr.includes('both on'); i++)
      await new Promise((r) => setTimeout(r, 10));
    process.emit('SIGTERM');
    expect(await done).toBe(0);
    const written = JSON.parse(readFileSync(report, 'utf8')) as { schema: string; events: number };
    expect(written).toMatchObject({ schema: 'distillguard.report/1', events: 0 });
    const nc = await connectForTest();
    await deleteStreams(await jetstreamManager(nc), topology(prefix, 2));
    await nc.close();
  });
});

describe('distillguard detector --checkpoint', () => {
  /** Runs the detector until `ready` is true (or 20 s), then stops it with SIGTERM. */
  async function runUntil(args: string[], ready: () => boolean): Promise<number> {
    const done = run(...args);
    const deadline = Date.now() + 20_000;
    while (!(cli.stderr.includes('both on') && ready()) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    process.emit('SIGTERM');
    return done;
  }

  it('resumes from its snapshot after a restart, and falls back to the replay when it is unreadable', async () => {
    const prefix = uniquePrefix();
    const dir = cli.dir;
    const ckpt = join(dir, 'ckpt');
    const report = join(dir, 'report.json');
    const bus = createNatsBus({ url: NATS_URL, prefix, shards: 2, spoolPath: join(dir, 'spool') });
    // A payment fingerprint is a shared-signal key: its join goes through the linking stage.
    bus.publishAccount({
      account_id: 'acct-1',
      created_at: '2025-12-01T00:00:00Z',
      payment_fingerprint: 'pf_1',
    });
    for (let i = 0; i < 3; i++) {
      bus.publish({
        id: `ev-${i}`,
        ts: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 60_000).toISOString(),
        account_id: 'acct-1',
        client: { ip: '198.51.100.9' },
        api: 'openai.chat',
        model: 'm',
        request: { messages: [{ role: 'user', content: `question ${i}` }] },
      });
    }
    await bus.flush();
    await bus.close();
    const args = [
      '--bus',
      NATS_URL,
      '--prefix',
      prefix,
      '--shards',
      '2',
      '--checkpoint',
      ckpt,
      '--report',
      report,
    ];
    const position = () =>
      existsSync(join(ckpt, 'campaign-stage.json'))
        ? (JSON.parse(readFileSync(join(ckpt, 'campaign-stage.json'), 'utf8')) as { lastSeq: number })
        : undefined;
    // The first run processes the record and three events; its periodic checkpoint shows when.
    expect(await runUntil(args, () => position()?.lastSeq === 4)).toBe(0);
    expect(existsSync(join(ckpt, 'campaign-stage.snap'))).toBe(true);
    // The worker half checkpointed the key partition the payment key went to.
    expect(readdirSync(ckpt).filter((f) => /^links-\d+\.snap$/.test(f))).toHaveLength(1);

    cli.stderr = '';
    expect(await runUntil(args, () => true)).toBe(0);
    expect(cli.stderr).toContain('resumed from the checkpoint snapshot at events seq 4');
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ events: 3 });

    writeFileSync(join(ckpt, 'campaign-stage.snap'), 'garbage');
    cli.stderr = '';
    expect(await runUntil(args, () => true)).toBe(0);
    expect(cli.stderr).toContain(
      'campaign-stage.snap: not a campaign-stage snapshot (bad magic bytes)); falling back to replaying the features stream from its start',
    );
    const nc = await connectForTest();
    await deleteStreams(await jetstreamManager(nc), topology(prefix, 2));
    await nc.close();
  }, 60_000);
});

describe('busServers', () => {
  it('splits a comma-separated list', () => {
    expect(busServers('nats://a:1,nats://b:2')).toEqual(['nats://a:1', 'nats://b:2']);
  });
});
