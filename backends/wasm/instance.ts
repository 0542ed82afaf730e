import { PHI, segments } from '../../scenarios/monte-carlo-pi/generator.js';
import type { RangeCounter } from '../../src/parallel/range-pool.js';

/** The exports of the pi module built by pi-module.ts. */
export interface PiExports {
  count(counter0: number, m: number): number;
}

/**
 * Samples per call into the module. V8 has no on-stack replacement for wasm: a call that
 * started in Liftoff code finishes in it, so one call over 1e9 samples would never reach
 * TurboFan. Calls of 2^20 samples (~0.4 ms) let the optimized code take over within a call.
 */
const CHUNK = 1 << 20;
const STEP = (2 * PHI) | 0;

/** A range counter on top of an instantiated pi module. */
export function wasmRangeCounter(module: WebAssembly.Module): RangeCounter {
  const exports = new WebAssembly.Instance(module, {}).exports as unknown as PiExports;
  return (seed, start, count) => {
    let hits = 0;
    for (const s of segments(seed, start, count)) {
      let c = s.counter0 | 0;
      for (let done = 0; done < s.count; done += CHUNK) {
        const m = Math.min(CHUNK, s.count - done);
        hits += exports.count(c, m);
        c = (c + Math.imul(m, STEP)) | 0;
      }
    }
    return hits;
  };
}
