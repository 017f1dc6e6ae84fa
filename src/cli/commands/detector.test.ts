import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectForTest, NATS_URL, uniquePrefix } from '../../bus/test-helpers/nats.js';
import { deleteStreams, topology } from '../../bus/topology.js';
import { main } from '../main.js';
import { busServers } from './detector.js';

describe('distillguard detector', () => {
  let err: string[];
  beforeEach(() => {
    err = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  const run = (...args: string[]) => main(['node', 'distillguard', 'detector', ...args]);

  it('rejects bad flags with a specific message', async () => {
    expect(await run('--bus', 'http://x')).toBe(2);
    expect(err.join('')).toContain('--bus must be nats://host:port');
    expect(await run('--bus', NATS_URL, '--shard', '3/2')).toBe(2);
    expect(err.join('')).toContain('i must be below n');
    expect(await run('--bus', NATS_URL, '--role', 'linker')).toBe(2);
    expect(err.join('')).toContain('--role must be one of features, campaign, both');
    expect(await run('--bus', NATS_URL, '--role', 'features', '--checkpoint', 'x')).toBe(2);
    expect(err.join('')).toContain('belong to the campaign stage');
  });

  it('says plainly when NATS is unreachable', async () => {
    expect(await run('--bus', 'nats://127.0.0.1:1')).toBe(1);
    expect(err.join('')).toMatch(/cannot reach NATS at nats:\/\/127\.0\.0\.1:1/);
  });

  it('runs until SIGTERM and writes its report', async () => {
    const prefix = uniquePrefix();
    const report = join(mkdtempSync(join(tmpdir(), 'dg-detcmd-')), 'report.json');
    const done = run('--bus', NATS_URL, '--prefix', prefix, '--shards', '2', '--report', report);
    for (let i = 0; i < 200 && !err.join('').includes('both on'); i++)
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

describe('busServers', () => {
  it('splits a comma-separated list', () => {
    expect(busServers('nats://a:1,nats://b:2')).toEqual(['nats://a:1', 'nats://b:2']);
  });
});
