import { afterEach, describe, expect, it } from 'vitest';
import { eventually, type Harness, KEYS, post, startHarness } from '../testing/harness.js';
import { REPLAY_TS_HEADER } from './chat.js';

const body = { model: 'oa', messages: [{ role: 'user', content: 'hello' }] };
const recorded = '2026-01-05T09:30:00.123Z';

describe('replay timestamps', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('stamps the exchange with the replay header only when the gateway was built for replay', async () => {
    h = await startHarness({ replayTimestamps: true });
    const r = await post(h.url, '/v1/chat/completions', KEYS.a, body, { [REPLAY_TS_HEADER]: recorded });
    expect(r.status).toBe(200);
    const sink = h.sink;
    await eventually(() => sink.events.length === 1);
    expect(sink.events[0]?.ts).toBe(recorded);
  });

  it('ignores the header on a normal gateway, so clients cannot forge event times', async () => {
    h = await startHarness();
    const before = Date.now();
    await post(h.url, '/v1/chat/completions', KEYS.a, body, { [REPLAY_TS_HEADER]: recorded });
    const sink = h.sink;
    await eventually(() => sink.events.length === 1);
    expect(Date.parse(sink.events[0]?.ts ?? '')).toBeGreaterThanOrEqual(before - 5);
  });

  it('falls back to arrival time when the header is not a date', async () => {
    h = await startHarness({ replayTimestamps: true });
    const before = Date.now();
    await post(h.url, '/v1/chat/completions', KEYS.a, body, { [REPLAY_TS_HEADER]: 'yesterday-ish' });
    const sink = h.sink;
    await eventually(() => sink.events.length === 1);
    expect(Date.parse(sink.events[0]?.ts ?? '')).toBeGreaterThanOrEqual(before - 5);
  });
});
