/**
 * Intervals that include the variation between processes: a hierarchical (two-stage) bootstrap.
 *
 * A cell's time is the median over its forks (fresh processes) of each fork's median time per
 * call. Samples within one process are not independent of the process they ran in (JIT decisions,
 * memory layout, CPU frequency differ between processes), so pooling every fork's samples as if
 * they were independent gives intervals far narrower than the spread between forks. Each bootstrap
 * replicate therefore resamples at both levels, as the data were produced: forks with replacement,
 * then, for each drawn fork, the median of a resample of its samples. The 2.5% and 97.5%
 * percentiles of the replicates are the 95% interval; a ratio of two cells (a speedup) pairs the
 * replicates of the two cells, which are independent.
 *
 * The median of a resample of m sorted values is drawn directly instead of building the resample:
 * its rank is asymptotically normal around m/2 with standard deviation sqrt(m)/2, so replicate k
 * reads the sorted samples at quantile 1/2 + Z/(2 sqrt(m)). Below SMALL_FORK samples the resample
 * is built explicitly. Replicates are seeded from the cell, so a report is reproducible.
 */
import { seededStream } from '../util/seeded-random.js';
import { quantile } from './stats.js';

export const BOOTSTRAP_REPLICATES = 2000;
/** Forks with fewer samples get an explicit resample (the normal rank approximation needs a few dozen). */
const SMALL_FORK = 40;

export const BOOTSTRAP_METHOD =
  `95% percentile intervals of a hierarchical bootstrap (${BOOTSTRAP_REPLICATES} replicates: forks resampled with replacement, then the samples within each drawn fork), `
  + 'for the median over forks of the per-fork median time per call and for ratios of two cells (speedups); they include the variation between processes, '
  + 'and with one fork only the variation within it';

/** Uniform doubles in [0, 1) and standard normals from a seeded stream. */
function randoms(seed: number): { uniform: () => number; normal: () => number } {
  const next = seededStream(seed);
  const uniform = () => next() / 2 ** 32;
  let spare: number | undefined;
  const normal = () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    // Box-Muller: two independent normals from two uniforms
    const u = 1 - uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { uniform, normal };
}

/** Median of a few numbers (sorts a copy). */
function medianOf(xs: ArrayLike<number>): number {
  const s = Float64Array.from(xs).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** The cell statistic: the median over forks of each fork's median (forks without samples are left out). */
export function medianOfForkMedians(forks: ReadonlyArray<readonly number[]>): number {
  const meds = forks.filter((f) => f.length > 0).map((f) => quantile([...f].sort((a, b) => a - b), 0.5));
  return meds.length ? medianOf(meds) : NaN;
}

/** FNV-1a of a string: a seed per cell. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Bootstrap replicates of medianOfForkMedians (empty when no fork has samples). */
export function bootstrapMedians(forks: ReadonlyArray<readonly number[]>, seed: number, replicates = BOOTSTRAP_REPLICATES): Float64Array {
  const sorted = forks.filter((f) => f.length > 0).map((f) => Float64Array.from(f).sort());
  if (sorted.length === 0) return new Float64Array(0);
  const { uniform, normal } = randoms(seed);
  const k = sorted.length;
  const out = new Float64Array(replicates);
  const drawn = new Float64Array(k);
  for (let r = 0; r < replicates; r++) {
    for (let j = 0; j < k; j++) drawn[j] = resampledMedian(sorted[Math.floor(uniform() * k)]!, uniform, normal);
    out[r] = k === 1 ? drawn[0]! : medianOf(drawn);
  }
  return out;
}

function resampledMedian(s: Float64Array, uniform: () => number, normal: () => number): number {
  const m = s.length;
  if (m < SMALL_FORK) {
    const pick = new Float64Array(m);
    for (let i = 0; i < m; i++) pick[i] = s[Math.floor(uniform() * m)]!;
    return medianOf(pick);
  }
  const q = Math.min(1, Math.max(0, 0.5 + normal() / (2 * Math.sqrt(m))));
  return s[Math.min(m - 1, Math.floor(q * m))]!;
}

/** The central `level` percentile interval of replicates ([NaN, NaN] for none). */
export function percentileInterval(reps: ArrayLike<number>, level = 0.95): [number, number] {
  const finite = Array.from(reps).filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return [NaN, NaN];
  const tail = (1 - level) / 2;
  return [quantile(finite, tail), quantile(finite, 1 - tail)];
}

/** Interval of a / b from paired independent replicates of both. */
export function ratioInterval(a: ArrayLike<number>, b: ArrayLike<number>, level = 0.95): [number, number] {
  const n = Math.min(a.length, b.length);
  const ratios = new Float64Array(n);
  for (let i = 0; i < n; i++) ratios[i] = a[i]! / b[i]!;
  return percentileInterval(ratios, level);
}
