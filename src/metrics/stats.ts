/** Descriptive statistics of timing samples (ms). */
export interface SampleStats {
  count: number;
  mean: number;
  p50: number;
  p75: number;
  p99: number;
  min: number;
  max: number;
  sd: number;
  /** Relative margin of error of the mean at 95% confidence, in percent. */
  rme: number;
}

/** Linear-interpolated quantile of sorted values (R type 7, as numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Two-sided 95% Student t critical values for small degrees of freedom; 1.96 beyond. */
const T95 = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
export function t95(df: number): number {
  if (df <= 0) return NaN;
  return df < T95.length ? T95[df]! : 1.96;
}

export function describe(samples: readonly number[]): SampleStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const count = sorted.length;
  const mean = sorted.reduce((a, b) => a + b, 0) / (count || 1);
  const variance = count > 1 ? sorted.reduce((a, b) => a + (b - mean) ** 2, 0) / (count - 1) : 0;
  const sd = Math.sqrt(variance);
  const rme = count > 1 && mean > 0 ? ((t95(count - 1) * sd) / Math.sqrt(count) / mean) * 100 : NaN;
  return {
    count,
    mean,
    p50: quantile(sorted, 0.5),
    p75: quantile(sorted, 0.75),
    p99: quantile(sorted, 0.99),
    min: sorted[0] ?? NaN,
    max: sorted[count - 1] ?? NaN,
    sd,
    rme,
  };
}

/** Spread between forks: each fork's median, and how far they sit apart. */
export interface ForkSpread {
  forks: number;
  medians: number[];
  min: number;
  max: number;
  /** (max - min) / median of the medians, percent. */
  rangePct: number;
  /** Coefficient of variation of the fork medians, percent (NaN for one fork). */
  cvPct: number;
}

export function forkSpread(medians: readonly number[]): ForkSpread {
  const s = describe(medians);
  return {
    forks: medians.length,
    medians: [...medians],
    min: s.min,
    max: s.max,
    rangePct: medians.length > 1 ? ((s.max - s.min) / s.p50) * 100 : 0,
    cvPct: medians.length > 1 ? (s.sd / s.mean) * 100 : NaN,
  };
}

export type WarmupClass = 'flat' | 'warmup' | 'slowdown' | 'no steady state' | 'too few samples';

/**
 * Classifies a per-call time series (in call order): compares the medians of its first
 * tenth, third quarter and last quarter. The last two quarters within `tolerance` of each
 * other is a steady state; the first tenth slower than it is a warm-up, faster a slowdown.
 */
export function classifyWarmup(series: readonly number[], tolerance = 0.1): WarmupClass {
  if (series.length < 12) return 'too few samples';
  const med = (a: readonly number[]) => quantile([...a].sort((x, y) => x - y), 0.5);
  const n = series.length;
  const head = med(series.slice(0, Math.max(3, Math.floor(n / 10))));
  const q3 = med(series.slice(Math.floor(n / 2), Math.floor((3 * n) / 4)));
  const q4 = med(series.slice(Math.floor((3 * n) / 4)));
  if (Math.abs(q4 - q3) > tolerance * Math.min(q3, q4)) return 'no steady state';
  const steady = (q3 + q4) / 2;
  if (head > steady * (1 + tolerance)) return 'warmup';
  if (head < steady * (1 - tolerance)) return 'slowdown';
  return 'flat';
}
