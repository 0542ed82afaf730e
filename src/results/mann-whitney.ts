/**
 * Two-sample rank statistics for comparing timing samples: the Mann-Whitney U test and
 * the Hodges-Lehmann shift estimate with its distribution-free confidence interval
 * (the interval is the inversion of the same U test, so the two agree).
 * Pure functions, no I/O. References: Hollander & Wolfe, Nonparametric Statistical
 * Methods (2nd ed.), sections 4.1-4.3.
 */

export interface MannWhitneyResult {
  /** U of y over x: the number of pairs (x_i, y_j) with y_j > x_i, ties counting 1/2. */
  u: number;
  /** Rank sum of y in the pooled sample (midranks for ties). */
  rankSumY: number;
  /** Mean and tie-corrected variance of U under H0 (x and y from one distribution). */
  meanU: number;
  varU: number;
  /** Normal approximation with continuity correction; > 0 when y tends to be larger. */
  z: number;
  /** Two-sided p-value from z. */
  p: number;
}

/** Complementary error function, fractional error < 1.2e-7 (Numerical Recipes' erfcc, Chebyshev fit). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** Two-sided normal tail probability P(|Z| >= |z|). */
export function twoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/** 97.5% quantile of the standard normal: the z of a two-sided 95% interval. */
export const Z975 = 1.959963984540054;

function sortedCopy(v: readonly number[] | Float64Array): Float64Array {
  return Float64Array.from(v).sort();
}

/** Sum of (t^3 - t) over groups of tied values of the pooled sample (both inputs sorted). */
function rankSumAndTies(xs: Float64Array, ys: Float64Array): { rankSumY: number; tieTerm: number } {
  let i = 0;
  let j = 0;
  let rank = 0; // ranks used so far
  let rankSumY = 0;
  let tieTerm = 0;
  while (i < xs.length || j < ys.length) {
    const v = j >= ys.length || (i < xs.length && xs[i]! <= ys[j]!) ? xs[i]! : ys[j]!;
    let cx = 0;
    let cy = 0;
    while (i < xs.length && xs[i] === v) { i++; cx++; }
    while (j < ys.length && ys[j] === v) { j++; cy++; }
    const t = cx + cy;
    const midrank = rank + (t + 1) / 2; // the tied values share ranks rank+1 .. rank+t
    rankSumY += cy * midrank;
    tieTerm += t * t * t - t;
    rank += t;
  }
  return { rankSumY, tieTerm };
}

/**
 * Mann-Whitney U test of y against x (two-sided): midranks for ties, normal approximation
 * with continuity correction and tie-corrected variance (as R's wilcox.test(exact = FALSE)
 * and scipy's mannwhitneyu(method = 'asymptotic')).
 */
export function mannWhitneyU(x: readonly number[] | Float64Array, y: readonly number[] | Float64Array): MannWhitneyResult {
  const xs = sortedCopy(x);
  const ys = sortedCopy(y);
  const m = xs.length;
  const n = ys.length;
  if (m === 0 || n === 0) throw new RangeError('mannWhitneyU needs at least one value on each side');
  const { rankSumY, tieTerm } = rankSumAndTies(xs, ys);
  const N = m + n;
  const u = rankSumY - (n * (n + 1)) / 2;
  const meanU = (m * n) / 2;
  const varU = N > 1 ? ((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1))) : 0;
  if (!(varU > 0)) return { u, rankSumY, meanU, varU: 0, z: 0, p: 1 }; // every value tied: no evidence
  const d = u - meanU;
  const z = (d - 0.5 * Math.sign(d)) / Math.sqrt(varU);
  // The continuity correction can overshoot past zero when d is within 1/2 of the mean.
  const zc = Math.abs(d) <= 0.5 ? 0 : z;
  return { u, rankSumY, meanU, varU, z: zc, p: twoSidedP(zc) };
}

