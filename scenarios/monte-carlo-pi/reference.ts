/**
 * The scenario's own exact answer: the hit count of samples [0, n) written out from the
 * generator's spec (generator.ts), with nothing taken from any backend. It is the judge of the
 * exact backends (ts, wasm, and the EVM pi workload), so it is kept plain: integer coordinates,
 * the integer hit test X^2 + Y^2 < 2^48, one sample after another. test/generator.test.ts holds
 * it against the C implementation of the spec (reference-c/pi_weylhash.c) and the per-sample
 * reference (countHitsReference).
 */
import { BLOCK_SAMPLES, HIT_LIMIT, PHI, blockKey, lowbias32 } from './generator.js';

/** Up to this n the parent recomputes the exact hit count (about 1.3 s at 1e8 on the development machine: plain code, not a fast kernel). */
export const PI_REFERENCE_MAX_N = 1e8;

/** Hits among samples [0, n) of `seed`. */
export function referenceHits(seed: number, n: number): number {
  let hits = 0;
  for (let start = 0, block = 0; start < n; start += BLOCK_SAMPLES, block++) {
    const count = Math.min(BLOCK_SAMPLES, n - start);
    let c = blockKey(seed, block);
    for (let j = 0; j < count; j++) {
      const x = lowbias32(c) >>> 8;
      const y = lowbias32((c + PHI) >>> 0) >>> 8;
      if (x * x + y * y < HIT_LIMIT) hits++;
      c = (c + 2 * PHI) >>> 0;
    }
  }
  return hits;
}
