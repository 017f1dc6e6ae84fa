/**
 * Test helpers for the NATS-backed bus: a connection to the machine's real NATS (tests fail,
 * not skip, when it is down) and a unique prefix per test so concurrent runs never share streams.
 */
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';

/** The NATS server tests use (`NATS_URL`, default the local one). */
export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/**
 * Connects or throws a message saying NATS is needed.
 *
 * @example
 * const nc = await connectForTest();
 */
export async function connectForTest(): Promise<NatsConnection> {
  try {
    return await connect({ servers: NATS_URL, timeout: 3000 });
  } catch (error) {
    throw new Error(`these tests need NATS JetStream at ${NATS_URL}: ${String(error)}`);
  }
}

/**
 * A fresh stream prefix.
 *
 * @example
 * uniquePrefix(); // 'dgt-1a2b3c4d'
 */
export function uniquePrefix(): string {
  return `dgt-${randomBytes(4).toString('hex')}`;
}
