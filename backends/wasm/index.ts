import { createRequire } from 'node:module';
import type { Backend, CellParams, Kernel, KernelOutput } from '../../src/core/types.js';
import { accuracy, perfTime } from '../../src/metrics/decorators.js';
import { RangePool, type RangeCounter } from '../../src/parallel/range-pool.js';
import { piAccuracy } from '../../scenarios/monte-carlo-pi/accuracy.js';
import { wasmRangeCounter } from './instance.js';
import { packageVersion } from '../../src/util/packages.js';
import { buildInWorker } from './compile-in-worker.js';

/** Smallest module using a v128 instruction: tells whether this engine has 128-bit SIMD. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

export function wasmSimdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

const binaryenVersion = () => packageVersion('binaryen');

class WasmPiKernel implements Kernel {
  constructor(
    private readonly local: RangeCounter,
    private readonly pool: RangePool | undefined,
    private readonly facts: Record<string, unknown>,
  ) {}

  @accuracy(piAccuracy)
  @perfTime()
  run(p: CellParams): KernelOutput | Promise<KernelOutput> {
    if (!this.pool) return { hits: this.local(p.seed, 0, p.n), n: p.n };
    return this.pool.count(p.seed, p.n, this.local).then((hits) => ({ hits, n: p.n }));
  }

  info(): Record<string, unknown> {
    return this.facts;
  }

  async dispose(): Promise<void> {
    await this.pool?.close();
  }
}

/** binaryen optimize level used for the pi module (-O3). */
export const PI_OPT_LEVEL = 3;

export const wasmBackend: Backend = {
  id: 'wasm',
  description: 'WebAssembly built at run time with binaryen (128-bit SIMD), compiled by V8 (Liftoff -> TurboFan)',
  deterministic: true,
  tiers: {
    default: [],
    'liftoff-only': ['--liftoff-only'],
    'no-liftoff': ['--no-liftoff'],
  },
  async probe() {
    if (typeof WebAssembly !== 'object') return { available: false, detail: 'no WebAssembly', reason: 'WebAssembly is disabled in this process (e.g. --jitless)' };
    try {
      // Resolving is enough here: loading binaryen takes ~0.4 s and happens in the cell's compiler thread.
      createRequire(import.meta.url).resolve('binaryen');
    } catch (e) {
      return { available: false, detail: 'binaryen missing', reason: `cannot load binaryen: ${(e as Error).message}` };
    }
    const simd = wasmSimdSupported();
    return { available: true, detail: `binaryen ${binaryenVersion()}, SIMD ${simd ? 'on' : 'off (engine lacks 128-bit SIMD; scalar module)'}` };
  },
  supports: (scenario) => scenario.id === 'pi',
  async prepare(_scenario, params) {
    if (typeof WebAssembly !== 'object') throw new Error('WebAssembly is not available in this process (a --jitless tier disables it)');
    const simd = wasmSimdSupported();
    const { build, loadMs, requestMs, shutdownMs } = await buildInWorker({ simd, optimizeLevel: PI_OPT_LEVEL });
    let t = performance.now();
    // Synchronous compile: tiny module, and WebAssembly.compile's promise can wait behind
    // unrelated background work.
    const module = new WebAssembly.Module(build.binary);
    const v8CompileMs = performance.now() - t;
    t = performance.now();
    const local = wasmRangeCounter(module);
    const instantiateMs = performance.now() - t;
    t = performance.now();
    const pool = params.threads > 1 ? await RangePool.start(new URL('./pi-worker.js', import.meta.url), params.threads, module) : undefined;
    const workerStartMs = performance.now() - t;
    return new WasmPiKernel(local, pool, {
      engine: 'V8 WebAssembly',
      // Starting the compiler thread, loading binaryen into it, and shutting it down.
      toolLoadMs: loadMs + shutdownMs,
      binaryen: binaryenVersion(),
      simd,
      optimizeLevel: build.optimizeLevel,
      moduleBytes: build.binary.length,
      threads: params.threads,
      compile: { compilerThreadStartAndLoadMs: loadMs, buildMs: build.buildMs, validateMs: build.validateMs, optimizeMs: build.optimizeMs, buildRequestMs: requestMs, compilerThreadShutdownMs: shutdownMs, v8CompileMs, instantiateMs, workerStartMs },
    });
  },
};
