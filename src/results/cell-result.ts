import { accuracyRank, isExactAccuracy, worstAccuracy } from '../core/types.js';
import { describe, forkSpread } from '../metrics/stats.js';
import { describeAnswers } from './answers.js';
import type { PlannedCell } from '../plan/plan.js';
import type { CellResult, CellSummary } from './document.js';
import type { ForkMeasurement } from './measurement.js';

const median = (xs: number[]) => describe(xs).p50;

/** Summary of a cell over its successful forks. */
export function summarize(forks: readonly ForkMeasurement[], n: number): CellSummary | undefined {
  const ok = forks.filter((f) => f.status === 'ok');
  if (ok.length === 0) return undefined;
  const p50s = ok.map((f) => f.stats.p50);
  const p50Ms = median(p50s);
  return {
    forksOk: ok.length,
    p50Ms,
    meanMs: median(ok.map((f) => f.stats.mean)),
    rmePct: median(ok.map((f) => f.stats.rme)),
    nsPerSample: (p50Ms * 1e6) / n,
    samplesPerSecond: n / (p50Ms / 1e3),
    compileMs: median(ok.map((f) => f.compileMs)),
    firstCallMs: median(ok.map((f) => f.firstCallMs)),
    timeToFirstResultMs: median(ok.map((f) => f.timeToFirstResultMs)),
    toolLoadMs: median(ok.map((f) => f.toolLoadMs)),
    peakRssBytes: Math.max(...ok.map((f) => f.memory.peakRssBytes)),
    heapUsedPeakBytes: Math.max(...ok.map((f) => f.memory.heapUsedPeakBytes)),
    forkSpread: forkSpread(p50s),
    warmupClasses: ok.map((f) => f.warmupClass),
    batch: Math.max(...ok.map((f) => f.batch)),
    samples: ok.reduce((a, f) => a + f.stats.count, 0),
    checkedCalls: ok.reduce((a, f) => a + f.checkedCalls, 0),
    ...(ok.every((f) => f.timedCalls !== undefined) ? { timedCalls: ok.reduce((a, f) => a + f.timedCalls!, 0) } : {}),
  };
}

/** A cell result as far as it is known: pending forks leave it 'pending'. */
export function cellResult(cell: PlannedCell, seed: number, forks: ForkMeasurement[], expectedForks: number): CellResult {
  const base = { key: cell.key, scenario: cell.scenario, backend: cell.backend, n: cell.n, seed, threads: cell.threads, tier: cell.tier, v8Flags: cell.v8Flags };
  if (cell.skipReason) return { ...base, status: 'skipped', reason: cell.skipReason, forks: [] };
  if (forks.length < expectedForks) return { ...base, status: 'pending', forks };
  const sorted = [...forks].sort((a, b) => a.fork - b.fork);
  const ok = sorted.filter((f) => f.status === 'ok');
  const failed = sorted.filter((f) => f.status === 'error');
  const worst = worstAccuracy(ok.map((f) => f.accuracy).filter((a) => a !== undefined));
  const result: CellResult = { ...base, status: 'ok', forks: sorted, summary: summarize(sorted, cell.n), output: ok[0]?.output, accuracy: worst };
  if (failed.length > 0) {
    result.status = 'error';
    result.reason = failed.map((f) => `fork ${f.fork}: ${f.reason}`).join('; ');
  } else if (worst && isExactAccuracy(worst)) {
    if (!worst.matches) {
      result.status = 'wrong';
      result.reason = `returned ${worst.actual}, expected ${worst.expected}`;
    }
  } else if (worst && accuracyRank(worst) === 2) {
    result.status = 'wrong';
    result.reason = `malformed answer: ${worst.invalid ?? `estimate ${worst.estimate}, z ${worst.z}`}`;
  } else if (worst?.suspect) {
    result.status = 'suspect';
    result.reason = `|z| = ${Math.abs(worst.z).toFixed(2)} > 6: the estimate is further from pi than sampling noise explains`;
  } else if (ok.some((f) => f.checkedCalls === 0)) {
    const unchecked = ok.filter((f) => f.checkedCalls === 0).map((f) => f.fork);
    result.status = 'unchecked';
    result.reason = `no answer was checked (fork${unchecked.length > 1 ? 's' : ''} ${unchecked.join(', ')}): the backend's entry point has no @accuracy`;
  }
  return result;
}

/** Applies the answer check to a finished cell's status (error, then wrong, then disputed outrank the rest). */
export function applyAnswerCheck(c: CellResult): void {
  if (c.status === 'error' || c.status === 'skipped' || c.status === 'pending') return;
  if (c.answerCheck?.matches === false) {
    c.status = 'wrong';
    c.reason = describeAnswers(c);
  } else if (c.answerCheck?.disputed && c.status !== 'wrong') {
    c.status = 'disputed';
    c.reason = describeAnswers(c);
  }
}
