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
import { type Fork, FORKS, isForkAtLeast } from '../../src/evm/fork.js';
import type { EvmEngine, Frame, FrameResult, HaltReason, Host } from '../../src/evm/types.js';
import { Memory } from '../../src/evm/memory.js';
import { U256_WASM_BASE64 } from '../../src/evm/u256-wasm-binary.js';
import { activate, interpret, resume, run as runInterpreter, SUSPEND, YIELD } from '../evm-interp/interpreter.js';
import type { CompiledModule } from './compile.js';
import { hostOp, hostOpContext } from './host-ops.js';
import { dropSlots, flushSlots, slotAddressId, syncSlots } from './slot-cache.js';
import { COMPILE, EXIT_BASE, MODULE, NONE, switchTo, timing } from './timing.js';
import * as U from '../../src/evm/u256.js';
import { addressToWord } from '../../src/evm/address.js';
import { DEPTHS, ENV_ADDRESS, calldataCap, ENV_CALLDATA, ENV_CALLER, ENV_CDFAST, ENV_CDSIZE, ENV_RDSIZE, ENV_RET_LEN, ENV_RET_OFF, ENV_VALUE, ENV_ADDR_ID, ENV_STATIC, envAddress, EXIT, KECCAK_ROUND_CONSTANTS, MEMORY_PAGES, SCRATCH_BLOCK_ENV, BLOCK_ENV_OPS, NATIVE_MAX_DEPTH, SCRATCH_KECCAK_RC, SHARED_NAMESPACE, STACK_REGION_BYTES, windowAddress, windowBytes } from './layout.js';
import { profileCall } from './stats-table.js';

export { NATIVE_MAX_DEPTH };

/**
 * The compiler (binaryen) loads on demand: binaryen.js is itself WebAssembly with a top-level
 * await, so importing it eagerly would break every process without WebAssembly (`--jitless`
 * cells of other backends load the same registry) and cost ~0.4 s where it is not used.
 */
let compiler: typeof import('./compile.js') | undefined;
let stackMemory: WebAssembly.Memory | undefined;
/** The whole module memory as bytes (the environment regions are written through it). */
let memoryBytes = new Uint8Array(0);
/** The one instance of the 256-bit arithmetic routines every compiled module imports (u256-standalone.ts). */
let sharedArith: WebAssembly.Instance["exports"] | undefined;

/** Load binaryen and set up the stack memory; the engine cannot run before this resolves. */
export async function loadEvmNative(): Promise<void> {
  compiler ??= await import('./compile.js');
  if (!stackMemory) {
    stackMemory = new WebAssembly.Memory({ initial: MEMORY_PAGES, maximum: MEMORY_PAGES });
    hostOpContext.words = new Uint32Array(stackMemory.buffer);
    memoryBytes = new Uint8Array(stackMemory.buffer);
    new BigUint64Array(stackMemory.buffer, SCRATCH_KECCAK_RC, KECCAK_ROUND_CONSTANTS.length).set(KECCAK_ROUND_CONSTANTS);
  }
  sharedArith ??= new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(U256_WASM_BASE64, 'base64')), {}).exports;
}

function loaded(): { compileEvm: typeof import('./compile.js').compileEvm; memory: WebAssembly.Memory; arith: WebAssembly.Instance["exports"] } {
  if (!compiler || !stackMemory || !sharedArith) throw new Error('evm-native: not loaded (await loadEvmNative() first)');
  return { compileEvm: compiler.compileEvm, memory: stackMemory, arith: sharedArith };
}

const EMPTY = new Uint8Array(0);

const stackViews: Uint32Array[] = [];
function stackView(depth: number): Uint32Array {
  if (depth >= DEPTHS) throw new RangeError(`evm-native: call depth ${depth} past ${DEPTHS - 1}`);
  return (stackViews[depth] ??= new Uint32Array(loaded().memory.buffer, depth * STACK_REGION_BYTES, STACK_REGION_BYTES / 4));
}

const windowViews: Uint8Array[] = [];
const windowMemories: Memory[] = [];
/**
 * The EVM memory of a native frame at `depth`, empty: a Memory whose buffer is the depth's window
 * in the module memory (layout.ts). It grows in place up to the window; past it Memory.grow moves
 * it to a JavaScript buffer, which executeNative drops when the frame ends.
 */
function windowMemory(depth: number): { mem: Memory; view: Uint8Array } {
  const view = (windowViews[depth] ??= new Uint8Array(loaded().memory.buffer, windowAddress(depth), windowBytes(depth)));
  let mem = windowMemories[depth];
  if (!mem) {
    mem = windowMemories[depth] = new Memory(0);
    mem.buf = view;
  }
  view.fill(0, 0, mem.size);
  mem.size = 0;
  return { mem, view };
}

