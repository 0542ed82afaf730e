import { isExactAccuracy, type ReportHints } from '../core/types.js';
import type { CellResult, ResultsDocument } from '../results/document.js';
import { quantile } from '../metrics/stats.js';
import { bootstrapMedians, medianOfForkMedians, percentileInterval, seedOf } from '../metrics/bootstrap.js';
import { familyOf, findScenario } from '../core/registry.js';

/** One measured cell, flattened for charts and tables. */
export interface CellRow {
  key: string;
  scenario: string;
  /** The scenario's family ('evm' for every EVM scenario), or the scenario itself when it has none. */
  family: string;
  /** What the scenario's backends are compared with (Scenario.report / ScenarioFamily.report). */
  speedupBaseline?: string;
  netSpeedups?: boolean;
  breakEvenBaseline?: string;
  caveat?: string;
  /** backend, plus tier and threads when not the defaults: what a chart's colour stands for. */
  series: string;
  backend: string;
  tier: string;
  threads: number;
  n: number;
  status: string;
  reason?: string;
  /** Median over forks of the per-fork median time per call, and its 95% hierarchical-bootstrap interval, ms. */
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
  /** Calls whose answer was checked and calls made in timed regions (batches check their last call). */
  checkedCalls?: number;
  timedCalls?: number;
  forks: number;
  /** Which run (file or shard) measured it, when a report covers several. */
  source: string;
}

/** Bootstrap replicates of each row's median (src/metrics/bootstrap.ts), kept out of the rows that charts embed. */
const replicates = new WeakMap<CellRow, Float64Array>();

/** The bootstrap replicates of a row's median (for intervals of ratios between rows). */
export function replicatesOf(row: CellRow): Float64Array | undefined {
  return replicates.get(row);
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

/** The report hints of a scenario's family, else of the scenario (registered in this process). */
function hintsOf(id: string): ReportHints {
  return familyOf(id)?.report ?? findScenario(id)?.report ?? {};
}

/** Rows for every cell that has a summary (measured at least once). */
export function cellRows(docs: Array<{ label: string; doc: ResultsDocument }>): CellRow[] {
  const rows: CellRow[] = [];
  for (const { label, doc } of docs) {
    for (const c of doc.cells) {
      if (!c.summary) continue;
      const forkSamples = c.forks.filter((f) => f.status === 'ok').map((f) => f.samples);
      const reps = bootstrapMedians(forkSamples, seedOf(`${label}\u0000${c.key}`));
      const [lo, hi] = percentileInterval(reps);
      const stat = c.accuracy && !isExactAccuracy(c.accuracy) ? c.accuracy : undefined;
      const p50Ms = medianOfForkMedians(forkSamples);
      const fields = c.output ? (familyOf(c.scenario)?.reportFields?.(c.output) ?? {}) : {};
      const gasUsed = typeof fields['gasUsed'] === 'number' ? fields['gasUsed'] : undefined;
      const empty = c.forks.map((f) => f.info?.['emptyCallUs']).filter((x): x is number => typeof x === 'number');
      const scenario = findScenario(c.scenario, doc.plan.cases?.[c.scenario]);
      const pipeline = scenario?.pipeline;
      const bytes = c.forks.map((f) => f.info?.['bytecodeBytes']).find((x): x is number => typeof x === 'number');
      const group = c.forks.map((f) => f.info?.['group']).find((x): x is string => typeof x === 'string');
      const row: CellRow = {
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
        family: familyOf(c.scenario)?.id ?? c.scenario,
        ...hintsOf(c.scenario),
        ...(scenario?.workload !== undefined ? { workload: scenario.workload } : {}),
        ...(pipeline !== undefined ? { pipeline } : {}),
        ...(bytes !== undefined ? { bytecodeBytes: bytes } : {}),
        ...(group !== undefined ? { group } : {}),
        warmupClass: c.summary.warmupClasses.includes('no steady state') ? 'no steady state' : (c.summary.warmupClasses[0] ?? 'too few samples'),
        ...(c.summary.checkedCalls !== undefined ? { checkedCalls: c.summary.checkedCalls } : {}),
        ...(c.summary.timedCalls !== undefined ? { timedCalls: c.summary.timedCalls } : {}),
        forks: c.summary.forksOk,
        source: c.shard !== undefined ? `${label} shard ${c.shard}` : label,
      };
      replicates.set(row, reps);
      rows.push(row);
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
