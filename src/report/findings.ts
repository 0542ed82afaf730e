import type { ResultsDocument } from '../results/document.js';
import { replicatesOf, type CellRow } from './data.js';
import { BOOTSTRAP_METHOD, ratioInterval } from '../metrics/bootstrap.js';
import { isMeasured } from '../results/verdict.js';
import { netMs, netTimeFlags } from './net-time.js';

export interface Fastest {
  scenario: string;
  n: number;
  series: string;
  p50Ms: number;
  runnerUp?: string;
  /** runner-up median / fastest median, with its 95% interval */
  margin?: number;
  marginLo?: number;
  marginHi?: number;
  /** The 95% interval of runner-up / fastest includes 1: a tie within the noise. */
  tie: boolean;
}

export interface Crossover {
  scenario: string;
  from: string;
  to: string;
  /** Last n where `from` was fastest and first n where `to` is. */
  nBelow: number;
  nAbove: number;
}

export interface Speedup {
  series: string;
  n: number;
  speedup: number;
  lo: number;
  hi: number;
}

/** An EVM engine against the reference JavaScript EVM on one workload. */
export interface EvmSpeedup {
  scenario: string;
  n: number;
  series: string;
  baseline: string;
  speedup: number;
  lo: number;
  hi: number;
  /** Speedup of the time net of each engine's empty-call time (its fixed per-call cost). */
  netSpeedup?: number;
}

/** One EVM engine on one Solidity workload compiled both ways: gas used, time and bytecode size. */
export interface EvmPipelineComparison {
  /** The scenario without the pipeline suffix (evm:fib). */
  workload: string;
  n: number;
  series: string;
  legacy: { gasUsed?: number; p50Ms: number; bytecodeBytes?: number };
  viaIR: { gasUsed?: number; p50Ms: number; bytecodeBytes?: number };
  /** viaIR / legacy: below 1, viaIR's code uses less gas / runs faster. */
  gasRatio?: number;
  timeRatio: number;
}

/** After how many calls compiling pays off against the interpreter on the same workload. */
export interface EvmBreakEven {
  scenario: string;
  n: number;
  series: string;
  compileMs: number;
  /** The interpreter it is weighed against (the scenario's breakEvenBaseline). */
  baseline: string;
  /** Time saved per call against the baseline (its median minus ours), ms. */
  savedMsPerCall: number;
  /** ceil(compileMs / savedMsPerCall); undefined when the compiled code is not faster. */
  calls?: number;
}

export interface Findings {
  fastest: Fastest[];
  evmBreakEven: EvmBreakEven[];
  evmSpeedups: EvmSpeedup[];
  evmPipelines: EvmPipelineComparison[];
  crossovers: Crossover[];
  pareto: CellRow[];
  tradeoff?: CellRow;
  speedups: Speedup[];
  flagged: Array<{ key: string; status: string; reason: string }>;
  caveats: string[];
}

/** Cells that may be fastest, a crossover, on the Pareto frontier or in a speedup: measured, and no answer of theirs refuted or in doubt. */
const usable = (r: CellRow) => isMeasured(r) && Number.isFinite(r.p50Ms);

/** a's time over b's (b's speedup over a) with the 95% interval from both cells' bootstrap replicates. */
export function timeRatio(a: CellRow, b: CellRow): { ratio: number; lo: number; hi: number } {
  const ra = replicatesOf(a);
  const rb = replicatesOf(b);
  const [lo, hi] = ra && rb && ra.length && rb.length ? ratioInterval(ra, rb) : [a.ciLoMs / b.ciHiMs, a.ciHiMs / b.ciLoMs];
  return { ratio: a.p50Ms / b.p50Ms, lo, hi };
}
/** A measurement point (scenario and n), the same across series. */
const pointKey = (r: CellRow) => `${r.scenario}\u0000${r.n}`;

function fastestPerN(rows: CellRow[]): Fastest[] {
  const out: Fastest[] = [];
  const groups = new Map<string, CellRow[]>();
  for (const r of rows.filter(usable)) groups.set(pointKey(r), [...(groups.get(pointKey(r)) ?? []), r]);
  for (const g of groups.values()) {
    const sorted = [...g].sort((a, b) => a.p50Ms - b.p50Ms);
    const [a, b] = sorted;
    const m = b ? timeRatio(b, a!) : undefined;
    out.push({
      scenario: a!.scenario, n: a!.n, series: a!.series, p50Ms: a!.p50Ms, runnerUp: b?.series,
      ...(m ? { margin: m.ratio, marginLo: m.lo, marginHi: m.hi } : {}), tie: m ? m.lo <= 1 : false,
    });
  }
  return out.sort((x, y) => x.scenario.localeCompare(y.scenario) || x.n - y.n);
}

