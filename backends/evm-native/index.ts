/**
 * `evm-native`: EVM bytecode compiled to WebAssembly (compile.ts, binaryen), run by V8.
 *
 * One module per (code, fork), cached; all modules share one stack memory with a 32 KB region per
 * call depth, laid out exactly like the interpreter's stack (8 little-endian 32-bit limbs per
 * word), so a block the compiler leaves to the interpreter runs on the very same stack: the engine
 * hands it to the interpreter's single-block mode (backends/evm-interp/interpreter.ts) and
 * re-enters the module at the next block. Every opcode of every fork therefore behaves as in
 * evm-interp, compiled or not.
 *
 * Nested calls: the callee is compiled too (same engine) up to depth NATIVE_MAX_DEPTH, and
 * interpreted deeper (the interpreter runs any depth without JavaScript recursion). Initcode
 * (CREATE, CREATE2) runs once, so it is interpreted. `evmNativeStats` counts which ran how.
 */
import { codeAnalysis } from '../../src/evm/analysis.js';
import { bytesToHex } from '../../src/evm/hex.js';
import { keccak256 } from '../../src/evm/keccak.js';
import type { Fork } from '../../src/evm/fork.js';
import type { EvmEngine, Frame, FrameResult, HaltReason, Host } from '../../src/evm/types.js';
import { activate, interpret, resume, run as runInterpreter, SUSPEND, YIELD } from '../evm-interp/interpreter.js';
import type { CompiledModule } from './compile.js';
import { EXIT, STACK_REGION_BYTES } from './layout.js';

/**
 * The compiler (binaryen) loads on demand: binaryen.js is itself WebAssembly with a top-level
 * await, so importing it eagerly would break every process without WebAssembly (`--jitless`
 * cells of other backends load the same registry) and cost ~0.4 s where it is not used.
 */
let compiler: typeof import('./compile.js') | undefined;
let stackMemory: WebAssembly.Memory | undefined;

/** Load binaryen and set up the stack memory; the engine cannot run before this resolves. */
export async function loadEvmNative(): Promise<void> {
  compiler ??= await import('./compile.js');
  stackMemory ??= new WebAssembly.Memory({ initial: STACK_PAGES, maximum: STACK_PAGES });
}

function loaded(): { compileEvm: typeof import('./compile.js').compileEvm; memory: WebAssembly.Memory } {
  if (!compiler || !stackMemory) throw new Error('evm-native: not loaded (await loadEvmNative() first)');
  return { compileEvm: compiler.compileEvm, memory: stackMemory };
}

/** Callees at this depth and below run natively; deeper ones in the interpreter. */
export const NATIVE_MAX_DEPTH = 64;
const DEPTHS = 1025;
const EMPTY = new Uint8Array(0);

const STACK_PAGES = Math.ceil((DEPTHS * STACK_REGION_BYTES) / 65536);
const stackViews: Uint32Array[] = [];
function stackView(depth: number): Uint32Array {
  return (stackViews[depth] ??= new Uint32Array(loaded().memory.buffer, depth * STACK_REGION_BYTES, STACK_REGION_BYTES / 4));
}

interface Exports {
  run(block: number, sp: number, base: number, gas: number): number;
  out_sp: WebAssembly.Global;
  out_gas: WebAssembly.Global;
  out_pc: WebAssembly.Global;
}

export interface CompilePhases {
  analysisMs: number;
  buildMs: number;
  optimizeMs: number;
  emitMs: number;
  v8CompileMs: number;
  instantiateMs: number;
  totalMs: number;
}

export interface NativeCode {
  module: CompiledModule;
  exports: Exports;
  phases: CompilePhases;
  codeHash: string;
  optimizeLevel: number;
}

/** What ran how: frames compiled and run natively, callees past NATIVE_MAX_DEPTH and initcode interpreted, interpreter-run blocks. */
export const evmNativeStats = { compiled: 0, cacheHits: 0, nativeFrames: 0, interpretedFrames: 0, interpretedInitcode: 0, hostBlocks: 0 };

let optimizeLevel = Number(process.env['JITBENCH_EVM_NATIVE_OPT'] ?? 0);
/** binaryen's optimize level for modules compiled from now on (0 = no binaryen optimization). */
export function setEvmNativeOptimizeLevel(level: number): void {
  if (!Number.isInteger(level) || level < 0 || level > 4) throw new RangeError(`binaryen optimize level must be 0..4, got ${level}`);
  optimizeLevel = level;
}

