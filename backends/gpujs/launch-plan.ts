/**
 * How n samples are dealt to launches of a fixed thread grid. Each GPU thread counts the hits
 * of one strip of consecutive samples into a float32 output cell, so:
 *   - a strip is at most MAX_STRIP = 2^24 - 1 samples: its count stays below 2^24, where
 *     float32 still holds every integer (and the in-kernel counter `hits + 1` stays exact);
 *   - the partial counts are summed in JavaScript doubles (exact up to 2^53);
 *   - n = 1e8 or 1e10 is many launches of the same grid: memory is one output of `threads`
 *     floats per launch, whatever n is.
 * A launch never crosses a generator block (2^31 samples share one key), so the kernel only
 * ever adds multiples of 2*PHI to one counter.
 */
import { BLOCK_SAMPLES, PHI, blockKey } from '../../scenarios/monte-carlo-pi/generator.js';

/** float32 represents every integer up to this; a partial count must stay below it. */
export const FLOAT32_EXACT_LIMIT = 2 ** 24;
/** Longest strip a thread may take: its hit count is then at most 2^24 - 1. */
export const MAX_STRIP = FLOAT32_EXACT_LIMIT - 1;
/** The thread index is one 16-bit limb in the kernel's counter arithmetic. */
export const MAX_GRID_THREADS = 2 ** 16;

export interface Grid {
  /** Output cells (GPU threads) per launch. */
  threads: number;
  /** Samples per thread at most (also the kernel's loopMaxIterations). */
  maxStrip: number;
}

/**
 * Grid used by the backend: 4096 threads (a 64x64 output texture) x strips of up to 1024
 * samples = 4,194,304 samples per launch (about 0.15 s on llvmpipe, 2 cores); 1e8 samples are 24 launches.
 */
export const DEFAULT_GRID: Grid = { threads: 4096, maxStrip: 1024 };

/** Refuses a grid whose partial counts could reach 2^24 (or whose thread index is not one limb). */
export function validateGrid(grid: Grid): Grid {
  const { threads, maxStrip } = grid;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_GRID_THREADS) {
    throw new RangeError(`gpujs grid: threads must be an integer in 1..${MAX_GRID_THREADS} (got ${threads})`);
  }
  if (!Number.isInteger(maxStrip) || maxStrip < 1) throw new RangeError(`gpujs grid: maxStrip must be a positive integer (got ${maxStrip})`);
  if (maxStrip > MAX_STRIP) {
    throw new RangeError(
      `gpujs grid: a strip of ${maxStrip} samples could count ${maxStrip} hits, beyond 2^24 - 1 = ${MAX_STRIP}, ` +
        'the largest count float32 holds exactly with room to add one; use maxStrip <= 2^24 - 1 (the samples go to more threads or launches)',
    );
  }
  return grid;
}

/** Arguments of one kernel launch (all integers below 2^16, so exact in any float). */
export interface Launch {
  /** First sample index of the launch and its sample count. */
  start: number;
  count: number;
  /** Counter of the first sample, as 16-bit limbs. */
  cHi: number;
  cLo: number;
  /** Counter distance between consecutive strips: 2 * strip * PHI mod 2^32, as limbs. */
  sHi: number;
  sLo: number;
  /** Threads 0..full-1 take `strip` samples, thread `full` takes `lastLen` (< strip), the rest none. */
  full: number;
  strip: number;
  lastLen: number;
}

/** Splits samples [first, first + n) of `seed` into launches of `grid`; every strip is at most grid.maxStrip. */
export function* launches(seed: number, n: number, grid: Grid, first = 0): Generator<Launch> {
  validateGrid(grid);
  const perLaunch = grid.threads * grid.maxStrip;
  const end = first + n;
  let start = first;
  while (start < end) {
    const block = Math.floor(start / BLOCK_SAMPLES);
    const j = start - block * BLOCK_SAMPLES;
    const count = Math.min(perLaunch, end - start, BLOCK_SAMPLES - j);
    const strip = Math.ceil(count / grid.threads);
    const full = Math.floor(count / strip);
    const counter = (blockKey(seed, block) + Math.imul(2 * j, PHI)) >>> 0;
    const stride = Math.imul(2 * strip, PHI) >>> 0;
    yield {
      start, count,
      cHi: counter >>> 16, cLo: counter & 0xffff,
      sHi: stride >>> 16, sLo: stride & 0xffff,
      full, strip, lastLen: count - full * strip,
    };
    start += count;
  }
}
