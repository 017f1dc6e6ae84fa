import type { ExchangeEvent } from '../contract/types.js';

/**
 * Carries exchange events from gateways to the detector, off the request's hot path.
 * The embedded default is in-process; the scale-out one is NATS JetStream.
 */
export interface EventBus {
  /** Hand an event over; never blocks the caller on the detector. */
  publish(event: ExchangeEvent): void;
  /** Receive every published event, in publish order. Returns an unsubscribe function. */
  subscribe(handler: (event: ExchangeEvent) => void): () => void;
  /** Deliver what is queued, then stop. */
  close(): Promise<void>;
}
