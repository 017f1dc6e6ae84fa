/**
 * `scripts/cluster.sh clean`: drops what one cluster run left on the shared services — its
 * PostgreSQL schema, its NATS streams and its Redis keys — named by the DG_CLUSTER_* variables
 * of that run's cluster.env (exported by the script).
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import pg from 'pg';
import { deleteStreams, topology } from '../src/bus/topology.js';

function need(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '')
    throw new Error(`${name} is not set (source the run's cluster.env)`);
  return value;
}

const storeUrl = new URL(need('DG_CLUSTER_STORE'));
const schema = need('DG_CLUSTER_SCHEMA');
if (!/^[a-z0-9_]+$/.test(schema)) throw new Error(`unexpected schema name "${schema}"`);
storeUrl.searchParams.delete('schema');
const client = new pg.Client({ connectionString: storeUrl.toString() });
await client.connect();
await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
await client.end();
console.log(`dropped schema ${schema}`);

const nc = await connect({ servers: need('DG_CLUSTER_BUS').split(','), timeout: 5000 });
const busPrefix = need('DG_CLUSTER_BUS_PREFIX');
await deleteStreams(await jetstreamManager(nc), topology(busPrefix, 16));
await nc.close();
console.log(`deleted the ${busPrefix} streams`);

const redis = new Redis(need('DG_CLUSTER_REDIS'));
const prefix = need('DG_CLUSTER_REDIS_PREFIX');
let cursor = '0';
let deleted = 0;
do {
  const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
  cursor = next;
  if (keys.length > 0) deleted += await redis.del(...keys);
} while (cursor !== '0');
redis.disconnect();
console.log(`deleted ${deleted} Redis keys under ${prefix}:`);
