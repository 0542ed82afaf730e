/**
 * gpu.js backends: the Monte Carlo pi kernel written once in gpu.js's JavaScript subset and run
 * by gpu.js in WebGL 1 through headless-gl (`headlessgl`), as transpiled JavaScript (`cpu`) or
 * as WebAssembly (`webasm`).
 *
 *   gpujs         the best mode here: headlessgl when a WebGL context can be created, else cpu
 *   gpujs:gl      headlessgl only (unavailable, with the reason, when there is no context)
 *   gpujs:cpu     cpu only
 *   gpujs:webasm  webasm only
 *
 * Every mode counts exactly the hits of the scenario's generator (see kernel-source.ts), so
 * all are checked exactly like ts and wasm. On Linux without a display the WebGL variants'
 * cell processes run on an Xvfb that the runner starts through childEnv(); that is Mesa's
 * software rasterizer, and the cell's info says so (`rasterizer`).
 */
import { createRequire } from 'node:module';
import type { Backend, CellParams, Kernel, KernelOutput, Probe } from '../../src/core/types.js';
import { accuracy, perfTime } from '../../src/metrics/decorators.js';
import { piAccuracy } from '../../scenarios/monte-carlo-pi/accuracy.js';
import { countHitsReference } from '../../scenarios/monte-carlo-pi/generator.js';
import { displayEnv, releaseXvfb, ENV_DISPLAY_NOTE } from './display.js';
import { classifyRasterizer, createContext, destroyContext, displaySource, missingGlParts, type GlStrings, type WebGLLike } from './gl-context.js';
import { HELPERS, XOR_GLSL, piStrips, xor16, xor8 } from './kernel-source.js';
import { DEFAULT_GRID, launches, validateGrid, type Grid } from './launch-plan.js';
import { gpujsVersion, probeGl } from './probe.js';
import { chooseMode, disabledParts, type Availability, type Choice, type GpujsMode, type GpujsRequest } from './selection.js';

const require = createRequire(import.meta.url);

/** The parts of gpu.js used here (its own typings are far wider than this). */
export type KernelFn = ((...args: Array<number | ArrayLike<number>>) => Float32Array | number[]) & {
  kernel?: { constructor: { name: string }; fallbackReason?: string | null };
  destroy?(removeCanvasReferences?: boolean): void;
};
export interface GpuInstance {
  addFunction(fn: (...a: number[]) => number, settings: { argumentTypes: string[]; returnType: string }): unknown;
  addNativeFunction(name: string, source: string, settings: { argumentTypes: Record<string, string>; returnType: string }): unknown;
  createKernel(fn: unknown, settings: Record<string, unknown>): KernelFn;
  destroy(): Promise<void>;
}
interface GpuModule {
  GPU: { new (settings: Record<string, unknown>): GpuInstance; isWebAssemblySupported: boolean };
}

/** gpu.js kernel classes by the mode they implement (HeadlessGLKernel's static `mode` says 'gpu'). */
const KERNEL_CLASS_MODE: Record<string, GpujsMode> = { HeadlessGLKernel: 'headlessgl', CPUKernel: 'cpu', WebAssemblyKernel: 'webasm' };

/** Self-check: seed and n chosen so a launch has several strip lengths (strip 4, a short last strip). */
const SELF_CHECK = { seed: 0x9e3779b9, n: 3 * DEFAULT_GRID.threads + 5 };

export const GENERATOR_NOTE =
  "exact: the scenario's counter-based generator (lowbias32 on the Weyl counter) in 16-bit limbs held in floats, every intermediate an integer < 2^24, so float32 (WebGL 1) computes it exactly; xor is JavaScript ^ in cpu/webasm and a float bit loop in GLSL";

function webasmAvailability(): { ok: boolean; reason: string } {
  if (disabledParts().has('webasm')) return { ok: false, reason: 'webasm disabled by JITBENCH_GPUJS_DISABLE=webasm' };
  if (typeof WebAssembly !== 'object') return { ok: false, reason: 'WebAssembly is not available in this process' };
  return { ok: true, reason: 'WebAssembly' };
}

