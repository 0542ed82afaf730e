/**
 * The one random generator of the Monte Carlo pi scenario, specified once.
 *
 * Construction: a counter-based generator ("Weyl-hash", the SplitMix scheme in 32 bits).
 *   - Counter-based RNGs: Salmon, Moraes, Dror & Shaw, "Parallel Random Numbers: As Easy as
 *     1, 2, 3", SC'11 (doi:10.1145/2063384.2063405): output k is a pure function of (key, k).
 *   - The function is SplitMix's: a bijective integer mixer applied to the Weyl sequence
 *     key + k*PHI (Steele, Lea & Flood, "Fast Splittable Pseudorandom Number Generators",
 *     OOPSLA 2014, doi:10.1145/2660193.2660195).
 *   - The mixer is lowbias32 (Chris Wellons, hash-prospector, 2018), the same hash the C
 *     anchors in shared/anchors/pi use for seeding.
 *
 * Sample i (0 <= i < 2^53) of seed s (uint32):
 *   block b = floor(i / 2^31), j = i mod 2^31
 *   key     = lowbias32(lowbias32(s) + (b + 1) * PHI)              (mod 2^32)
 *   c       = key + 2*j*PHI                                         (mod 2^32)
 *   X       = lowbias32(c) >>> 8,   Y = lowbias32(c + PHI) >>> 8    (24-bit integers)
 *   point   = (X * 2^-24, Y * 2^-24) in [0,1)^2
 *   hit     = x^2 + y^2 < 1   <=>   X^2 + Y^2 < 2^48               (exact in float64)
 *
 * Within a block the 2^32 counter values c are all distinct (PHI is odd), so a block never
 * repeats a hash input; blocks get independent keys. Because sample i depends only on
 * (seed, i), any split of [0, n) into ranges, lanes or threads counts identical hits.
 */

import { lowbias32 } from '../../src/util/hash32.js';
import { splitRange } from '../../src/parallel/split-range.js';
export const PHI = 0x9e3779b9;
/** Samples per block: a block uses all 2^32 counter values, two per sample. */
export const BLOCK_SAMPLES = 2 ** 31;
/** X^2 + Y^2 < HIT_LIMIT is a hit. */
export const HIT_LIMIT = 2 ** 48;
/** Largest sample index the spec covers (indices stay exact in float64). */
export const MAX_SAMPLES = 2 ** 53;

export { lowbias32 };

/** The key of block b for seed s. */
export function blockKey(seed: number, block: number): number {
  return lowbias32((lowbias32(seed >>> 0) + Math.imul((block + 1) >>> 0, PHI)) >>> 0);
}

/** The two 24-bit coordinates of sample i. Readable reference, not a fast path. */
export function sampleAt(seed: number, i: number): [number, number] {
  const block = Math.floor(i / BLOCK_SAMPLES);
  const j = i - block * BLOCK_SAMPLES;
  const c = (blockKey(seed, block) + Math.imul(2 * j, PHI)) >>> 0;
  return [lowbias32(c) >>> 8, lowbias32((c + PHI) >>> 0) >>> 8];
}

export function isHit(x: number, y: number): boolean {
  return x * x + y * y < HIT_LIMIT;
}

/** Reference hit count over samples [start, start + count): slow and obviously right. */
export function countHitsReference(seed: number, start: number, count: number): number {
  let hits = 0;
  for (let i = start; i < start + count; i++) {
    const [x, y] = sampleAt(seed, i);
    if (isHit(x, y)) hits++;
  }
  return hits;
}

/**
 * A run of consecutive samples inside one block: the kernels' unit of work.
 * counter0 is the counter c of the first sample; each next sample adds 2*PHI.
 */
export interface Segment {
  counter0: number;
  count: number;
}

/** Splits samples [start, start + count) at block boundaries into kernel segments. */
export function segments(seed: number, start: number, count: number): Segment[] {
  const out: Segment[] = [];
  let i = start;
  const end = start + count;
  while (i < end) {
    const block = Math.floor(i / BLOCK_SAMPLES);
    const j = i - block * BLOCK_SAMPLES;
    const m = Math.min(end - i, BLOCK_SAMPLES - j);
    out.push({ counter0: (blockKey(seed, block) + Math.imul(2 * j, PHI)) >>> 0, count: m });
    i += m;
  }
  return out;
}

export { splitRange };
