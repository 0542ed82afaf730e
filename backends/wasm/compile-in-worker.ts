import { Worker } from 'node:worker_threads';
import type { PiWasmBuild, PiWasmOptions } from './pi-module.js';

export interface WorkerBuild {
  build: PiWasmBuild;
  /** Starting the compiler thread and loading binaryen in it. */
  loadMs: number;
  /** Round trip of the build request (binaryen build + validate + optimize + transfer). */
  requestMs: number;
  /** Terminating the compiler thread (waits for V8 to drop binaryen's pending tier-up jobs). */
  shutdownMs: number;
}

function next<T>(w: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
}

/** Builds the pi module with binaryen in a short-lived compiler thread. */
export async function buildInWorker(opts: PiWasmOptions): Promise<WorkerBuild> {
  let t = performance.now();
  const w = new Worker(new URL('./compiler-worker.js', import.meta.url));
  try {
    await next<{ ready: boolean }>(w);
    const loadMs = performance.now() - t;
    t = performance.now();
    const reply = next<{ build?: PiWasmBuild; error?: string }>(w);
    w.postMessage(opts);
    const { build, error } = await reply;
    if (!build) throw new Error(`binaryen build failed: ${error}`);
    const requestMs = performance.now() - t;
    t = performance.now();
    await w.terminate();
    return { build, loadMs, requestMs, shutdownMs: performance.now() - t };
  } finally {
    void w.terminate();
  }
}
