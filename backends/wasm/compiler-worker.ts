/**
 * The wasm backend's compiler thread: loads binaryen, builds one module, posts the binary.
 * binaryen.js is itself a 15 MB wasm program; running it makes V8 tier up hundreds of its
 * functions on the background compile threads, and in the measuring thread those jobs would
 * queue ahead of the kernel's own tier-up for ~0.5 s. Terminating this isolate cancels them.
 */
import { parentPort } from 'node:worker_threads';
import type { PiWasmOptions } from './pi-module.js';

const t0 = performance.now();
const { buildPiModule } = await import('./pi-module.js');
parentPort!.postMessage({ ready: true, loadMs: performance.now() - t0 });
parentPort!.once('message', (opts: PiWasmOptions) => {
  try {
    const build = buildPiModule(opts);
    parentPort!.postMessage({ build }, [build.binary.buffer]);
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error).message });
  }
});
