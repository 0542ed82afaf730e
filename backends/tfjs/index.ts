/**
 * TensorFlow.js backends.
 *
 * Families (each: the best engine available, then one variant per engine):
 *   tfjs, tfjs:node, tfjs:wasm, tfjs:cpu                      the careful kernel (kernels.ts)
 *   tfjs-naive, tfjs-naive:node, tfjs-naive:wasm, tfjs-naive:cpu   the naive idiom
 *   tfjs-exact, tfjs-exact:node, tfjs-exact:wasm, tfjs-exact:cpu   the scenario generator in int32 ops (exact.ts)
 * Engines, best first: tfjs-node (native libtensorflow), tfjs-backend-wasm (XNNPACK, SIMD),
 * tfjs-backend-cpu (plain JavaScript); see runtime.ts.
 */
import type { Backend, CellParams, Kernel, KernelOutput, Probe } from '../../src/core/types.js';
import { accuracy, perfTime } from '../../src/metrics/decorators.js';
import { piAccuracy } from '../../scenarios/monte-carlo-pi/accuracy.js';
import { CarefulCounter, NaiveCounter, carefulConfig, type PiCounter } from './kernels.js';
import { ExactCounter, measureIntCapabilities } from './exact.js';
import {
  ENGINES, chooseTfjsBackend, engineSimd, loadBestEngine, loadEngine, probeEngines, tfjsVersions,
  type EngineStatus, type LoadedEngine, type TfjsEngine,
} from './runtime.js';

export { chooseTfjsBackend } from './runtime.js';

export type TfjsVariant = 'careful' | 'naive' | 'exact';
export type TfjsTarget = 'best' | TfjsEngine;

class TfjsPiKernel implements Kernel {
  constructor(private readonly counter: PiCounter, private readonly facts: Record<string, unknown>) {}

  @accuracy(piAccuracy)
  @perfTime()
  run(p: CellParams): KernelOutput {
    return { hits: this.counter.count(p.seed, p.n), n: p.n };
  }

  info(): Record<string, unknown> {
    return this.facts;
  }

  dispose(): void {
    this.counter.dispose();
  }
}

const ENGINE_TEXT: Record<TfjsEngine, string> = {
  node: 'tfjs-node (native libtensorflow)',
  wasm: 'tfjs-backend-wasm (XNNPACK, 128-bit SIMD)',
  cpu: 'tfjs-backend-cpu (plain JavaScript)',
};

function engineDetail(engine: TfjsEngine): string {
  const v = tfjsVersions();
  if (engine === 'node') return `tfjs-node ${v['tfjs-node']} (native libtensorflow)`;
  if (engine === 'wasm') return `tfjs-backend-wasm ${v['tfjs-backend-wasm']} (XNNPACK, SIMD ${engineSimd() ? 'on' : 'off'}, threads off: tfjs disables wasm threads under Node)`;
  return `tfjs-backend-cpu ${v['tfjs-backend-cpu']} (plain JavaScript)`;
}

const VARIANT_ID: Record<TfjsVariant, string> = { careful: 'tfjs', naive: 'tfjs-naive', exact: 'tfjs-exact' };
const VARIANT_TEXT: Record<TfjsVariant, string> = {
  careful: 'TensorFlow.js, careful kernel: chunked, points built on the device from small randomUniform tables (pairwise-independent grid + two shears), int32 counts, every tensor disposed',
  naive: 'TensorFlow.js, the naive idiom: randomUniform of n for x and for y, square, add, less, sum (no chunking)',
  exact: 'TensorFlow.js, the scenario generator (lowbias32 over a Weyl counter) in int32 tensor ops: exact hits',
};

/** Warm-up n used in prepare (touches every chunk shape: a full chunk, a tail grid, a tail row). */
function warmN(variant: TfjsVariant, engine: TfjsEngine): number {
  if (variant === 'naive') return 4096;
  if (variant === 'exact') return 4096;
  const { rows, cols } = carefulConfig(engine);
  return rows * cols + 20_000 + 7;
}

