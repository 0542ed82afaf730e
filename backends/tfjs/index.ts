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
  ENGINES, NODE_NOT_INSTALLED, TFJS_NODE_PART, activate, chooseTfjsBackend, engineSimd, importedMs, loadEngine, probeEngines, tfjsVersions,
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
const CAREFUL_TEXT: Record<TfjsTarget, string> = {
  best: 'TensorFlow.js, careful kernel: chunked; on wasm and node the points are built on the device from small randomUniform tables (pairwise-independent grid + two shears), on cpu drawn per chunk; int32 counts, every tensor disposed',
  node: 'TensorFlow.js, careful kernel: chunked, points built on the device from small randomUniform tables (pairwise-independent grid + two shears), int32 counts, every tensor disposed',
  wasm: 'TensorFlow.js, careful kernel: chunked, points built on the device from small randomUniform tables (pairwise-independent grid + two shears), int32 counts, every tensor disposed',
  cpu: 'TensorFlow.js, careful kernel: chunked, both coordinates drawn per chunk with randomUniform (tfjs-cpu\'s broadcast ops cost more than drawing), test and int32 counts on tensors, every tensor disposed',
};
const VARIANT_TEXT: Record<Exclude<TfjsVariant, 'careful'>, string> = {
  naive: 'TensorFlow.js, the naive idiom: randomUniform of n for x and for y, square, add, less, sum (no chunking)',
  exact: 'TensorFlow.js, the scenario generator (lowbias32 over a Weyl counter) in int32 tensor ops: exact hits',
};

/**
 * Warm-up n for prepare(): small, but through every code path (careful: a tail grid big enough
 * for the 'tables' generator and a tail row for 'uniform'), so kernel set-up (XNNPACK operators,
 * tfjs's JavaScript) lands in compile time. Growing the engine's memory to the cell's chunk
 * size is left to the first call.
 */
function warmN(variant: TfjsVariant): number {
  return variant === 'careful' ? 8292 : 4096;
}