function crossovers(fastest: Fastest[]): Crossover[] {
  const out: Crossover[] = [];
  for (let i = 1; i < fastest.length; i++) {
    const a = fastest[i - 1]!;
    const b = fastest[i]!;
    if (a.scenario === b.scenario && a.series !== b.series) out.push({ scenario: a.scenario, from: a.series, to: b.series, nBelow: a.n, nAbove: b.n });
  }
  return out;
}

/** Cells no other cell beats on both time and |error| (the classic study's trade-off curve). */
export function paretoFrontier(rows: CellRow[]): CellRow[] {
  const pts = rows.filter((r) => usable(r) && r.absError !== undefined && r.absError > 0);
  return pts
    .filter((p) => !pts.some((q) => q !== p && q.p50Ms <= p.p50Ms && q.absError! <= p.absError! && (q.p50Ms < p.p50Ms || q.absError! < p.absError!)))
    .sort((a, b) => a.p50Ms - b.p50Ms);
}

/** The frontier point closest to the ideal corner after scaling log(time) and log(|error|) to [0, 1]. */
export function tradeoffPoint(frontier: CellRow[]): CellRow | undefined {
  if (frontier.length === 0) return undefined;
  const lt = frontier.map((r) => Math.log10(r.p50Ms));
  const le = frontier.map((r) => Math.log10(r.absError!));
  const norm = (v: number, all: number[]) => {
    const lo = Math.min(...all);
    const hi = Math.max(...all);
    return hi > lo ? (v - lo) / (hi - lo) : 0;
  };
  let best = 0;
  let bestD = Infinity;
  frontier.forEach((_, i) => {
    const d = Math.hypot(norm(lt[i]!, lt), norm(le[i]!, le));
    if (d < bestD) { bestD = d; best = i; }
  });
  return frontier[best];
}

/** The rows of one series by point. */
function seriesByPoint(rows: CellRow[], series: string): Map<string, CellRow> {
  return new Map(rows.filter((r) => r.series === series).map((r) => [pointKey(r), r]));
}

/** The usable rows compared with a baseline series (Scenario.report.speedupBaseline), by baseline. */
function byBaseline(rows: CellRow[], net: boolean): Map<string, CellRow[]> {
  const out = new Map<string, CellRow[]>();
  for (const r of rows) if (usable(r) && r.speedupBaseline && Boolean(r.netSpeedups) === net) out.set(r.speedupBaseline, [...(out.get(r.speedupBaseline) ?? []), r]);
  return out;
}

/** Speedup of every series over the scenario's baseline (pi: plain `ts`, default tier, 1 thread) at the same n, with an interval from the two CIs. */
function speedups(rows: CellRow[]): Speedup[] {
  return [...byBaseline(rows, false)].flatMap(([baseline, group]) => {
    const base = seriesByPoint(group, baseline);
    return group.filter((r) => r.series !== baseline).flatMap((r) => {
    const t = base.get(pointKey(r));
    if (!t) return [];
    const q = timeRatio(t, r);
    return [{ series: r.series, n: r.n, speedup: q.ratio, lo: q.lo, hi: q.hi }];
    });
  });
}

/** Speedups with net figures (scenarios whose kernels have a fixed per-call cost: the EVM engines against ethereumjs). */
function evmSpeedups(rows: CellRow[]): EvmSpeedup[] {
  return [...byBaseline(rows, true)].flatMap(([baseline, evm]) => {
  const base = seriesByPoint(evm, baseline);
  return evm.filter((r) => r.series !== baseline).flatMap((r) => {
    const b = base.get(pointKey(r));
    if (!b) return [];
    const nb = netMs(b);
    const nr = netMs(r);
    const q = timeRatio(b, r);
    return [{
      scenario: r.scenario, n: r.n, series: r.series, baseline,
      speedup: q.ratio, lo: q.lo, hi: q.hi,
      ...(nb !== undefined && nr !== undefined ? { netSpeedup: nb / nr } : {}),
    }];
  });
  });
}