export class GpujsPiKernel implements Kernel {
  constructor(
    private readonly fn: KernelFn,
    private readonly gpu: GpuInstance,
    private readonly gl: WebGLLike | undefined,
    private readonly grid: Grid,
    private readonly facts: Record<string, unknown>,
  ) {}

  @accuracy(piAccuracy)
  @perfTime()
  run(p: CellParams): KernelOutput {
    return { hits: this.count(p.seed, p.n), n: p.n };
  }

  /** Hits of samples [first, first + n): one launch of the fixed grid per (up to) threads * maxStrip samples. */
  count(seed: number, n: number, first = 0): number {
    let hits = 0;
    for (const l of launches(seed, n, this.grid, first)) {
      const out = this.fn(l.cHi, l.cLo, l.sHi, l.sLo, l.full, l.strip, l.lastLen);
      const used = Math.min(this.grid.threads, l.full + 1);
      for (let i = 0; i < used; i++) hits += out[i]!;
    }
    return hits;
  }

  info(): Record<string, unknown> {
    return this.facts;
  }

  async dispose(): Promise<void> {
    // gpu.js tears down on a timer and then destroys the kernels' context (ours, in headlessgl):
    // wait for it, so nothing touches the context after this returns.
    try {
      await this.gpu.destroy();
    } catch {
      destroyContext(this.gl);
    }
  }
}

/**
 * A gpu.js instance in `mode` with the kernel's helper functions registered (xor16/xor8 as GLSL
 * in headlessgl, as JavaScript elsewhere). headlessgl needs a context from createContext().
 */
export function newGpu(mode: GpujsMode, gl?: WebGLLike): GpuInstance {
  const { GPU } = require('gpu.js') as GpuModule;
  if (mode === 'headlessgl' && !gl) throw new Error('headlessgl needs a WebGL context');
  const gpu = new GPU(mode === 'headlessgl' ? { mode, context: gl } : { mode });
  if (mode === 'headlessgl') {
    for (const [name, source] of Object.entries(XOR_GLSL)) {
      gpu.addNativeFunction(name, source, { argumentTypes: { a: 'Number', b: 'Number' }, returnType: 'Number' });
    }
  } else {
    for (const f of [xor16, xor8]) gpu.addFunction(f, { argumentTypes: ['Number', 'Number'], returnType: 'Number' });
  }
  for (const f of HELPERS) gpu.addFunction(f as (...a: number[]) => number, { argumentTypes: Array<string>(f.length).fill('Number'), returnType: 'Number' });
  return gpu;
}

export interface PrepareOptions {
  grid?: Grid;
}

/**
 * Prepares the kernel for `request`: picks the mode, builds and compiles it (first call) and
 * checks its count against the reference generator. `best` also falls back to cpu when a WebGL
 * context exists but the kernel fails on it (compile error, or a self-check that is not exact).
 */
export async function prepareGpujs(request: GpujsRequest, opts: PrepareOptions = {}): Promise<GpujsPiKernel> {
  const grid = validateGrid(opts.grid ?? DEFAULT_GRID);
  const t = performance.now();
  require('gpu.js');
  const toolLoadMs = performance.now() - t;

  // What can run in this process. A WebGL context is only attempted when it may be used.
  let gl: WebGLLike | undefined;
  let strings: GlStrings | undefined;
  let contextMs = 0;
  let glReason = 'not attempted';
  if (request === 'best' || request === 'headlessgl') {
    const a = createContext();
    contextMs = a.createMs;
    gl = a.gl;
    strings = a.strings;
    glReason = a.reason ?? 'created';
  }
  const avail: Availability = {
    headlessgl: { ok: Boolean(gl), reason: gl ? `headless-gl, ${strings?.unmaskedRenderer ?? strings?.renderer ?? 'renderer hidden'}` : glReason },
    cpu: { ok: true, reason: 'JavaScript' },
    webasm: webasmAvailability(),
  };
  let choice: Choice;
  try {
    choice = chooseMode(request, avail);
  } catch (e) {
    destroyContext(gl);
    throw e;
  }
  if (choice.mode !== 'headlessgl' && gl) {
    destroyContext(gl);
    gl = undefined;
  }
  const base = { request, grid, toolLoadMs, contextMs };
  if (choice.mode !== 'headlessgl') {
    return buildKernel({ ...base, choice, fallbackReason: request === 'best' ? glReason : undefined });
  }
  try {
    return await buildKernel({ ...base, choice, gl, strings });
  } catch (e) {
    if (request !== 'best') throw e;
    const why = `a WebGL context exists (${avail.headlessgl.reason}) but the kernel failed on it: ${(e as Error).message}`;
    return buildKernel({ ...base, choice: { mode: 'cpu', reason: `fallback to cpu: ${why}` }, fallbackReason: why });
  }
}

