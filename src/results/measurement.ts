/** What one process measured of one cell (a fork): the record the runner sends back and the results keep. */
import type { Accuracy, KernelOutput } from '../core/types.js';
import type { HarnessOverhead } from '../metrics/overhead.js';
import type { SampleStats, WarmupClass } from '../metrics/stats.js';

export interface MemoryFacts {
  /** Peak resident set size of the measuring process (getrusage maxrss). */
  peakRssBytes: number;
  /** Largest V8 heapUsed seen at the phase boundaries (after prepare, first call, warm-up, run). */
  heapUsedPeakBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  arrayBuffersBytes: number;
}

/** The kernel's baseline (its fixed per-call cost, e.g. an EVM engine's empty call), measured like the kernel. */
export interface BaselineMeasurement {
  /** Median time per call, ms. */
  p50Ms: number;
  /** Calls per timed region (the same batching rule as the kernel's). */
  batch: number;
  /** Steady-state samples the median is taken from, and warm-up calls before them. */
  samples: number;
  warmupCalls: number;
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
  /** The kernel's baseline, measured after the samples (kernels with Kernel.baseline only). */
  baseline?: BaselineMeasurement;
  /** The harness's own cost measured in this process, at this cell's tier, after the measurement. */
  harnessOverhead?: HarnessOverhead;
  wallMs: number;
}
