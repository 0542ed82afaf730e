import { parentPort } from 'node:worker_threads';
import { oneLine } from '../util/errors.js';
import type { RangeCounter, RangeReply, RangeRequest } from './range-pool.js';

/** Worker-side loop: set up a counter once, then answer range requests until terminated. */
export async function serveRanges(setup: () => Promise<RangeCounter> | RangeCounter): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveRanges must run in a worker thread');
  let counter: RangeCounter;
  try {
    counter = await setup();
  } catch (e) {
    port.postMessage({ ready: false, error: oneLine(e) });
    return;
  }
  port.on('message', (m: RangeRequest) => {
    let reply: RangeReply;
    try {
      reply = { id: m.id, hits: counter(m.seed, m.start, m.count) };
    } catch (e) {
      reply = { id: m.id, error: oneLine(e) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true });
}