const byArray = new WeakMap<Uint8Array, Map<string, NativeCode>>();
/**
 * Modules by code hash, least recently compiled first, at most MODULE_CACHE_SIZE: V8's wasm code
 * space is finite (a process that compiles every program of a 100,000-program fuzz run ran out).
 */
const byHash = new Map<string, NativeCode>();
export const MODULE_CACHE_SIZE = 256;

/** Compile `code` for `fork` (or take it from the cache: by array, then by keccak of the code). */
export function compileNative(code: Uint8Array, fork: Fork): NativeCode {
  const key = `${fork}/O${optimizeLevel}`;
  let perArray = byArray.get(code);
  const hit = perArray?.get(key);
  if (hit) {
    evmNativeStats.cacheHits++;
    return hit;
  }
  const codeHash = bytesToHex(keccak256(code));
  let nc = byHash.get(`${codeHash}/${key}`);
  if (!nc) {
    const t0 = performance.now();
    const an = codeAnalysis(code, fork);
    const t1 = performance.now();
    const { compileEvm, memory } = loaded();
    const mod = compileEvm(code, an, optimizeLevel);
    const t2 = performance.now();
    const wasm = new WebAssembly.Module(mod.binary);
    const t3 = performance.now();
    const inst = new WebAssembly.Instance(wasm, { env: { stack: memory } });
    const t4 = performance.now();
    nc = {
      module: mod,
      exports: inst.exports as unknown as Exports,
      codeHash,
      optimizeLevel,
      phases: { analysisMs: t1 - t0, buildMs: mod.stats.buildMs, optimizeMs: mod.stats.optimizeMs, emitMs: mod.stats.emitMs, v8CompileMs: t3 - t2, instantiateMs: t4 - t3, totalMs: t4 - t0 },
    };
    byHash.set(`${codeHash}/${key}`, nc);
    if (byHash.size > MODULE_CACHE_SIZE) byHash.delete(byHash.keys().next().value!);
    evmNativeStats.compiled++;
  } else evmNativeStats.cacheHits++;
  if (!perArray) byArray.set(code, (perArray = new Map()));
  perArray.set(key, nc);
  return nc;
}

const HALTS: Record<number, HaltReason> = {
  [EXIT.outOfGas]: 'out of gas',
  [EXIT.underflow]: 'stack underflow',
  [EXIT.overflow]: 'stack overflow',
  [EXIT.badJump]: 'bad jump destination',
  [EXIT.invalid]: 'invalid opcode',
};

export function executeNative(frame: Frame, host: Host): FrameResult {
  const nc = compileNative(frame.code, host.table.fork);
  evmNativeStats.nativeFrames++;
  const { run, out_sp, out_gas, out_pc } = nc.exports;
  const blockAt = nc.module.blockAt;
  const base = frame.depth * STACK_REGION_BYTES;
  const act = activate(frame, stackView(frame.depth));
  act.singleBlock = true;
  let block = 0;
  for (;;) {
    const exit = run(block, act.sp, base, act.gas);
    act.sp = out_sp.value as number;
    act.gas = out_gas.value as number;
    if (exit === EXIT.stop) return { status: 'success', returnData: EMPTY, gasLeft: act.gas };
    if (exit !== EXIT.host) return { status: 'halt', haltReason: HALTS[exit] ?? 'invalid opcode', returnData: EMPTY, gasLeft: 0 };
    // a block the compiler left to the interpreter: run exactly that block on the same stack
    evmNativeStats.hostBlocks++;
    act.pc = out_pc.value as number;
    let r = runInterpreter(act, host);
    while (r === SUSPEND) {
      const child = act.child!;
      let res: FrameResult;
      if (act.createCont !== undefined) {
        // initcode runs once: compiling it would cost more than it saves
        evmNativeStats.interpretedInitcode++;
        res = interpret(child, host);
      } else if (child.depth <= NATIVE_MAX_DEPTH) res = executeNative(child, host);
      else {
        evmNativeStats.interpretedFrames++;
        res = interpret(child, host);
      }
      resume(act, host, res);
      r = runInterpreter(act, host);
    }
    if (r !== YIELD) return r;
    block = blockAt[act.pc]!;
    if (block === undefined || block < 0) throw new Error(`evm-native: the interpreter stopped at pc ${act.pc}, not a block start`);
  }
}

export const evmNativeEngine: EvmEngine = {
  id: 'evm-native',
  load: loadEvmNative,
  description: 'EVM bytecode compiled to WebAssembly with binaryen (blocks of stack/arithmetic/jump ops native, the rest through the shared interpreter), run by V8',
  execute: executeNative,
};
