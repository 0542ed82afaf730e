import { performance } from 'node:perf_hooks';
import { Bench } from 'tinybench';
import type { Accuracy, Backend, CellParams, Kernel, KernelOutput } from '../core/types.js';
import { findBackend, findScenario } from '../core/registry.js';
import { measureHarnessOverhead, type HarnessOverhead } from '../metrics/overhead.js';
import { activeRecorder, CellRecorder, useRecorder } from '../metrics/recorder.js';
import { classifyWarmup, describe, type SampleStats, type WarmupClass } from '../metrics/stats.js';
import { oneLine } from '../util/errors.js';
import type { CellSpec } from '../plan/cell-spec.js';
import type { BaselineMeasurement, ForkMeasurement, MemoryFacts } from '../results/measurement.js';

export type { ForkMeasurement };

/** A timed region shorter than this is batched: 20 us keeps timer quantization under ~0.2%. */
export const MIN_REGION_MS = 0.02;
/** Share of the cell budget spent warming up before samples are kept... */
const WARMUP_SHARE = 0.2;
/** ...extended up to this share while the per-call time is still moving (JIT tier-up). */
const WARMUP_MAX_SHARE = 0.5;

/** Steady: the median of the last 5 calls within 10% of the 5 before. */
function steady(series: readonly number[]): boolean {
  if (series.length < 10) return false;
  const med = (a: number[]) => a.sort((x, y) => x - y)[2]!;
  const last = med(series.slice(-5));
  const prev = med(series.slice(-10, -5));
  return Math.abs(last - prev) <= 0.1 * Math.min(last, prev);
}
/** Samples kept per fork at most (a budget of seconds at 20 us per sample stays below this). */
const MAX_SAMPLES = 50_000;
/** Warm-up points kept per fork: evenly strided, enough to draw the curve (warmupCalls has the count). */
const MAX_WARMUP_POINTS = 2_000;
/** Share of the cell budget spent measuring the kernel's baseline (Kernel.baseline) after the samples. */
export const BASELINE_SHARE = 0.25;
/** Iterations of the harness-overhead measurement in each fork (a small fixed cost per process). */
export const FORK_OVERHEAD_ITERATIONS = 20_000;

function strided(xs: readonly number[], max: number): number[] {
  if (xs.length <= max) return [...xs];
  const step = xs.length / max;
  return Array.from({ length: max }, (_, k) => xs[Math.floor(k * step)]!);
}

function memoryNow(peakHeap: number): MemoryFacts {
  const m = process.memoryUsage();
  return {
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    heapUsedPeakBytes: Math.max(peakHeap, m.heapUsed),
    heapTotalBytes: m.heapTotal,
    externalBytes: m.external,
    arrayBuffersBytes: m.arrayBuffers,
  };
}

interface SteadyState {
  /** Per-call times of the warm-up calls and of the steady-state samples, in order. */
  warmup: number[];
  samples: number[];
  batch: number;
}

/**
 * Warm-up, batch calibration and steady-state sampling of a kernel whose first call has run:
 * the one routine every timed kernel goes through (the cell's kernel and its baseline alike).
 */
async function sampleSteadyState(kernel: Kernel, params: CellParams, budget: number, rec: CellRecorder, firstCallMs: number, isAsync: boolean, name: string): Promise<SteadyState> {
  // Warm-up: WARMUP_SHARE of the budget, longer (up to WARMUP_MAX_SHARE) until the time per
  // call stops moving; a call longer than half the budget gets no warm-up beyond the first call.
  const warmupStart = rec.series.length;
  const w0 = performance.now();
  if (firstCallMs < budget / 2) {
    for (;;) {
      const r = kernel.run(params);
      if (isAsync) await r;
      const elapsed = performance.now() - w0;
      if (elapsed >= budget * WARMUP_MAX_SHARE) break;
      if (elapsed >= budget * WARMUP_SHARE && steady(rec.series.slice(Math.max(warmupStart, rec.series.length - 10)))) break;
    }
  }
  const warmupMs = performance.now() - w0;
  // Calibrate the batch from the end of the warm-up (the code the steady state will run).
  const recent = rec.series.slice(-5).sort((a, b) => a - b);
  const typical = recent[Math.floor(recent.length / 2)] ?? firstCallMs;
  rec.batch = !isAsync && typical < MIN_REGION_MS ? Math.ceil(MIN_REGION_MS / Math.max(typical, 1e-6)) : 1;
  const runStart = rec.series.length;
  const runBudget = Math.max(budget - warmupMs, budget * (1 - WARMUP_MAX_SHARE));
  const bench = new Bench({
    name,
    time: runBudget,
    iterations: typical * 3 <= runBudget ? 3 : 1,
    warmup: false,
    retainSamples: false,
    throws: true,
  });
  const timed = () => ({ overriddenDuration: rec.lastCallMs, overriddenIterationCost: rec.lastRegionMs });
  if (isAsync) bench.add(name, async () => { await kernel.run(params); return timed(); });
  else bench.add(name, () => { kernel.run(params); return timed(); });
  // Sync kernels run in tinybench's synchronous loop: no microtask turn per iteration.
  if (isAsync) await bench.run();
  else bench.runSync();
  const task = bench.tasks[0]!;
  const result = task.result as { state: string; error?: Error };
  if (result.state === 'errored') throw result.error ?? new Error('benchmark task failed');
  return { warmup: rec.series.slice(warmupStart, runStart), samples: rec.series.slice(runStart), batch: rec.batch };
}