/**
 * Counts pairs with y_j - x_i <= t and finds the smallest difference above t, in one
 * O(m + n) pass over the sorted inputs. For x ascending the set of j with y_j - x_i <= t
 * is a prefix of ys that only grows, so one pointer serves every i.
 */
function countAtMost(xs: Float64Array, ys: Float64Array, t: number): { count: number; nextAbove: number } {
  let count = 0;
  let nextAbove = Infinity;
  let j = 0;
  for (let i = 0; i < xs.length; i++) {
    const xi = xs[i]!;
    while (j < ys.length && ys[j]! - xi <= t) j++;
    count += j;
    if (j < ys.length) nextAbove = Math.min(nextAbove, ys[j]! - xi);
  }
  return { count, nextAbove };
}

/**
 * The k-th smallest (1-based) of the m*n differences y_j - x_i without forming them:
 * bisection on the value, snapping to the next actual difference each round so the
 * answer is exact. Two O(m + n) passes per halving.
 */
export function kthPairwiseDifference(xs: Float64Array, ys: Float64Array, k: number): number {
  const total = xs.length * ys.length;
  if (!(k >= 1 && k <= total)) throw new RangeError(`k = ${k} outside 1..${total}`);
  let lo = ys[0]! - xs[xs.length - 1]!; // the smallest difference
  let atLo = countAtMost(xs, ys, lo);
  if (atLo.count >= k) return lo;
  let hi = ys[ys.length - 1]! - xs[0]!; // the largest: count(hi) = m*n >= k
  // Invariant: count(lo) < k <= count(hi), so the answer lies in (lo, hi].
  for (;;) {
    const s = atLo.nextAbove; // the smallest difference above lo: the answer if count(s) >= k
    if (s >= hi) return hi;
    const atS = countAtMost(xs, ys, s);
    if (atS.count >= k) return s;
    lo = s;
    atLo = atS;
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) continue; // interval at float resolution: snapping alone finishes
    const atMid = countAtMost(xs, ys, mid);
    if (atMid.count >= k) hi = mid;
    else { lo = mid; atLo = atMid; }
  }
}

export interface ShiftEstimate {
  /** Hodges-Lehmann estimate of the shift of y against x: median of all y_j - x_i. */
  estimate: number;
  /** Distribution-free confidence bounds; -Infinity / Infinity when the samples are too small for the level. */
  lower: number;
  upper: number;
  confidence: number;
}

/**
 * Hodges-Lehmann shift of y against x with the confidence interval from inverting the
 * Mann-Whitney test: [D_(k), D_(mn+1-k)] of the ordered differences, with
 * k = floor(mn/2 - z * sqrt(var U)) (normal approximation, tie-corrected variance).
 */
export function hodgesLehmann(x: readonly number[] | Float64Array, y: readonly number[] | Float64Array, confidence = 0.95): ShiftEstimate {
  if (confidence !== 0.95) throw new RangeError('only 95% intervals are implemented');
  const xs = sortedCopy(x);
  const ys = sortedCopy(y);
  const m = xs.length;
  const n = ys.length;
  if (m === 0 || n === 0) throw new RangeError('hodgesLehmann needs at least one value on each side');
  const mn = m * n;
  // Median of the mn differences: the middle one, or the mean of the two middle ones.
  const estimate = mn % 2 === 1
    ? kthPairwiseDifference(xs, ys, (mn + 1) / 2)
    : (kthPairwiseDifference(xs, ys, mn / 2) + kthPairwiseDifference(xs, ys, mn / 2 + 1)) / 2;
  const { tieTerm } = rankSumAndTies(xs, ys);
  const N = m + n;
  const varU = N > 1 ? (mn / 12) * (N + 1 - tieTerm / (N * (N - 1))) : 0;
  const k = Math.floor(mn / 2 - Z975 * Math.sqrt(varU));
  if (k < 1) return { estimate, lower: -Infinity, upper: Infinity, confidence };
  return { estimate, lower: kthPairwiseDifference(xs, ys, k), upper: kthPairwiseDifference(xs, ys, mn + 1 - k), confidence };
}