interface BuildArgs {
  request: GpujsRequest;
  choice: Choice;
  grid: Grid;
  toolLoadMs: number;
  contextMs: number;
  gl?: WebGLLike;
  strings?: GlStrings;
  fallbackReason?: string;
}

async function buildKernel(a: BuildArgs): Promise<GpujsPiKernel> {
  const { choice, grid, gl, strings } = a;
  let t = performance.now();
  let gpu: GpuInstance;
  let fn: KernelFn;
  try {
    gpu = newGpu(choice.mode, gl);
    fn = gpu.createKernel(piStrips, {
      output: [grid.threads],
      precision: 'single',
      tactic: 'precision',
      loopMaxIterations: grid.maxStrip,
    });
  } catch (e) {
    destroyContext(gl);
    throw e;
  }
  const createKernelMs = performance.now() - t;

  const facts: Record<string, unknown> = {
    engine: `gpu.js ${gpujsVersion() ?? 'unknown'}`,
    mode: choice.mode,
    requested: a.request,
    selection: choice.reason,
    deterministic: true,
    generator: GENERATOR_NOTE,
    grid: { threads: grid.threads, maxStrip: grid.maxStrip, samplesPerLaunch: grid.threads * grid.maxStrip },
    threads: 1,
    toolLoadMs: a.toolLoadMs,
  };
  if (a.fallbackReason) facts.fallbackReason = a.fallbackReason;
  if (choice.mode === 'headlessgl') {
    const source = displaySource();
    facts.gl = strings;
    facts.rasterizer = classifyRasterizer(strings?.unmaskedRenderer ?? null, source);
    facts.display = { DISPLAY: process.env.DISPLAY ?? null, source };
  } else {
    facts.rasterizer = choice.mode === 'cpu' ? 'none (JavaScript on the CPU)' : 'none (WebAssembly on the CPU)';
    if (process.env[ENV_DISPLAY_NOTE]) facts.displayNote = process.env[ENV_DISPLAY_NOTE];
  }

  const kernel = new GpujsPiKernel(fn, gpu, gl, grid, facts);
  try {
    // First call: gpu.js parses and transpiles the source, the driver compiles the shader (or V8 / wasm compile).
    t = performance.now();
    kernel.count(1, 1);
    const kernelBuildMs = performance.now() - t;
    const ran = KERNEL_CLASS_MODE[fn.kernel?.constructor.name ?? ''] ?? fn.kernel?.constructor.name ?? 'unknown';
    const fallback = fn.kernel?.fallbackReason;
    if (ran !== choice.mode || fallback) {
      throw new Error(`gpu.js ran the kernel in ${ran} instead of ${choice.mode}${fallback ? `: ${fallback}` : ''}`);
    }
    t = performance.now();
    const got = kernel.count(SELF_CHECK.seed, SELF_CHECK.n);
    const expected = countHitsReference(SELF_CHECK.seed, 0, SELF_CHECK.n);
    const selfCheckMs = performance.now() - t;
    if (got !== expected) {
      throw new Error(
        `gpu.js ${choice.mode}${strings ? ` on ${strings.unmaskedRenderer ?? strings.renderer}` : ''} counted ${got} hits in the self-check (seed ${SELF_CHECK.seed}, n ${SELF_CHECK.n}), ` +
          `the reference generator ${expected}: this engine does not compute the float32-exact integer arithmetic the kernel relies on`,
      );
    }
    facts.compile = { gpuJsLoadMs: a.toolLoadMs, contextMs: a.contextMs, createKernelMs, kernelBuildMs, selfCheckMs };
    return kernel;
  } catch (e) {
    await kernel.dispose();
    throw e;
  }
}

