/**
 * Worker thread of the `ethereumjs` engine: answers one EjsRequest at a time on the port it was
 * given, then raises the shared flag so the main thread, blocked in Atomics.wait, wakes up and
 * takes the answer with receiveMessageOnPort. @ethereumjs/evm is loaded on the first request, and
 * any failure (a missing package included) is answered as `fatal`, never left unanswered.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type { EjsRequest, EjsResponse } from './protocol.js';

const { port, flag: sab } = workerData as { port: MessagePort; flag: SharedArrayBuffer };
const flag = new Int32Array(sab);

type Runner = (req: EjsRequest) => Promise<EjsResponse>;
let runner: Promise<Runner> | undefined;

function done(): void {
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

function fatal(err: unknown): EjsResponse {
  const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { fatal: msg, returnData: new Uint8Array(0), gasUsed: 0n, gasRefund: 0n, logs: [], accounts: [], deleted: [], selfDestructed: [], created: [], touched: [] };
}

port.on('message', async (req: EjsRequest) => {
  let res: EjsResponse;
  try {
    runner ??= import('./runner.js').then((m) => m.runEthereumjsFrame);
    res = await (await runner)(req);
  } catch (err) {
    res = fatal(err);
  }
  try {
    port.postMessage(res);
  } catch (err) {
    port.postMessage(fatal(err));
  }
  done();
});

// a dying worker wakes the main thread (flag 2) instead of leaving it blocked
process.on('exit', () => {
  Atomics.store(flag, 0, 2);
  Atomics.notify(flag, 0);
});
