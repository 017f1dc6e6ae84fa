/**
 * A JetStream publish retried with backoff until the server stores it: the linking stage and the
 * campaign stage each wait for the other's message, so giving up on one would stall both.
 */
import type { JetStreamClient } from '@nats-io/jetstream';

export interface PublishUntilStoredOptions {
  msgID: string;
  /** Checked before each attempt after the first: true gives up. */
  stopped: () => boolean;
  /** Told of the first failure and every 20th after it. */
  log: (line: string) => void;
  /** What is being published, for the log line (e.g. "join request 12/3"). */
  what: string;
}

/**
 * Publishes `body` on `subject`; resolves true once stored, false if `stopped()` turned true first.
 *
 * @example
 * const ok = await publishUntilStored(js, 'dg.linkreplies', body, { msgID: '12/3', stopped: () => closing, log, what: 'links reply 12/3' });
 */
export async function publishUntilStored(
  js: JetStreamClient,
  subject: string,
  body: string,
  opts: PublishUntilStoredOptions,
): Promise<boolean> {
  for (let attempt = 0; attempt === 0 || !opts.stopped(); attempt++) {
    try {
      await js.publish(subject, body, { msgID: opts.msgID });
      return true;
    } catch (error) {
      if (attempt % 20 === 0)
        opts.log(`distillguard detector: ${opts.what} not stored (${String(error)}); retrying`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
    }
  }
  return false;
}
