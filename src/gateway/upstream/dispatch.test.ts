import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../config.js';
import { routeTable } from './dispatch.js';
import { closeUpstreams, createUpstreams } from './pool.js';

const config = parseGatewayConfig(
  {
    upstreams: {
      primary: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:8001/v1' },
      backup: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:8002/v1' },
    },
    models: {
      m: {
        targets: [
          { upstream: 'primary', model: 'org/m' },
          { upstream: 'backup', model: 'org/m-old' },
        ],
      },
      solo: { targets: [{ upstream: 'backup', model: 'org/solo' }] },
    },
  },
  {},
);

describe('routeTable', () => {
  it('lists every model’s targets in failover order with their upstreams', async () => {
    const upstreams = createUpstreams(config.upstreams, config.breaker);
    const table = routeTable(config.models, upstreams);
    expect([...table.keys()]).toEqual(['m', 'solo']);
    expect(table.get('m')?.map((r) => [r.upstream, r.target.model])).toEqual([
      [upstreams.get('primary'), 'org/m'],
      [upstreams.get('backup'), 'org/m-old'],
    ]);
    await closeUpstreams(upstreams);
  });

  it('leaves out targets whose upstream is not in the map', async () => {
    const upstreams = createUpstreams(config.upstreams, config.breaker);
    const onlyPrimary = new Map([['primary', upstreams.get('primary')!]]);
    const table = routeTable(config.models, onlyPrimary);
    expect(table.get('m')?.map((r) => r.target.upstream)).toEqual(['primary']);
    expect(table.get('solo')).toEqual([]);
    await closeUpstreams(upstreams);
  });
});
