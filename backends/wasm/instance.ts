import { segments } from '../../scenarios/monte-carlo-pi/generator.js';
import type { RangeCounter } from '../../src/parallel/range-pool.js';

/** The exports of the pi module built by pi-module.ts. */
export interface PiExports {
  count(counter0: number, m: number): number;
}

/** A range counter on top of an instantiated pi module. */
export function wasmRangeCounter(module: WebAssembly.Module): RangeCounter {
  const exports = new WebAssembly.Instance(module, {}).exports as unknown as PiExports;
  return (seed, start, count) => {
    let hits = 0;
    for (const s of segments(seed, start, count)) hits += exports.count(s.counter0 | 0, s.count);
    return hits;
  };
}