interface Exports {
  run(block: number, sp: number, base: number, gas: number, mbase: number, msize: number, mcap: number, env: number): number;
  out_sp: WebAssembly.Global;
  out_gas: WebAssembly.Global;
  out_pc: WebAssembly.Global;
  out_msize: WebAssembly.Global;
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

/**
 * What ran how: frames compiled and run natively, callees past NATIVE_MAX_DEPTH and initcode
 * interpreted, blocks the interpreter finished after the module left them (`interpreterExits`,
 * and by the opcode the module left at). Calls of the host_op import are counted in
 * hostOpContext.calls and callsByOpcode.
 */
export const evmNativeStats = { compiled: 0, cacheHits: 0, nativeFrames: 0, interpretedFrames: 0, interpretedInitcode: 0, interpreterExits: 0, exitsByOpcode: new Float64Array(256) };

let optimizeLevel = Number(process.env['JITBENCH_EVM_NATIVE_OPT'] ?? 0);
/** binaryen's optimize level for modules compiled from now on (0 = no binaryen optimization). */
export function setEvmNativeOptimizeLevel(level: number): void {
  if (!Number.isInteger(level) || level < 0 || level > 4) throw new RangeError(`binaryen optimize level must be 0..4, got ${level}`);
  optimizeLevel = level;
}

const byArray = new WeakMap<Uint8Array, Map<number, NativeCode>>();
/**
 * Modules by code hash, least recently compiled first, at most MODULE_CACHE_SIZE: V8's wasm code
 * space is finite (a process that compiles every program of a 100,000-program fuzz run ran out).
 */
const byHash = new Map<string, NativeCode>();
export const MODULE_CACHE_SIZE = 256;

/** Compile `code` for `fork` (or take it from the cache: by array, then by keccak of the code). */
export function compileNative(code: Uint8Array, fork: Fork): NativeCode {
  // a number, not a string: this lookup runs once per native frame
  const key = FORKS.indexOf(fork) * 8 + optimizeLevel;
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
    const { compileEvm, memory, arith } = loaded();
    const mod = compileEvm(code, an, fork, optimizeLevel);
    const t2 = performance.now();
    const wasm = new WebAssembly.Module(mod.binary);
    const t3 = performance.now();
    const inst = new WebAssembly.Instance(wasm, { env: { stack: memory, host_op: hostOp }, [SHARED_NAMESPACE]: arith });
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
  [EXIT.staticViolation]: 'static state change',
  [EXIT.returnDataOutOfBounds]: 'return data out of bounds',
};

export function executeNative(frame: Frame, host: Host): FrameResult {
  const { mem, view } = windowMemory(frame.depth);
  // the caller's category (an exit, or NONE at the top), restored when this frame ends
  const timed = timing.on;
  const outer = timed ? switchTo(COMPILE) : NONE;
  try {
    return runNativeFrame(frame, host, mem, view, timed);
  } finally {
    if (timed) switchTo(outer);
    // memory that outgrew its window is not kept past the frame (it would stay pinned per depth);
    // the window still holds what was written before the move
    if (mem.buf !== view) {
      view.fill(0);
      mem.buf = view;
      mem.size = 0;
    }
  }
}

/** What each depth's region holds now: the same caller, address or value again is not rewritten (parsing an address costs). */
const envWritten: Array<{ caller: string; address: string; value: bigint }> = [];

/** The frame's environment region (layout.ts ENV_*): what the compiled environment opcodes load. */
function writeEnvironment(frame: Frame, env: number): void {
  const w = hostOpContext.words!;
  const last = (envWritten[frame.depth] ??= { caller: '', address: '', value: -1n });
  if (last.caller !== frame.caller) addressToWord((last.caller = frame.caller), w, (env + ENV_CALLER) >>> 2);
  if (last.address !== frame.address) addressToWord((last.address = frame.address), w, (env + ENV_ADDRESS) >>> 2);
  w[(env + ENV_ADDR_ID) >>> 2] = slotAddressId(frame.address, w);
  w[(env + ENV_STATIC) >>> 2] = frame.isStatic ? 1 : 0;
  if (last.value !== frame.value) U.fromBigInt(w, (env + ENV_VALUE) >>> 2, (last.value = frame.value));
  const cd = frame.calldata;
  const cap = calldataCap(frame.depth);
  const copied = Math.min(cd.length, cap);
  w[(env + ENV_CDSIZE) >>> 2] = cd.length;
  w[(env + ENV_CDFAST) >>> 2] = cd.length <= cap ? cd.length : cap - 31;
  const at = env + ENV_CALLDATA;
  memoryBytes.set(copied === cd.length ? cd : cd.subarray(0, copied), at);
  memoryBytes.fill(0, at + copied, at + copied + 32);
}

// the call opcodes run their callee from inside the import (host-ops.ts callOp)
hostOpContext.runChild = (child: Frame, host: Host): FrameResult => {
  if (child.depth <= NATIVE_MAX_DEPTH) return executeNative(child, host);
  evmNativeStats.interpretedFrames++;
  return interpret(child, host);
};

/** The values SCRATCH_BLOCK_ENV holds now, in BLOCK_ENV_OPS order: a new message call with the same block and origin rewrites nothing. */
const blockEnvWritten: Array<string | bigint | undefined> = [];

/** ORIGIN, GASPRICE, COINBASE, TIMESTAMP, NUMBER, PREVRANDAO, GASLIMIT, CHAINID, BASEFEE as words (layout.ts BLOCK_ENV_OPS). */
function writeBlockEnvironment(host: Host, w: Uint32Array): void {
  const b = host.block;
  const randao = isForkAtLeast(host.table.fork, 'paris') ? b.prevRandao : b.difficulty;
  const values = [host.tx.origin, host.tx.gasPrice, b.coinbase, b.timestamp, b.number, randao, b.gasLimit, b.chainId, b.baseFee];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (blockEnvWritten[i] === v) continue;
    blockEnvWritten[i] = v;
    const at = (SCRATCH_BLOCK_ENV + 32 * i) >>> 2;
    if (typeof v === 'string') addressToWord(v, w, at);
    else U.fromBigInt(w, at, v);
  }
}

