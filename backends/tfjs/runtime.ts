/**
 * TensorFlow.js engines for the tfjs backends: which ones this machine has, which one to use,
 * and loading one into the process.
 *
 * Order of preference: `node` (@tensorflow/tfjs-node: native libtensorflow), `wasm`
 * (@tensorflow/tfjs-backend-wasm: XNNPACK, 128-bit SIMD), `cpu` (@tensorflow/tfjs-backend-cpu:
 * plain JavaScript). Nothing is loaded when this module is imported: the parent process only
 * resolves packages (and, for tfjs-node, tries the native load once in a short-lived child);
 * the cell's own process imports and initialises the engine in prepare().
 *
 * JITBENCH_TFJS_DISABLE=node,wasm makes both the probe and prepare() treat the named engines as
 * missing (to exercise the fallback on a machine that has them).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import type * as TF from '@tensorflow/tfjs-core';

export type Tf = typeof TF;
export type TfjsEngine = 'node' | 'wasm' | 'cpu';
/** Best first. */
export const ENGINES: readonly TfjsEngine[] = ['node', 'wasm', 'cpu'];
/** The name tfjs-core registers each engine's backend under. */
export const TF_BACKEND_NAME: Record<TfjsEngine, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

const PKG: Record<TfjsEngine, string> = {
  node: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};
export const DISABLE_ENV = 'JITBENCH_TFJS_DISABLE';
export const NODE_NOT_INSTALLED = 'tfjs-node: not installed (optional dependency; its install script downloads libtensorflow)';
/** tfjs-node as a missing part: npm brings it as an optional dependency unless its download of libtensorflow (from storage.googleapis.com) fails. */
export const TFJS_NODE_PART = { part: '@tensorflow/tfjs-node, TensorFlow\'s native library for tfjs (its install downloads libtensorflow from storage.googleapis.com)', add: 'npm install @tensorflow/tfjs-node' };

const require = createRequire(import.meta.url);

/** Engines switched off by JITBENCH_TFJS_DISABLE (comma-separated engine names). */
export function disabledEngines(env: NodeJS.ProcessEnv = process.env): Set<TfjsEngine> {
  const names = (env[DISABLE_ENV] ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  return new Set(names.filter((s): s is TfjsEngine => (ENGINES as readonly string[]).includes(s)));
}

export interface EngineStatus {
  available: boolean;
  /** Why not (only when not available). */
  reason?: string;
}

export interface EngineChoice {
  /** The engine to use; undefined when none is available. */
  engine: TfjsEngine | undefined;
  /** For every better engine that was passed over: why. */
  whyNot: Partial<Record<TfjsEngine, string>>;
}

/**
 * Picks the best available engine. `available` may give booleans or statuses with a reason;
 * an engine that is not mentioned counts as available only for `cpu` (tfjs-core's pure-JS
 * backend is a regular dependency).
 */
export function chooseTfjsBackend(available: Partial<Record<TfjsEngine, boolean | EngineStatus>>): EngineChoice {
  const whyNot: Partial<Record<TfjsEngine, string>> = {};
  for (const engine of ENGINES) {
    const raw = available[engine] ?? (engine === 'cpu');
    const status: EngineStatus = typeof raw === 'boolean' ? { available: raw } : raw;
    if (status.available) return { engine, whyNot };
    whyNot[engine] = status.reason ?? `${engine}: not available`;
  }
  return { engine: undefined, whyNot };
}

function packageVersion(pkg: string): string | undefined {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** Installed versions of the tfjs packages (undefined when not installed). */
export function tfjsVersions(): Record<string, string | undefined> {
  return {
    'tfjs-core': packageVersion('@tensorflow/tfjs-core'),
    'tfjs-backend-cpu': packageVersion(PKG.cpu),
    'tfjs-backend-wasm': packageVersion(PKG.wasm),
    'tfjs-node': packageVersion(PKG.node),
  };
}

/** The folder holding tfjs-backend-wasm's .wasm binaries (setWasmPaths points here: no network). */
export function wasmBinaryDir(): string {
  return join(dirname(require.resolve(`${PKG.wasm}/package.json`)), 'dist') + '/';
}

/** The exact module tfjs's own WASM_HAS_SIMD_SUPPORT flag validates (tfjs-backend-wasm flags_wasm.js). */
const TFJS_SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11]);