interface Variant {
  id: string;
  request: GpujsRequest;
  description: string;
  inDefaultRun: boolean;
  needsDisplay: boolean;
}

const VARIANTS: Variant[] = [
  { id: 'gpujs', request: 'best', inDefaultRun: true, needsDisplay: true, description: 'gpu.js, best mode here: WebGL 1 through headless-gl (a software rasterizer on Xvfb when there is no GPU display), else its cpu mode' },
  { id: 'gpujs:gl', request: 'headlessgl', inDefaultRun: false, needsDisplay: true, description: 'gpu.js headlessgl mode only: the kernel as a GLSL ES 1.00 fragment shader through headless-gl (ANGLE)' },
  { id: 'gpujs:cpu', request: 'cpu', inDefaultRun: false, needsDisplay: false, description: 'gpu.js cpu mode only: the same kernel transpiled to JavaScript, run by V8' },
  { id: 'gpujs:webasm', request: 'webasm', inDefaultRun: false, needsDisplay: false, description: 'gpu.js webasm mode only: the same kernel compiled by gpu.js to WebAssembly (f32 arithmetic), synchronous calls, one thread' },
];

function glDetail(p: { strings?: GlStrings; rasterizer?: string }): string {
  const r = p.strings?.unmaskedRenderer ?? p.strings?.renderer ?? 'renderer hidden';
  return `renderer ${r}; rasterizer: ${p.rasterizer ?? 'unknown'}`;
}

async function probeVariant(v: Variant): Promise<Probe> {
  const version = gpujsVersion();
  if (!version) return { available: false, detail: 'gpu.js missing', reason: 'gpu.js is not installed (npm install gpu.js)' };
  if (v.request === 'cpu') return { available: true, detail: `gpu.js ${version} cpu mode (JavaScript)` };
  if (v.request === 'webasm') {
    const w = webasmAvailability();
    return w.ok ? { available: true, detail: `gpu.js ${version} webasm mode (WebAssembly, one thread)` } : { available: false, detail: 'no WebAssembly', reason: w.reason };
  }
  const gl = await probeGl();
  const missing = gl.ok ? [] : missingGlParts();
  const parts = missing.length > 0 ? { missing } : {};
  if (v.request === 'headlessgl') {
    return gl.ok
      ? { available: true, detail: `gpu.js ${version} headlessgl (WebGL 1): ${glDetail(gl)}` }
      : { available: false, detail: 'no WebGL context', reason: `no WebGL context: ${gl.reason}`, ...parts };
  }
  return gl.ok
    ? { available: true, detail: `gpu.js ${version} headlessgl (WebGL 1): ${glDetail(gl)}` }
    : { available: true, detail: `gpu.js ${version} cpu mode (fallback: no WebGL context: ${gl.reason})`, ...parts };
}

function makeBackend(v: Variant): Backend {
  let held = 0;
  const backend: Backend = {
    id: v.id,
    description: v.description,
    deterministic: true,
    tiers: { default: [] },
    maxThreads: 1,
    inDefaultRun: v.inDefaultRun,
    probe: () => probeVariant(v),
    supports: (scenario) => scenario.id === 'pi',
    async prepare(scenario) {
      if (scenario.id !== 'pi') throw new Error(`${v.id} does not support scenario ${scenario.id}`);
      return prepareGpujs(v.request);
    },
  };
  if (v.needsDisplay) {
    backend.childEnv = async () => {
      if (disabledParts().has('gl')) return {};
      const { env, acquired } = await displayEnv();
      if (acquired) held++;
      return env;
    };
    backend.release = async () => {
      for (; held > 0; held--) await releaseXvfb();
    };
  }
  return backend;
}

export const gpujsBackends: Backend[] = VARIANTS.map(makeBackend);