/** Compile time against the time a compiling backend saves per call over the scenario's interpreter (breakEvenBaseline). */
function evmBreakEven(rows: CellRow[]): EvmBreakEven[] {
  const evm = rows.filter((r) => usable(r) && r.breakEvenBaseline !== undefined);
  return evm.filter((r) => r.compilePhases !== undefined).flatMap((r) => {
    const i = seriesByPoint(evm.filter((x) => x.breakEvenBaseline === r.breakEvenBaseline), r.breakEvenBaseline!).get(pointKey(r));
    if (!i) return [];
    const saved = i.p50Ms - r.p50Ms;
    return [{ scenario: r.scenario, n: r.n, series: r.series, compileMs: r.compileMs, baseline: r.breakEvenBaseline!, savedMsPerCall: saved, ...(saved > 0 ? { calls: Math.ceil(r.compileMs / saved) } : {}) }];
  });
}

/** Legacy against viaIR for every (workload, n, engine) measured both ways. */
function evmPipelines(rows: CellRow[]): EvmPipelineComparison[] {
  const groups = new Map<string, Map<string, CellRow>>();
  for (const r of rows.filter((x) => usable(x) && x.pipeline !== undefined && x.workload !== undefined)) {
    const k = `${r.workload}\u0000${r.n}\u0000${r.series}`;
    const g = groups.get(k) ?? new Map<string, CellRow>();
    g.set(r.pipeline!, r);
    groups.set(k, g);
  }
  const side = (r: CellRow) => ({ ...(r.gasUsed !== undefined ? { gasUsed: r.gasUsed } : {}), p50Ms: r.p50Ms, ...(r.bytecodeBytes !== undefined ? { bytecodeBytes: r.bytecodeBytes } : {}) });
  const out: EvmPipelineComparison[] = [];
  for (const g of groups.values()) {
    const l = g.get('legacy');
    const v = g.get('viaIR');
    if (!l || !v) continue;
    out.push({
      workload: l.workload!, n: l.n, series: l.series, legacy: side(l), viaIR: side(v),
      ...(l.gasUsed && v.gasUsed !== undefined ? { gasRatio: v.gasUsed / l.gasUsed } : {}),
      timeRatio: v.p50Ms / l.p50Ms,
    });
  }
  return out.sort((a, b) => a.workload.localeCompare(b.workload) || a.n - b.n || a.series.localeCompare(b.series));
}

function caveats(docs: ResultsDocument[], rows: CellRow[]): string[] {
  const out: string[] = [];
  if (docs.some((d) => d.plan.forks < 2)) out.push('Some runs used one fork per cell: the spread between processes is not measured there.');
  if (docs.some((d) => d.plan.isolate === 'none')) out.push('Some runs used --isolate none: cells shared one process, so compile and first-call times are not from a fresh process and JIT state leaks between cells.');
  if (docs.some((d) => d.status !== 'complete')) out.push('A run was interrupted: cells it did not reach are listed as skipped.');
  const machines = new Set(docs.flatMap((d) => (d.shards?.map((s) => s.environment) ?? [d.environment]).map((e) => `${e.hostname}/${e.cpuModel}`)));
  if (machines.size > 1) out.push(`The cells were measured on ${machines.size} machines (see the environment per run/shard): compare cells from one machine before comparing machines.`);
  const few = rows.filter((r) => r.warmupClass === 'too few samples');
  if (few.length) out.push(`${few.length} cell(s) had too few calls to classify their warm-up (long calls within the --time budget): their medians rest on few samples.`);
  for (const caveat of new Set(rows.map((r) => r.caveat).filter((c): c is string => c !== undefined))) out.push(caveat);
  if (rows.some((r) => r.backend === 'wasm')) out.push('wasm compile times exclude loading binaryen.js itself (toolLoadMs, stored per fork).');
  out.push(`Times are medians over forks (fresh processes) of each fork's median time per call; bands and intervals are ${BOOTSTRAP_METHOD}.`);
  return out;
}

export function findings(docs: ResultsDocument[], rows: CellRow[]): Findings {
  const fastest = fastestPerN(rows);
  const pareto = paretoFrontier(rows);
  const flagged = docs.flatMap((d) => d.cells)
    .filter((c) => c.status !== 'ok' || c.summary?.warmupClasses.includes('no steady state'))
    .map((c) => ({ key: c.key, status: c.status === 'ok' ? 'no steady state' : c.status, reason: c.reason ?? 'the time per call was still moving at the end of the samples' }))
    .concat(netTimeFlags(rows));
  return { fastest, evmBreakEven: evmBreakEven(rows), evmSpeedups: evmSpeedups(rows), evmPipelines: evmPipelines(rows), crossovers: crossovers(fastest), pareto, tradeoff: tradeoffPoint(pareto), speedups: speedups(rows), flagged, caveats: caveats(docs, rows) };
}
