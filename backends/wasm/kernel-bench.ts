/**
 * Micro-benchmark of the binaryen-built pi kernels (backends/wasm/pi-module.ts), one thread:
 * build / validate / optimize (binaryen), V8 compile and instantiate times, how long until V8's
 * TurboFan code runs (it starts with Liftoff code and tiers up in the background), then
 * steady-state ns/sample at n = 1e7 and 1e8 (best of 5 calls after warm-up).
 *
 * Run: npm run bench:wasm-kernel
 * (node --no-liftoff ... compiles with TurboFan up front: compare the compile times.)
 */
import { buildPiModule } from './pi-module.js';
import { segments } from '../../scenarios/monte-carlo-pi/generator.js';

type CountFn = (counter0: number, m: number) => number;

const SEED = 12345;
const SIZES = [1e7, 1e8];
const REPS = 5;
const WARMUP_MS = 1500;

function fmt(x: number, digits = 2): string {
  return x.toFixed(digits);
}

/**
 * Calls count on 1e6-sample segments for WARMUP_MS and returns after how long a call first ran
 * within 25% of the fastest one. V8 starts with Liftoff code; the TurboFan tier-up is queued
 * on V8's background compile threads, which binaryen's own (hot, huge) wasm module keeps busy
 * for a few hundred ms after a build, also when the kernel runs in a worker thread.
 */
function warmUp(count: CountFn, counter0: number): { steadyAfterMs: number; calls: number } {
  const n = 1e6;
  const times: Array<[number, number]> = [];
  const t0 = performance.now();
  while (performance.now() - t0 < WARMUP_MS) {
    const t = performance.now();
    count(counter0, n);
    const end = performance.now();
    times.push([end - t0, end - t]);
  }
  const best = Math.min(...times.map(([, dt]) => dt));
  const i = times.findIndex(([, dt]) => dt <= 1.25 * best);
  return { steadyAfterMs: times[i]![0], calls: i + 1 };
}

function main(): void {
  // The first binaryen call also pays for compiling binaryen's own wasm: report it apart.
  const t0 = performance.now();
  buildPiModule({ simd: true, optimizeLevel: 3 });
  console.log(`binaryen warm-up build: ${fmt(performance.now() - t0)} ms`);

  for (const simd of [true, false]) {
    const build = buildPiModule({ simd, optimizeLevel: 3, shrinkLevel: 0 });
    const tc = performance.now();
    const module = new WebAssembly.Module(build.binary);
    const ti = performance.now();
    const instance = new WebAssembly.Instance(module, {});
    const tf = performance.now();
    const count = instance.exports['count'] as CountFn;

    console.log(`\n${simd ? 'SIMD' : 'scalar'} module: ${build.binary.length} bytes`);
    console.log(
      `  binaryen build ${fmt(build.buildMs)} ms, validate ${fmt(build.validateMs)} ms, ` +
        `optimize (-O${build.optimizeLevel}) ${fmt(build.optimizeMs)} ms; ` +
        `V8 compile (Liftoff) ${fmt(ti - tc)} ms, instantiate ${fmt(tf - ti)} ms`,
    );
    const w = warmUp(count, segments(SEED, 0, 1)[0]!.counter0);
    console.log(`  warm-up: steady state (TurboFan) after ${fmt(w.steadyAfterMs, 0)} ms / ${w.calls} calls of 1e6 samples`);

    for (const n of SIZES) {
      const seg = segments(SEED, 0, n);
      if (seg.length !== 1) throw new Error('benchmark range must be one segment');
      const { counter0 } = seg[0]!;
      const hits = count(counter0, n);
      let best = Infinity;
      for (let r = 0; r < REPS; r++) {
        const t = performance.now();
        const h = count(counter0, n);
        best = Math.min(best, performance.now() - t);
        if (h !== hits) throw new Error('non-deterministic hit count');
      }
      console.log(
        `  n = ${n.toExponential(0)}: ${fmt((best * 1e6) / n, 3)} ns/sample (best of ${REPS}), ` +
          `pi ~ ${fmt((4 * hits) / n, 6)}`,
      );
    }
  }
}

// `node --test` also picks up files under test/: only run when executed directly.
main();
