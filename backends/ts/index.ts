import { JS_TIERS, type Backend, type CellParams, type Kernel, type KernelOutput } from '../../src/core/types.js';
import { accuracy, perfTime } from '../../src/metrics/decorators.js';
import { RangePool } from '../../src/parallel/range-pool.js';
import { segments } from '../../scenarios/monte-carlo-pi/generator.js';
import { piAccuracy } from '../../scenarios/monte-carlo-pi/accuracy.js';
import { countSegments } from './pi-kernel.js';

const countRange = (seed: number, start: number, count: number): number => countSegments(segments(seed, start, count));

class TsPiKernel implements Kernel {
  constructor(private readonly pool: RangePool | undefined, private readonly startMs: number) {}

  @accuracy(piAccuracy)
  @perfTime()
  run(p: CellParams): KernelOutput | Promise<KernelOutput> {
    if (!this.pool) return { hits: countRange(p.seed, 0, p.n), n: p.n };
    return this.pool.count(p.seed, p.n, countRange).then((hits) => ({ hits, n: p.n }));
  }

  info(): Record<string, unknown> {
    return { engine: 'V8 (JavaScript)', threads: this.pool?.threads ?? 1, workerStartMs: this.startMs };
  }

  async dispose(): Promise<void> {
    await this.pool?.close();
  }
}

export const tsBackend: Backend = {
  id: 'ts',
  description: 'plain TypeScript on V8 (Ignition -> Sparkplug -> TurboFan)',
  deterministic: true,
  tiers: JS_TIERS,
  async probe() {
    return { available: true, detail: `V8 ${process.versions.v8}` };
  },
  supports: (scenario) => scenario.id === 'pi',
  async prepare(_scenario, params) {
    const t0 = performance.now();
    const pool = params.threads > 1 ? await RangePool.start(new URL('./pi-worker.js', import.meta.url), params.threads, null) : undefined;
    return new TsPiKernel(pool, performance.now() - t0);
  },
};
