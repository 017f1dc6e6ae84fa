/**
 * Test access to the real Redis server (never a mock): connections that fail the test with a
 * clear message — not a skip — when the server is unreachable, and a unique key prefix per test
 * so concurrent test runs of other engineers never see each other's keys.
 */
import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';

/** Server the tests use; override with DG_TEST_REDIS_URL. */
export const TEST_REDIS_URL = process.env.DG_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A connected client; throws naming the server and the override variable if unreachable.
 *
 * @example
 * const redis = await connectTestRedis();
 */
export async function connectTestRedis(options: RedisOptions = {}, url = TEST_REDIS_URL): Promise<Redis> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    ...options,
    lazyConnect: true,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `Redis test server unreachable at ${url} (${error instanceof Error ? error.message : String(error)}); ` +
        'start it or point DG_TEST_REDIS_URL at one — these tests need a real server',
    );
  }
  return redis;
}

/** A key prefix no other test run uses. */
export function freshPrefix(): string {
  return `dgtest:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/**
 * Deletes every key under `prefix` (SCAN, not KEYS, so a shared server is not blocked).
 *
 * @example
 * await deletePrefix(redis, prefix);
 */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