export function engineSimd(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(TFJS_SIMD_PROBE);
  } catch {
    return false;
  }
}

let nodeLoadCheck: Promise<EngineStatus> | undefined;

/** Whether @tensorflow/tfjs-node loads (native binding + libtensorflow), tried once in a short-lived child process. */
function checkNodeLoads(entry: string): Promise<EngineStatus> {
  nodeLoadCheck ??= new Promise((resolve) => {
    const script = `await import(${JSON.stringify(pathToFileURL(entry).href)});`;
    execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000, maxBuffer: 1 << 20 }, (err, _stdout, stderr) => {
      if (!err) return resolve({ available: true });
      const line = String(stderr).split('\n').map((l) => l.trim()).find((l) => /Error|error:/.test(l)) ?? err.message;
      resolve({ available: false, reason: `tfjs-node: installed but does not load: ${line.slice(0, 300)}` });
    });
  });
  return nodeLoadCheck;
}

/**
 * Status of one engine as seen from the parent process: packages resolve, the binaries are
 * there, and (tfjs-node only) the native library really loads.
 */
export async function probeEngine(engine: TfjsEngine, env: NodeJS.ProcessEnv = process.env): Promise<EngineStatus> {
  if (disabledEngines(env).has(engine)) return { available: false, reason: `tfjs-${engine}: disabled by ${DISABLE_ENV}` };
  try {
    require.resolve('@tensorflow/tfjs-core');
  } catch {
    return { available: false, reason: 'tfjs-core: not installed' };
  }
  if (engine === 'node') {
    let entry: string;
    try {
      entry = require.resolve(PKG.node);
    } catch {
      return { available: false, reason: NODE_NOT_INSTALLED };
    }
    return checkNodeLoads(entry);
  }
  if (engine === 'wasm') {
    if (typeof WebAssembly !== 'object') return { available: false, reason: 'tfjs-wasm: WebAssembly is disabled in this process (e.g. --jitless)' };
    try {
      const dir = wasmBinaryDir();
      const binary = engineSimd() ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
      if (!existsSync(join(dir, binary))) return { available: false, reason: `tfjs-wasm: ${binary} missing in ${dir}` };
    } catch {
      return { available: false, reason: 'tfjs-wasm: @tensorflow/tfjs-backend-wasm not installed' };
    }
    return { available: true };
  }
  try {
    require.resolve(PKG.cpu);
  } catch {
    return { available: false, reason: 'tfjs-cpu: @tensorflow/tfjs-backend-cpu not installed' };
  }
  return { available: true };
}

export async function probeEngines(env: NodeJS.ProcessEnv = process.env): Promise<Record<TfjsEngine, EngineStatus>> {
  const [node, wasm, cpu] = await Promise.all(ENGINES.map((e) => probeEngine(e, env)));
  return { node: node!, wasm: wasm!, cpu: cpu! };
}

/** An engine initialised in this process. */
export interface LoadedEngine {
  tf: Tf;
  engine: TfjsEngine;
  /** tfjs-core's name of the backend ('tensorflow', 'wasm', 'cpu'). */
  backendName: string;
  /** Importing and registering this engine's packages, the first time (prepare() reports imports as toolLoadMs via importedMs()). */
  importMs: number;
  /** Backend initialisation (for wasm: fetching, compiling and instantiating the module). */
  initMs: number;
  /** What ran: versions, SIMD, threads. */
  flags: Record<string, unknown>;
  /** Set by the first prepare() that reported initMs (later ones in the process did not pay it). */
  reported?: boolean;
}

const loaded = new Map<TfjsEngine, Promise<LoadedEngine>>();

let importMsTotal = 0;

/** Time this process has spent importing tfjs's JavaScript packages so far (failed imports included). */
export function importedMs(): number {
  return importMsTotal;
}

async function timedImport<T>(load: () => Promise<T>): Promise<T> {
  const t = performance.now();
  try {
    return await load();
  } finally {
    importMsTotal += performance.now() - t;
  }
}

