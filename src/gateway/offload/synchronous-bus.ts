/**
 * An `EventBus` that calls its subscribers inside `publish`. The exchange thread has no request
 * path to protect, so handing each logged event straight to the detector is what it wants: the
 * batch that arrived is logged and detected before the thread reads the next message.
 */

import type { EventBus } from '../../bus/types.js';
import type { ExchangeEvent } from '../../contract/types.js';

/**
 * @example
 * const bus = synchronousBus();
 * bus.subscribe((e) => seen.push(e));
 * bus.publish(event); // seen now holds event
 */
export function synchronousBus(): EventBus {
  const handlers = new Set<(event: ExchangeEvent) => void>();
  return {
    publish(event) {
      for (const handler of handlers) handler(event);
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => {
        handlers.delete(handler);
      };
    },
    async close() {},
  };
}
