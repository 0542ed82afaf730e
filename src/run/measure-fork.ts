import { performance } from 'node:perf_hooks';
import { Bench } from 'tinybench';
import type { Accuracy, KernelOutput } from '../core/types.js';
import { findBackend, findScenario } from '../core/registry.js';
import { CellRecorder, useRecorder } from '../metrics/recorder.js';
import { classifyWarmup, describe, type SampleStats, type WarmupClass } from '../metrics/stats.js';
import { oneLine } from '../util/errors.js';
import type { CellSpec } from './cell-spec.js';
import { registerEvmCode } from '../../scenarios/evm/index.js';

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

function strided(xs: readonly number[], max: number): number[] {
  if (xs.length <= max) return [...xs];
  const step = xs.length / max;
  return Array.from({ length: max }, (_, k) => xs[Math.floor(k * step)]!);
}

export interface MemoryFacts {
  /** Peak resident set size of the measuring process (getrusage maxrss). */
  peakRssBytes: number;
  /** Largest V8 heapUsed seen at the phase boundaries (after prepare, first call, warm-up, run). */
  heapUsedPeakBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  arrayBuffersBytes: number;
}

export interface ForkMeasurement {
  status: 'ok' | 'error';
  reason?: string;
  fork: number;
  pid: number;
  /** V8/Node flags the measuring process actually ran with (tier preset + --v8-flags). */
  execArgv: string[];
  /** Load time of the backend's tool library (e.g. binaryen), not part of compile. */
  toolLoadMs: number;
  /** prepare(): compile / initialise, without tool loading. */
  compileMs: number;
  /** The first call in this process. */
  firstCallMs: number;
  /** compileMs + firstCallMs: time to first result once the tool is loaded. */
  timeToFirstResultMs: number;
  /** Calls per timed region in the steady-state phase. */
  batch: number;
  warmupCalls: number;
  /** Per-call perf_time (ms) of the warm-up phase, in order (at most 2000 points, evenly strided). */
  warmupSamples: number[];
  /** Per-call perf_time (ms) of the steady-state phase, in order (one per timed region). */
  samples: number[];
  samplesTruncated: boolean;
  stats: SampleStats;
  warmupClass: WarmupClass;
  /** n / p50 time. */
  samplesPerSecond: number;
  nsPerSample: number;
  output?: KernelOutput;
  /** The worst answer among all checked calls (wrong or malformed, then suspect, then largest |z|). */
  accuracy?: Accuracy;
  /** Calls whose answer @accuracy checked, and calls made in timed regions (a batch's calls but its last go unchecked). */
  checkedCalls: number;
  timedCalls?: number;
  /** The distinct answers of the checked calls, with how many calls gave each; outputsTruncated when more were seen. */
  outputs?: Array<{ output: KernelOutput; calls: number }>;
  outputsTruncated?: boolean;
  memory: MemoryFacts;
  info: Record<string, unknown>;
  wallMs: number;
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

/** Measures one fork of one cell in this process: prepare, first call, warm-up, steady state. */
export async function measureFork(spec: CellSpec): Promise<ForkMeasurement> {
  const wall0 = performance.now();
  const rec = useRecorder(new CellRecorder());
  rec.debug = spec.debug;
  const base: ForkMeasurement = {
    status: 'error', fork: spec.fork, pid: process.pid, execArgv: process.execArgv, toolLoadMs: 0, compileMs: NaN, firstCallMs: NaN, timeToFirstResultMs: NaN,
    batch: 1, warmupCalls: 0, warmupSamples: [], samples: [], samplesTruncated: false, stats: describe([]), warmupClass: 'too few samples',
    samplesPerSecond: NaN, nsPerSample: NaN, checkedCalls: 0, memory: memoryNow(0), info: {}, wallMs: 0,
  };
  const backend = findBackend(spec.backend);
  if (spec.evmCode) registerEvmCode(spec.evmCode.code, spec.evmCode.calldata);
  const scenario = findScenario(spec.scenario);
  if (!backend || !scenario) return { ...base, reason: `unknown backend or scenario: ${spec.backend} / ${spec.scenario}` };
  const params = { n: spec.n, seed: spec.seed, threads: spec.threads };
  let heapPeak = 0;
  const markHeap = () => { heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed); };

  let kernel;
  try {
    let t = performance.now();
    kernel = await backend.prepare(spec.scenario, params);
    const prepareMs = performance.now() - t;
    const info = kernel.info();
    const toolLoadMs = typeof info.toolLoadMs === 'number' ? info.toolLoadMs : 0;
    // calibration done in prepare (an EVM engine's empty-call time) is not compile time either
    const calibrationMs = typeof info.calibrationMs === 'number' ? info.calibrationMs : 0;
    base.toolLoadMs = toolLoadMs;
    base.compileMs = prepareMs - toolLoadMs - calibrationMs;
    markHeap();

    // First call: batch 1, cold code.
    rec.batch = 1;
    const first = kernel.run(params);
    const isAsync = first instanceof Promise;
    await first;
    base.firstCallMs = rec.lastCallMs;
    base.timeToFirstResultMs = base.compileMs + base.firstCallMs;
    markHeap();

    // Warm-up: WARMUP_SHARE of the budget, longer (up to WARMUP_MAX_SHARE) until the time per
    // call stops moving; a call longer than half the budget gets no warm-up beyond the first call.
    const budget = spec.timeMs;
    const warmupStart = rec.series.length;
    const w0 = performance.now();
    if (base.firstCallMs < budget / 2) {
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
    const typical = recent[Math.floor(recent.length / 2)] ?? base.firstCallMs;
    rec.batch = !isAsync && typical < MIN_REGION_MS ? Math.ceil(MIN_REGION_MS / Math.max(typical, 1e-6)) : 1;
    markHeap();
    const runStart = rec.series.length;
    const runBudget = Math.max(budget - warmupMs, budget * (1 - WARMUP_MAX_SHARE));
    const bench = new Bench({
      name: spec.key,
      time: runBudget,
      iterations: typical * 3 <= runBudget ? 3 : 1,
      warmup: false,
      retainSamples: false,
      throws: true,
    });
    const timed = () => ({ overriddenDuration: rec.lastCallMs, overriddenIterationCost: rec.lastRegionMs });
    if (isAsync) bench.add(spec.key, async () => { await kernel!.run(params); return timed(); });
    else bench.add(spec.key, () => { kernel!.run(params); return timed(); });
    // Sync kernels run in tinybench's synchronous loop: no microtask turn per iteration.
    if (isAsync) await bench.run();
    else bench.runSync();
    const task = bench.tasks[0]!;
    const result = task.result as { state: string; error?: Error };
    if (result.state === 'errored') throw result.error ?? new Error('benchmark task failed');
    markHeap();

    const warmup = rec.series.slice(warmupStart, runStart);
    const samples = rec.series.slice(runStart);
    const stats = describe(samples);
    const out: ForkMeasurement = {
      ...base,
      status: 'ok',
      batch: rec.batch,
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
      info,
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
