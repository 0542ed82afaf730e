import { isExactAccuracy, isPiOutput } from '../core/types.js';
import type { CellResult, ResultsDocument } from '../results/document.js';
import { quantile } from '../metrics/stats.js';
import { pipelineOf, splitPipeline } from '../../scenarios/evm/ids.js';

/** One measured cell, flattened for charts and tables. */
export interface CellRow {
  key: string;
  scenario: string;
  /** backend, plus tier and threads when not the defaults: what a chart's colour stands for. */
  series: string;
  backend: string;
  tier: string;
  threads: number;
  n: number;
  status: string;
  reason?: string;
  /** Median time per call and a distribution-free 95% confidence interval of it, ms. */
  p50Ms: number;
  ciLoMs: number;
  ciHiMs: number;
  nsPerSample: number;
  compileMs: number;
  firstCallMs: number;
  absError?: number;
  sigma?: number;
  z?: number;
  /** EVM cells: gas used per call, throughput in Mgas/s at the median, and the engine's empty-call time. */
  gasUsed?: number;
  mgasPerS?: number;
  emptyCallUs?: number;
  /** Compiling EVM engines: the phases of compiling the called contract, ms (from the first ok fork). */
  compilePhases?: Record<string, number>;
  /** EVM cells: the scenario without its pipeline suffix, the solc pipeline (Solidity scenarios) and the runtime bytecode size. */
  workload?: string;
  pipeline?: string;
  bytecodeBytes?: number;
  /** EVM cells: the scenario's group (e.g. 'corpus'), from the cell's info; charts show each group apart. */
  group?: string;
  warmupClass: string;
  forks: number;
  /** Which run (file or shard) measured it, when a report covers several. */
  source: string;
}

/**
 * 95% CI of the median from order statistics (binomial ranks, normal approximation):
 * valid for any distribution, which timing samples are not (skewed, multi-modal).
 */
export function medianCi(samples: readonly number[]): [number, number] {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return [NaN, NaN];
  if (n < 6) return [s[0]!, s[n - 1]!];
  const half = 1.96 * Math.sqrt(n) / 2;
  const lo = Math.max(0, Math.floor(n / 2 - half) - 1);
  const hi = Math.min(n - 1, Math.ceil(n / 2 + half) - 1);
  return [s[lo]!, s[hi]!];
}

export function seriesName(c: Pick<CellResult, 'backend' | 'tier' | 'threads'>): string {
  const extras = [c.tier !== 'default' ? c.tier : '', c.threads !== 1 ? `${c.threads} threads` : ''].filter(Boolean);
  return extras.length ? `${c.backend} (${extras.join(', ')})` : c.backend;
}

const PHASES = ['analysisMs', 'buildMs', 'optimizeMs', 'emitMs', 'v8CompileMs', 'instantiateMs'] as const;

/** The compile phases an EVM compiler recorded in a cell's info (`info.compile`), if any. */
function compilePhasesOf(c: CellResult): { compilePhases?: Record<string, number> } {
  const info = c.forks.find((f) => f.status === 'ok')?.info?.['compile'] as Record<string, unknown> | undefined;
  if (!info) return {};
  const phases: Record<string, number> = {};
  for (const k of PHASES) if (typeof info[k] === 'number') phases[k] = info[k] as number;
  return Object.keys(phases).length ? { compilePhases: phases } : {};
}

/** Rows for every cell that has a summary (measured at least once). */
export function cellRows(docs: Array<{ label: string; doc: ResultsDocument }>): CellRow[] {
  const rows: CellRow[] = [];
  for (const { label, doc } of docs) {
    for (const c of doc.cells) {
      if (!c.summary) continue;
      const samples = c.forks.filter((f) => f.status === 'ok').flatMap((f) => f.samples);
      const [lo, hi] = medianCi(samples);
      const stat = c.accuracy && !isExactAccuracy(c.accuracy) ? c.accuracy : undefined;
      const p50Ms = quantile([...samples].sort((a, b) => a - b), 0.5);
      const gasUsed = c.output && !isPiOutput(c.output) ? c.output.evm.gasUsed : undefined;
      const empty = c.forks.map((f) => f.info?.['emptyCallUs']).filter((x): x is number => typeof x === 'number');
      const pipeline = pipelineOf(c.scenario);
      const bytes = c.forks.map((f) => f.info?.['bytecodeBytes']).find((x): x is number => typeof x === 'number');
      const group = c.forks.map((f) => f.info?.['group']).find((x): x is string => typeof x === 'string');
      rows.push({
        key: c.key,
        scenario: c.scenario,
        series: seriesName(c),
        backend: c.backend,
        tier: c.tier,
        threads: c.threads,
        n: c.n,
        status: c.status,
        reason: c.reason,
        p50Ms,
        ciLoMs: lo,
        ciHiMs: hi,
        nsPerSample: c.summary.nsPerSample,
        compileMs: c.summary.compileMs,
        firstCallMs: c.summary.firstCallMs,
        absError: stat?.absError,
        sigma: stat?.sigma,
        z: stat?.z,
        ...(gasUsed !== undefined ? { gasUsed, mgasPerS: gasUsed / p50Ms / 1000 } : {}),
        ...(empty.length > 0 ? { emptyCallUs: quantile([...empty].sort((a, b) => a - b), 0.5) } : {}),
        ...compilePhasesOf(c),
        ...(c.scenario.startsWith('evm:') ? { workload: splitPipeline(c.scenario).base } : {}),
        ...(pipeline !== undefined ? { pipeline } : {}),
        ...(bytes !== undefined ? { bytecodeBytes: bytes } : {}),
        ...(group !== undefined ? { group } : {}),
        warmupClass: c.summary.warmupClasses.includes('no steady state') ? 'no steady state' : (c.summary.warmupClasses[0] ?? 'too few samples'),
        forks: c.summary.forksOk,
        source: c.shard !== undefined ? `${label} shard ${c.shard}` : label,
      });
    }
  }
  return rows;
}

/** Per-iteration time series (warm-up then samples) of the first ok fork of each cell, thinned to `max` points. */
export function warmupRows(docs: Array<{ label: string; doc: ResultsDocument }>, max = 300): Array<{ scenario: string; series: string; n: number; i: number; ms: number; phase: string; warmupClass: string }> {
  const out: Array<{ scenario: string; series: string; n: number; i: number; ms: number; phase: string; warmupClass: string }> = [];
  for (const { doc } of docs) {
    for (const c of doc.cells) {
      const f = c.forks.find((x) => x.status === 'ok');
      if (!f) continue;
      const all = [...f.warmupSamples.map((ms) => ({ ms, phase: 'warm-up' })), ...f.samples.map((ms) => ({ ms, phase: 'samples' }))];
      const step = Math.max(1, Math.ceil(all.length / max));
      for (let i = 0; i < all.length; i += step) out.push({ scenario: c.scenario, series: seriesName(c), n: c.n, i, ms: all[i]!.ms, phase: all[i]!.phase, warmupClass: f.warmupClass });
    }
  }
  return out;
}