/**
 * A kernel's baseline in its own recorder: a first call, then the same routine as the kernel
 * (warm-up, batching below MIN_REGION_MS, tinybench sampling) within `budget` ms.
 */
async function measureBaseline(kernel: Kernel, params: CellParams, budget: number, name: string): Promise<BaselineMeasurement> {
  const saved = activeRecorder();
  const rec = useRecorder(new CellRecorder());
  try {
    const first = kernel.run(params);
    const isAsync = first instanceof Promise;
    await first;
    const run = await sampleSteadyState(kernel, params, budget, rec, rec.lastCallMs, isAsync, `${name} baseline`);
    return { p50Ms: describe(run.samples).p50, batch: run.batch, samples: run.samples.length, warmupCalls: run.warmup.length };
  } finally {
    useRecorder(saved);
    await kernel.dispose();
  }
}

/**
 * Measures one fork of one cell in this process: prepare, first call, warm-up, steady state;
 * then, so that none of it warms the first call, the kernel's baseline and calibration, and the
 * harness's own overhead at this process's tier. `backend` defaults to the registered one of
 * spec.backend (tests pass their own).
 */
export async function measureFork(spec: CellSpec, backend: Backend | undefined = findBackend(spec.backend)): Promise<ForkMeasurement> {
  const wall0 = performance.now();
  const rec = useRecorder(new CellRecorder());
  rec.debug = spec.debug;
  const base: ForkMeasurement = {
    status: 'error', fork: spec.fork, pid: process.pid, execArgv: process.execArgv, toolLoadMs: 0, compileMs: NaN, firstCallMs: NaN, timeToFirstResultMs: NaN,
    batch: 1, warmupCalls: 0, warmupSamples: [], samples: [], samplesTruncated: false, stats: describe([]), warmupClass: 'too few samples',
    samplesPerSecond: NaN, nsPerSample: NaN, checkedCalls: 0, memory: memoryNow(0), info: {}, wallMs: 0,
  };
  let scenario;
  try {
    scenario = findScenario(spec.scenario, spec.caseData);
  } catch (e) {
    return { ...base, reason: oneLine(e) };
  }
  if (!backend || !scenario) return { ...base, reason: `unknown backend or scenario: ${spec.backend} / ${spec.scenario}` };
  const params = { n: spec.n, seed: spec.seed, threads: spec.threads };
  let heapPeak = 0;
  const markHeap = () => { heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed); };

  let kernel;
  try {
    let t = performance.now();
    kernel = await backend.prepare(scenario, params);
    const prepareMs = performance.now() - t;
    const info = kernel.info();
    const toolLoadMs = typeof info.toolLoadMs === 'number' ? info.toolLoadMs : 0;
    base.toolLoadMs = toolLoadMs;
    base.compileMs = prepareMs - toolLoadMs;
    markHeap();

    // First call: batch 1, cold code.
    rec.batch = 1;
    const first = kernel.run(params);
    const isAsync = first instanceof Promise;
    await first;
    if (rec.series.length === 0) throw new Error(`backend ${spec.backend}: its kernel's run() recorded no time: decorate it with @perfTime() (or return a plain function from prepare())`);
    base.firstCallMs = rec.lastCallMs;
    base.timeToFirstResultMs = base.compileMs + base.firstCallMs;
    markHeap();

    const run = await sampleSteadyState(kernel, params, spec.timeMs, rec, base.firstCallMs, isAsync, spec.key);
    markHeap();

    const { warmup, samples } = run;
    const stats = describe(samples);
    // Calibration comes after the samples, so nothing but the first call ran before the first call.
    const baseline = kernel.baseline ? await measureBaseline(kernel.baseline(), params, spec.timeMs * BASELINE_SHARE, spec.key) : undefined;
    const calibration = kernel.calibrate ? await kernel.calibrate() : {};
    const harnessOverhead = await measureHarnessOverhead(FORK_OVERHEAD_ITERATIONS, FORK_OVERHEAD_ITERATIONS);
    const out: ForkMeasurement = {
      ...base,
      status: 'ok',
      batch: run.batch,
      warmupCalls: warmup.length,
      warmupSamples: strided(warmup, MAX_WARMUP_POINTS),
      samples: samples.slice(0, MAX_SAMPLES),
      samplesTruncated: samples.length > MAX_SAMPLES,
      stats,
      warmupClass: classifyWarmup([...warmup, ...samples]),
      samplesPerSecond: spec.n / (stats.p50 / 1e3),
      nsPerSample: (stats.p50 * 1e6) / spec.n,
      output: rec.lastOutput,
      accuracy: rec.worstAccuracy,
      checkedCalls: rec.checkedCalls,
      timedCalls: rec.timedCalls,
      outputs: [...rec.outputs.values()],
      ...(rec.outputsTruncated ? { outputsTruncated: true } : {}),
      memory: memoryNow(heapPeak),
      // emptyCallUs: the baseline's median in us (EVM kernels: the engine's empty call), read by the reports
      info: { ...info, ...calibration, ...(baseline ? { emptyCallUs: baseline.p50Ms * 1000 } : {}) },
      ...(baseline ? { baseline } : {}),
      harnessOverhead,
    };
    out.wallMs = performance.now() - wall0;
    return out;
  } catch (e) {
    return { ...base, reason: oneLine(e), memory: memoryNow(heapPeak), wallMs: performance.now() - wall0 };
  } finally {
    try {
      await kernel?.dispose();
    } catch {
      /* a failing dispose must not hide the measurement */
    }
  }
}