function runNativeFrame(frame: Frame, host: Host, mem: Memory, view: Uint8Array, timed: boolean): FrameResult {
  const nc = compileNative(frame.code, host.table.fork);
  evmNativeStats.nativeFrames++;
  const { run, out_sp, out_gas, out_pc, out_msize } = nc.exports;
  const blockAt = nc.module.blockAt;
  const base = frame.depth * STACK_REGION_BYTES;
  const mbase = windowAddress(frame.depth);
  const act = activate(frame, stackView(frame.depth), mem);
  act.singleBlock = true;
  const env = envAddress(frame.depth);
  writeEnvironment(frame, env);
  const words = hostOpContext.words!;
  writeBlockEnvironment(host, words);
  let block = 0;
  for (;;) {
    words[(env + ENV_RDSIZE) >>> 2] = act.returnData.length;
    hostOpContext.act = act;
    hostOpContext.host = host;
    hostOpContext.window = view;
    hostOpContext.addrId = words[(env + ENV_ADDR_ID) >>> 2]!;
    syncSlots(host.state, words);
    if (timed) switchTo(MODULE);
    const exit = run(block, act.sp, base, act.gas, mbase, mem.size, mem.buf === view ? view.length : 0, env);
    act.sp = out_sp.value as number;
    act.gas = out_gas.value as number;
    mem.size = out_msize.value as number;
    // storage written in the module goes to the state before anything else runs (slot-cache.ts)
    if (exit === EXIT.stop || exit === EXIT.return || exit === EXIT.host) flushSlots(host.state, words);
    else dropSlots(words);
    if (exit === EXIT.stop) return { status: 'success', returnData: EMPTY, gasLeft: act.gas };
    if (exit === EXIT.return || exit === EXIT.revert) {
      const returnData = mem.read(words[(env + ENV_RET_OFF) >>> 2]!, words[(env + ENV_RET_LEN) >>> 2]!);
      return { status: exit === EXIT.return ? 'success' : 'revert', returnData, gasLeft: act.gas };
    }
    if (exit !== EXIT.host) return { status: 'halt', haltReason: HALTS[exit] ?? 'invalid opcode', returnData: EMPTY, gasLeft: 0 };
    // the module left the block at out_pc: the interpreter finishes it on the same stack and memory
    evmNativeStats.interpreterExits++;
    act.pc = out_pc.value as number;
    const op = frame.code[act.pc] ?? 0;
    evmNativeStats.exitsByOpcode[op]++;
    if (timed) switchTo(EXIT_BASE + op);
    act.midBlock = true;
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
  profileCall,
  description: 'EVM bytecode compiled to WebAssembly with binaryen (stack, arithmetic, memory, KECCAK256, jumps, the call and block environment, cached storage slots, CALLDATACOPY / MCOPY and RETURN / REVERT native; the block environment loaded from memory; first reads of a slot, logs, CODECOPY / RETURNDATACOPY through a host import; calls and the rest through the shared interpreter), run by V8',
  execute: executeNative,
};