async function prepareTfjs(variant: TfjsVariant, target: TfjsTarget): Promise<Kernel> {
  const t0 = performance.now();
  let loaded: LoadedEngine;
  let whyNot: Partial<Record<TfjsEngine, string>> | undefined;
  if (target === 'best') {
    const best = await loadBestEngine();
    loaded = best.loaded;
    whyNot = best.whyNot;
  } else {
    loaded = await loadEngine(target);
  }
  const loadMs = performance.now() - t0;
  // Imports and initialisation happen once per process: only the first prepare pays (and reports) them.
  const fresh = !loaded.reported;
  loaded.reported = true;
  const { tf, engine, backendName } = loaded;

  let t = performance.now();
  let counter: PiCounter;
  const tensorsBefore = tf.memory().numTensors;
  if (variant === 'careful') counter = new CarefulCounter(tf, backendName, carefulConfig(engine));
  else if (variant === 'naive') counter = new NaiveCounter(tf, backendName);
  else {
    const caps = measureIntCapabilities(tf);
    const exact = new ExactCounter(tf, backendName, caps);
    try {
      exact.selfCheck();
    } catch (e) {
      exact.dispose();
      throw new Error(`tfjs-${engine}: ${(e as Error).message}`);
    }
    counter = exact;
  }
  const kernelSetupMs = performance.now() - t;
  t = performance.now();
  const n = warmN(variant, engine);
  counter.count(0x5eed, n);
  const warmRunMs = performance.now() - t;

  const facts: Record<string, unknown> = {
    engine: 'TensorFlow.js',
    tfjsBackend: engine,
    tfjsBackendName: backendName,
    requested: target === 'best' ? 'best available (node > wasm > cpu)' : engine,
    ...(whyNot ? { whyNotBetter: whyNot } : {}),
    tfjsVersions: tfjsVersions(),
    flags: loaded.flags,
    // Loading tfjs's JavaScript (tfjs-core and the engine package): the tool library.
    toolLoadMs: fresh ? loaded.importMs : 0,
    compile: {
      backendInitMs: fresh ? loaded.initMs : 0,
      engineLoadTriesMs: loadMs - (fresh ? loaded.importMs + loaded.initMs : 0),
      kernelSetupMs,
      warmRunMs,
      warmRunSamples: n,
    },
    liveTensorsAfterPrepare: tf.memory().numTensors - tensorsBefore,
    ...counter.facts(),
  };
  return new TfjsPiKernel(counter, facts);
}

function makeBackend(variant: TfjsVariant, target: TfjsTarget): Backend {
  const id = target === 'best' ? VARIANT_ID[variant] : `${VARIANT_ID[variant]}:${target}`;
  return {
    id,
    description: `${VARIANT_TEXT[variant]}; ${target === 'best' ? 'best engine available: tfjs-node > tfjs-wasm > tfjs-cpu' : `on ${ENGINE_TEXT[target]}`}`,
    deterministic: variant === 'exact',
    tiers: { default: [] },
    maxThreads: 1,
    inDefaultRun: target === 'best' && variant !== 'exact',
    supports: (scenario) => scenario === 'pi',
    async probe(): Promise<Probe> {
      const statuses: Record<TfjsEngine, EngineStatus> = await probeEngines();
      if (target !== 'best') {
        const s = statuses[target];
        if (!s.available) return { available: false, detail: `${ENGINE_TEXT[target]}: not available`, reason: s.reason };
        return { available: true, detail: engineDetail(target) };
      }
      const choice = chooseTfjsBackend(statuses);
      const not = ENGINES.filter((e) => choice.whyNot[e]).map((e) => choice.whyNot[e]!);
      if (!choice.engine) return { available: false, detail: 'no TensorFlow.js engine', reason: not.join('; ') };
      return { available: true, detail: `${engineDetail(choice.engine)}${not.length ? `; not better ones: ${not.join('; ')}` : ''}` };
    },
    prepare: (_scenario, _params) => prepareTfjs(variant, target),
  };
}

const TARGETS: readonly TfjsTarget[] = ['best', 'node', 'wasm', 'cpu'];

/** Every tfjs backend, in display order. */
export const tfjsBackends: Backend[] = (['careful', 'naive', 'exact'] as const).flatMap((v) => TARGETS.map((t) => makeBackend(v, t)));