async function importTf(): Promise<Tf> {
  const tf = (await timedImport(() => import('@tensorflow/tfjs-core'))) as Tf;
  // PROD only silences tfjs's console messages (e.g. its advice to install tfjs-node) in 4.x.
  tf.enableProdMode();
  return tf;
}

async function doLoad(engine: TfjsEngine): Promise<LoadedEngine> {
  let t = performance.now();
  const tf = await importTf();
  const flags: Record<string, unknown> = { tfjsCore: tf.version_core };
  if (engine === 'node') {
    let mod: Record<string, unknown>;
    try {
      const spec = PKG.node; // not a literal: the optional package has no types when it is absent
      mod = (await timedImport(() => import(spec))) as Record<string, unknown>;
    } catch (e) {
      const err = e as { code?: string; message: string };
      const missing = err.code === 'ERR_MODULE_NOT_FOUND' && err.message.includes(`'${PKG.node}'`);
      const msg = missing ? NODE_NOT_INSTALLED : `tfjs-node: installed but does not load: ${err.message.split('\n')[0]}`;
      throw new Error(msg);
    }
    flags.tfjsNode = packageVersion(PKG.node);
    const version = mod.version as Record<string, string> | undefined;
    if (version) flags.versions = version;
  } else if (engine === 'wasm') {
    if (typeof WebAssembly !== 'object') throw new Error('tfjs-wasm: WebAssembly is disabled in this process (e.g. --jitless)');
    const wasm = await timedImport(() => import('@tensorflow/tfjs-backend-wasm'));
    wasm.setWasmPaths(wasmBinaryDir());
    flags.tfjsBackendWasm = wasm.version_wasm;
  } else {
    const cpu = await timedImport(() => import('@tensorflow/tfjs-backend-cpu'));
    flags.tfjsBackendCpu = cpu.version_cpu;
  }
  const importMs = performance.now() - t;
  t = performance.now();
  const backendName = TF_BACKEND_NAME[engine];
  let ok = false;
  try {
    ok = await tf.setBackend(backendName);
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0]!;
    const hint = engine === 'node' && /not found in registry/.test(msg) ? ' (tfjs-node registered it with another copy of @tensorflow/tfjs-core: are the versions the same?)' : '';
    throw new Error(`tfjs-${engine}: backend initialisation failed: ${msg}${hint}`);
  }
  if (!ok || tf.engine().backendName !== backendName) throw new Error(`tfjs-${engine}: backend initialisation failed`);
  await tf.ready();
  const initMs = performance.now() - t;
  if (engine === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    flags.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    flags.multithreadSupport = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
    flags.threads = wasm.getThreadsCount();
    flags.xnnpack = true;
    flags.threadsNote = 'tfjs disables wasm threads under Node (WASM_HAS_MULTITHREAD_SUPPORT is false when IS_NODE, tensorflow/tfjs#3830; its threaded build starts blob: workers, which Node refuses)';
  } else if (engine === 'node') {
    const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding;
    if (binding?.TF_Version) flags.libtensorflow = binding.TF_Version;
    flags.threads = 'libtensorflow intra-op pool (its default)';
  } else {
    flags.simd = false;
    flags.threads = 1;
  }
  return { tf, engine, backendName, importMs, initMs, flags };
}

/** Imports and initialises one engine in this process (once; later calls share it). */
export function loadEngine(engine: TfjsEngine): Promise<LoadedEngine> {
  if (disabledEngines().has(engine)) return Promise.reject(new Error(`tfjs-${engine}: disabled by ${DISABLE_ENV}`));
  let p = loaded.get(engine);
  if (!p) {
    p = doLoad(engine);
    loaded.set(engine, p);
    p.catch(() => loaded.delete(engine));
  }
  return p;
}

/** Makes `name` tfjs-core's active backend (synchronous for an initialised backend). */
export function activate(tf: Tf, name: string): void {
  if (tf.engine().backendName === name) return;
  void tf.setBackend(name);
  if (tf.engine().backendName !== name) throw new Error(`cannot switch tfjs to its ${name} backend`);
}
