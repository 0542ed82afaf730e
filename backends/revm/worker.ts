/**
 * Worker thread of the `revm` engine: answers one RevmRequest at a time on the port it was given,
 * then raises the shared flag so the main thread, blocked in Atomics.wait, takes the answer.
 * EDR is loaded on the first request; any failure (EDR missing included) is answered as `fatal`.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type { RevmRequest, RevmResponse } from './protocol.js';

const { port, flag: sab } = workerData as { port: MessagePort; flag: SharedArrayBuffer };
const flag = new Int32Array(sab);

function message(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

async function answer(req: RevmRequest): Promise<RevmResponse> {
  const edr = await import('./edr.js');
  if (req.kind === 'probe') return { version: (await edr.loadEdr()).version };
  if (req.kind === 'run') return { run: await edr.runJob(req.job) };
  return { bench: await edr.benchPaths(req.bench) };
}

port.on('message', async (req: RevmRequest) => {
  let res: RevmResponse;
  try {
    res = await answer(req);
  } catch (err) {
    res = { fatal: message(err) };
  }
  try {
    port.postMessage(res);
  } catch (err) {
    port.postMessage({ fatal: message(err) });
  }
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});

// a dying worker wakes the main thread (flag 2) instead of leaving it blocked
process.on('exit', () => {
  Atomics.store(flag, 0, 2);
  Atomics.notify(flag, 0);
});
