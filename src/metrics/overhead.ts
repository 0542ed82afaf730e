import { performance } from 'node:perf_hooks';
import { Bench } from 'tinybench';
import type { CellParams, KernelOutput } from '../core/types.js';
import { accuracy, perfTime } from './decorators.js';
import { CellRecorder, useRecorder, activeRecorder } from './recorder.js';
import { quantile } from './stats.js';

export interface HarnessOverhead {
  /** Smallest positive step of performance.now() seen, ns. */
  timerResolutionNs: number;
  /** Median perf_time the decorators record for an empty kernel (batch 1): the floor inside every sample, ns. */
  timedRegionFloorNs: number;
  /** Extra wall time per call that @accuracy + @perfTime add around a kernel, ns. */
  decoratorsPerCallNs: number;
  /** Wall time per iteration of the whole timing loop (tinybench + decorators) around an empty kernel, ns. */
  harnessPerCallNs: number;
  method: string;
}

const EMPTY: KernelOutput = { hits: 0, n: 1 };

class EmptyKernel {
  @accuracy(() => ({ estimate: 0, absError: 0, sigma: 1, z: 0, suspect: false }))
  @perfTime()
  run(_p: CellParams): KernelOutput {
    return EMPTY;
  }

  plain(_p: CellParams): KernelOutput {
    return EMPTY;
  }
}

function timerResolutionNs(): number {
  let best = Infinity;
  for (let i = 0; i < 2000; i++) {
    const a = performance.now();
    let b = performance.now();
    while (b === a) b = performance.now();
    best = Math.min(best, b - a);
  }
  return best * 1e6;
}

/**
 * Measures the harness's own cost with an empty kernel, in this process (so at its V8 tier):
 * `calls` calls each to warm and to compare the plain and decorated paths, `iterations` of the
 * sampling loop.
 */
export async function measureHarnessOverhead(iterations = 100_000, calls = 200_000): Promise<HarnessOverhead> {
  const saved = activeRecorder();
  const rec = useRecorder(new CellRecorder());
  try {
    const k = new EmptyKernel();
    const p: CellParams = { n: 1, seed: 0, threads: 1 };
    // Warm both paths so both are optimized before they are compared.
    for (let i = 0; i < calls; i++) { k.run(p); k.plain(p); }
    rec.series.length = 0;
    let t = performance.now();
    for (let i = 0; i < calls; i++) k.plain(p);
    const plainNs = ((performance.now() - t) / calls) * 1e6;
    t = performance.now();
    for (let i = 0; i < calls; i++) k.run(p);
    const decoratedNs = ((performance.now() - t) / calls) * 1e6;
    const floor = quantile([...rec.series].sort((a, b) => a - b), 0.5) * 1e6;
    rec.series.length = 0;

    // The same loop shape as a cell's sampling phase, for a fixed number of iterations.
    const bench = new Bench({ time: 0, iterations, warmup: false, throws: true });
    bench.add('empty', () => { k.run(p); return { overriddenDuration: rec.lastCallMs, overriddenIterationCost: rec.lastRegionMs }; });
    t = performance.now();
    bench.runSync();
    const wall = performance.now() - t;
    return {
      timerResolutionNs: timerResolutionNs(),
      timedRegionFloorNs: floor,
      decoratorsPerCallNs: Math.max(0, decoratedNs - plainNs),
      harnessPerCallNs: (wall / Math.max(1, iterations)) * 1e6,
      method: `empty kernel decorated with @accuracy/@perfTime; decorator cost = decorated minus plain call over ${calls} calls; harness = wall time of the tinybench sampling loop around it / iterations (${iterations})`,
    };
  } finally {
    useRecorder(saved);
  }
}