/** Loads `engine`, builds the variant's kernel on it and warms it up. Throws if any step fails. */
async function prepareOn(variant: TfjsVariant, engine: TfjsEngine): Promise<{ loaded: LoadedEngine; counter: PiCounter; fresh: boolean; kernelSetupMs: number; warmRunMs: number; warm: number; liveTensors: number }> {
  const loaded = await loadEngine(engine);
  const { tf, backendName } = loaded;
  activate(tf, backendName); // another engine may be active in this process (tests)
  // Initialisation happens once per process: only the first prepare pays (and reports) it.
  const fresh = !loaded.reported;
  loaded.reported = true;
  let t = performance.now();
  const tensorsBefore = tf.memory().numTensors;
  let counter: PiCounter;
  if (variant === 'careful') counter = new CarefulCounter(tf, backendName, carefulConfig(engine));
  else if (variant === 'naive') counter = new NaiveCounter(tf, backendName);
  else {
    const exact = new ExactCounter(tf, backendName, measureIntCapabilities(tf));
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
  const warm = warmN(variant);
  try {
    counter.count(0x5eed, warm);
  } catch (e) {
    counter.dispose();
    throw new Error(`tfjs-${engine}: the warm-up run failed: ${(e as Error).message.split('\n')[0]}`);
  }
  const warmRunMs = performance.now() - t;
  return { loaded, counter, fresh, kernelSetupMs, warmRunMs, warm, liveTensors: tf.memory().numTensors - tensorsBefore };
}

/**
 * prepare() of every tfjs backend. 'best' tries node, wasm, cpu in turn and takes the first on
 * which the engine loads and the kernel builds (for tfjs-exact: passes its self-check),
 * recording why each better one was passed over.
 */
async function prepareTfjs(variant: TfjsVariant, target: TfjsTarget): Promise<Kernel> {
  const t0 = performance.now();
  const imported0 = importedMs();
  const whyNot: Partial<Record<TfjsEngine, string>> = {};
  let ready: Awaited<ReturnType<typeof prepareOn>> | undefined;
  for (const engine of target === 'best' ? ENGINES : [target]) {
    try {
      ready = await prepareOn(variant, engine);
      break;
    } catch (e) {
      if (target !== 'best') throw e;
      whyNot[engine] = (e as Error).message;
    }
  }
  if (!ready) throw new Error(`no TensorFlow.js engine works here: ${Object.values(whyNot).join('; ')}`);
  const { loaded, counter, fresh, kernelSetupMs, warmRunMs, warm, liveTensors } = ready;
  // Importing tfjs's JavaScript (tfjs-core, the engine package, a failed tfjs-node attempt): the tool library.
  const toolLoadMs = importedMs() - imported0;
  const setupMs = performance.now() - t0 - toolLoadMs;
  const facts: Record<string, unknown> = {
    engine: 'TensorFlow.js',
    tfjsBackend: loaded.engine,
    tfjsBackendName: loaded.backendName,
    requested: target === 'best' ? 'best available (node > wasm > cpu)' : target,
    ...(target === 'best' ? { whyNotBetter: whyNot } : {}),
    tfjsVersions: tfjsVersions(),
    flags: loaded.flags,
    toolLoadMs,
    compile: {
      backendInitMs: fresh ? loaded.initMs : 0,
      // Everything else before the kernel: engine selection, registering the backend, failed attempts.
      otherMs: Math.max(0, setupMs - (fresh ? loaded.initMs : 0) - kernelSetupMs - warmRunMs),
      kernelSetupMs,
      warmRunMs,
      warmRunSamples: warm,
    },
    liveTensorsAfterPrepare: liveTensors,
    ...counter.facts(),
  };
  return new TfjsPiKernel(counter, facts);
}

function makeBackend(variant: TfjsVariant, target: TfjsTarget): Backend {
  const id = target === 'best' ? VARIANT_ID[variant] : `${VARIANT_ID[variant]}:${target}`;
  return {
    id,
    description: `${variant === 'careful' ? CAREFUL_TEXT[target] : VARIANT_TEXT[variant]}; ${target === 'best' ? 'best engine available: tfjs-node > tfjs-wasm > tfjs-cpu' : `on ${ENGINE_TEXT[target]}`}`,
    deterministic: variant === 'exact',
    tiers: { default: [] },
    maxThreads: 1,
    inDefaultRun: target === 'best' && variant !== 'exact',
    supports: (scenario) => scenario.id === 'pi',
    async probe(): Promise<Probe> {
      const statuses: Record<TfjsEngine, EngineStatus> = await probeEngines();
      // tfjs-node not installed: the part that would make tfjs:node available, and the best engine better
      const missing = statuses.node.reason === NODE_NOT_INSTALLED && (target === 'best' || target === 'node') ? { missing: [TFJS_NODE_PART] } : {};
      if (target !== 'best') {
        const s = statuses[target];
        if (!s.available) return { available: false, detail: `${ENGINE_TEXT[target]}: not available`, reason: s.reason, ...missing };
        return { available: true, detail: engineDetail(target) };
      }
      const choice = chooseTfjsBackend(statuses);
      const not = ENGINES.filter((e) => choice.whyNot[e]).map((e) => choice.whyNot[e]!);
      if (!choice.engine) return { available: false, detail: 'no TensorFlow.js engine', reason: not.join('; '), ...missing };
      return { available: true, detail: `${engineDetail(choice.engine)}${not.length ? `; not better ones: ${not.join('; ')}` : ''}`, ...missing };
    },
    prepare: (_scenario, _params) => prepareTfjs(variant, target),
  };
}

const TARGETS: readonly TfjsTarget[] = ['best', 'node', 'wasm', 'cpu'];

/** Every tfjs backend, in display order. */
export const tfjsBackends: Backend[] = (['careful', 'naive', 'exact'] as const).flatMap((v) => TARGETS.map((t) => makeBackend(v, t)));
