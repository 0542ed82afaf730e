/**
 * The EVM-to-WebAssembly compiler: one module per (code, fork), built with binaryen's API.
 *
 * Structure (the shape of the native EVM compilers, in WebAssembly):
 * - Basic blocks from the shared analysis (src/evm/analysis.ts: jumpdest-aware decode, blocks end
 *   at jumps, terminators and the gas-exact instructions), each charged its base gas and checked
 *   for stack bounds once at entry.
 * - Inside a block the EVM stack is virtual: values are compile-time constants, WASM locals (four
 *   i64 limbs per word) or "still in the stack memory at slot j"; DUP and SWAP only move
 *   references, and the block writes its stack back to memory at its end (and before a host_op).
 * - Jumps whose target is a constant pushed in the same block go straight to the target block.
 *   Other jumps whose few destinations the jump-target analysis proves (src/evm/jump-targets.ts:
 *   solc's internal-call returns) compare the target with each and go straight to the one it is;
 *   the rest, and any target no compare matched, go through `jump_target`, a br_table from pc to
 *   block index. The blocks themselves sit in one loop with a br_table over the block index (one
 *   dense dispatch, no if-chains).
 * - Compiled: stack, every arithmetic opcode (MUL / shifts in u256-wasm.ts; the division family,
 *   ADDMOD / MULMOD, EXP, SIGNEXTEND, BYTE imported from the one shared instance of
 *   u256-standalone.ts; inline fast paths for 64-bit operands and constant operands),
 *   comparisons, bitwise, jumps, GAS / PC, EVM memory (MLOAD / MSTORE / MSTORE8 / MSIZE with the
 *   expansion gas) in the frame's window of linear memory, KECCAK256 (keccak-wasm.ts, growing
 *   memory itself), the call's environment (loads from the frame's region, layout.ts ENV_*),
 *   SLOAD / SSTORE of slots in the transaction's slot cache (storage-wasm.ts, Istanbul and later),
 *   CALLDATACOPY (from the region's copy) and MCOPY (memory.copy in the window), and RETURN /
 *   REVERT (the range goes to the engine through that region).
 * - Through an import, without leaving the module (host-ops.ts): storage the cache does not
 *   hold (which fills it), transient storage, logs, CODECOPY and RETURNDATACOPY (their bytes are
 *   JavaScript arrays), SELFBALANCE, BALANCE / EXTCODESIZE /
 *   EXTCODEHASH and the four calls, whose callee runs nested in the import (host_op). The block
 *   and transaction environment (ORIGIN, TIMESTAMP, NUMBER, ...) are loads (layout.ts SCRATCH_BLOCK_ENV).
 * - Anything else (creates, EXTCODECOPY, BLOCKHASH, SELFDESTRUCT, ...) and every case
 *   the fast paths do not take (memory past the window, offsets past 32 bits) leaves the module
 *   with the stack flushed and the pc of that instruction: the engine lets the interpreter finish
 *   the block (already charged) on the same stack and memory and re-enters at the next block.
 *   The semantics of those opcodes live in one place, never a second copy that could drift.
 *
 * The module imports the memory (env.stack: 1025 stack regions of 1024 words x 32 bytes, one per
 * call depth, then scratch cells and the memory windows: layout.ts) and exports
 * run(block, sp, base, gas, mbase, msize, mcap) -> exit code, with the stack pointer, gas, exit
 * pc and memory size in exported globals.
 */
import binaryen from 'binaryen';
import { type CodeAnalysis, liveBlocks, rangeHasOp } from '../../src/evm/analysis.js';
import { addU256Helpers, bswapLocal, HELPER_MUL, HELPER_SHL, HELPER_SHR, RESULT_GLOBALS } from './u256-wasm.js';
import { bitLength, clampIndex, helperType, HELPER_ADDMOD, HELPER_BYTE, HELPER_DIVMOD, HELPER_EXP, HELPER_MULMOD, HELPER_SDIVMOD, HELPER_SIGNEXTEND, signextendConst, WANT_QUOTIENT, WANT_REMAINDER } from './u256-div-wasm.js';
import { type Fork } from '../../src/evm/fork.js';
import { gasSchedule } from '../../src/evm/gas.js';

const i32 = binaryen.i32;
const i64 = binaryen.i64;
const f64 = binaryen.f64;
type Expr = binaryen.ExpressionRef;

import { MEMORY_WINDOW_BYTES, SHARED_NAMESPACE, ENV_ADDRESS, ENV_CALLDATA, ENV_CALLER, ENV_CDFAST, ENV_CDSIZE, ENV_RDSIZE, ENV_RET_LEN, ENV_RET_OFF, ENV_VALUE, ENV_ADDR_ID, ENV_STATIC, EXIT, SLOT_E_CURRENT, SCRATCH_BLOCK_ENV, BLOCK_ENV_OPS, HOST_OP_RETURN_DATA_OOB, HOST_OP_STATIC, SCRATCH_MCAP, SCRATCH_MSIZE } from './layout.js';
import { SHARED_HELPERS } from './u256-standalone.js';
import { addKeccak, HELPER_KECCAK } from './keccak-wasm.js';
import { FOLDABLE_INPUTS, foldConstant } from './fold.js';
import { addSlotHelpers, HELPER_SLOT_FIND, HELPER_SLOT_STORE, slotCacheApplies } from './storage-wasm.js';
import { OPCODES } from '../../src/evm/opcodes.js';
import { keccak256 } from '../../src/evm/keccak.js';
import { jumpTargets } from '../../src/evm/jump-targets.js';

/** Opcodes the compiler emits natively. */
const NATIVE = new Uint8Array(256);
for (const op of [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x50, 0x51, 0x52, 0x53, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x5b, 0x5f, 0xfe]) NATIVE[op] = 1;
// the frame's environment, loaded from its region (layout.ts ENV_*), RETURN / REVERT, and the
// copies whose source is in linear memory (CALLDATACOPY from the region, MCOPY)
for (const op of [0x30, 0x33, 0x34, 0x35, 0x36, 0x3d, 0xf3, 0xfd, 0x37, 0x5e]) NATIVE[op] = 1;
// the block and transaction environment, loaded from SCRATCH_BLOCK_ENV
for (const op of BLOCK_ENV_OPS) NATIVE[op] = 1;
for (let op = 0x60; op <= 0x9f; op++) NATIVE[op] = 1; // PUSH1..32, DUP1..16, SWAP1..16

/**
 * The division family, EXP, SIGNEXTEND, BYTE: routines of u256-div-wasm.ts in the one shared
 * arithmetic instance (u256-standalone.ts), imported when the live code uses one; they leave their
 * result in that instance's globals r0..r3, imported here as SHARED_RESULT.
 */
const DIV_OPS: readonly number[] = [0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x1a];
const SHARED_RESULT = RESULT_GLOBALS.map((g) => `${SHARED_NAMESPACE}_${g}`);

/**
 * Opcodes done through the host_op import (host-ops.ts) without leaving the module: the block
 * flushes its stack, calls the import, and goes on natively. KECCAK256 is one of them only when
 * JITBENCH_EVM_NATIVE_KECCAK=host; by default it is hashed in the module; SLOAD and SSTORE call it
 * only when the slot cache does not handle them. Everything else not compiled (creates,
 * EXTCODECOPY, BLOCKHASH, SELFDESTRUCT, ...) leaves the module: the interpreter finishes the block.
 */
export const HOST_OPS: readonly number[] = [
  0x20, 0x31, 0x39, 0x3b, 0x3e, 0x3f, 0x47, 0x54, 0x55, 0x5c, 0x5d, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xf1, 0xf2, 0xf4, 0xfa,
];
const HOST = new Uint8Array(256);
for (const op of HOST_OPS) HOST[op] = 1;
/** Host ops that may grow memory: the module re-reads its memory size and window after them. */
const HOST_TOUCHES_MEMORY = new Uint8Array(256);
for (const op of [0x20, 0x39, 0x3e, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xf1, 0xf2, 0xf4, 0xfa]) HOST_TOUCHES_MEMORY[op] = 1;

/**
 * How the opcodes above run, to measure the choices against each other (README "EVM-native"):
 * JITBENCH_EVM_NATIVE_HOST_OPS=0 sends them to the interpreter (the module leaves the block);
 * JITBENCH_EVM_NATIVE_KECCAK=host hashes through host_op (JavaScript, @noble/hashes) instead of
 * the in-module keccak-f (keccak-wasm.ts), which is the default.
 */
// read once: compiled modules are cached by code and fork only
const useHostOps = process.env['JITBENCH_EVM_NATIVE_HOST_OPS'] !== '0';
const keccakInModule = process.env['JITBENCH_EVM_NATIVE_KECCAK'] !== 'host';
/** JITBENCH_EVM_NATIVE_JUMPS=table: no jump-target analysis, every dynamic jump through jump_target. */
const resolveJumps = process.env['JITBENCH_EVM_NATIVE_JUMPS'] !== 'table';

export interface BlockInfo {
  start: number;
  /** Index of the next instruction after the block (its fall-through successor). */
  end: number;
  /** Every instruction compiled or done through host_op: the block never leaves the module. */
  native: boolean;
}

export interface CompiledModule {
  binary: Uint8Array;
  blocks: BlockInfo[];
  /** pc -> block index for block starts, -1 elsewhere. */
  blockAt: Int32Array;
  /**
   * dynamicJumps: jumps on a target not pushed in their block; of them, resolvedJumps compare with
   * their proven destinations, unreachedJumps can never run (the analysis never reached them).
   */
  stats: { blocks: number; nativeBlocks: number; staticJumps: number; dynamicJumps: number; resolvedJumps: number; unreachedJumps: number; jumpAnalysisMs: number; buildMs: number; optimizeMs: number; emitMs: number; wasmBytes: number };
}

/** A value on the virtual stack of a block. */
type Val =
  | { kind: 'mem'; slot: number } // in stack memory at bottom + slot*32
  | { kind: 'loc'; l: [number, number, number, number] } // a limb of -1 is known to be zero (no local)
  | { kind: 'const'; v: bigint };

const M64 = (1n << 64n) - 1n;
const M256 = (1n << 256n) - 1n;

/** base ** e mod 2^256, for EXP on two constants. */
function powMod256(base: bigint, e: bigint): bigint {
  let r = 1n;
  for (let b = base; e > 0n; e >>= 1n, b = (b * b) & M256) if (e & 1n) r = (r * b) & M256;
  return r;
}

/** keccak256 of no bytes, as four i64 limbs (KECCAK256 with length 0). */
const EMPTY_HASH_LIMBS: bigint[] = (() => {
  let v = 0n;
  for (const byte of keccak256(new Uint8Array(0))) v = (v << 8n) | BigInt(byte);
  return i64Limbs(v);
})();

function limbsOf(v: bigint): [bigint, bigint, bigint, bigint] {
  return [v & M64, (v >> 64n) & M64, (v >> 128n) & M64, (v >> 192n) & M64];
}

/** The four limbs of a word as the signed values i64.const takes. */
function i64Limbs(v: bigint): bigint[] {
  return limbsOf(v).map((x) => BigInt.asIntN(64, x));
}

/** The live blocks (src/evm/analysis.ts), each marked native when no instruction of it leaves the module. */
export function blocksOf(code: Uint8Array, an: CodeAnalysis): BlockInfo[] {
  return liveBlocks(an, code.length).map(({ start, end }) => {
    let native = true;
    for (let p = start; p < end; ) {
      const op = an.dispatch[p]!;
      if (NATIVE[op] !== 1 && !(useHostOps && HOST[op] !== 0)) native = false;
      p = op >= 0x60 && op <= 0x7f ? p + op - 0x5e : p + 1;
    }
    return { start, end, native };
  });
}

export function compileEvm(code: Uint8Array, an: CodeAnalysis, fork: Fork, optimizeLevel: number): CompiledModule {
  const t0 = performance.now();
  const blocks = blocksOf(code, an);
  const schedule = gasSchedule(fork);
  const expByteGas = schedule.expByte;
  const blockAt = new Int32Array(code.length + 1).fill(-1);
  blocks.forEach((b, i) => (blockAt[b.start] = i));
  const n = code.length;
  const isJumpdest = (pc: number) => pc < n && ((an.jumpdests[pc >>> 5]! >>> (pc & 31)) & 1) === 1;

  const m = new binaryen.Module();
  m.setFeatures(binaryen.Features.MVP | binaryen.Features.MutableGlobals | binaryen.Features.SignExt | binaryen.Features.BulkMemory | binaryen.Features.BulkMemoryOpt);
  m.setMemory(1, 65536, null, [], false, false, '0');
  m.addMemoryImport('0', 'env', 'stack');
  addU256Helpers(m);
  for (const g of ['out_sp', 'out_pc']) {
    m.addGlobal(g, i32, true, m.i32.const(0));
    m.addGlobalExport(g, g);
  }
  m.addGlobal('out_gas', f64, true, m.f64.const(0));
  m.addGlobalExport('out_gas', 'out_gas');
  m.addGlobal('out_msize', i32, true, m.i32.const(0));
  m.addGlobalExport('out_msize', 'out_msize');
  // host_op(op, sp, gas, msize) -> gas cost, or a negative halt code (see host-ops.ts)
  m.addFunctionImport('host_op', 'env', 'host_op', binaryen.createType([i32, i32, f64, i32]), f64);
  const hashInModule = useHostOps && keccakInModule && blocks.some((b) => rangeHasOp(an, b.start, b.end, 0x20));
  if (hashInModule) addKeccak(m);
  // SLOAD / SSTORE on the slot cache (storage-wasm.ts), for the forks whose SSTORE rule it knows
  const slotCache = useHostOps && slotCacheApplies(schedule) && blocks.some((b) => rangeHasOp(an, b.start, b.end, 0x54) || rangeHasOp(an, b.start, b.end, 0x55));
  if (slotCache) addSlotHelpers(m, schedule);
  if (blocks.some((b) => DIV_OPS.some((op) => rangeHasOp(an, b.start, b.end, op)))) {
    for (const name of SHARED_HELPERS) m.addFunctionImport(name, SHARED_NAMESPACE, name, ...helperType(name));
    RESULT_GLOBALS.forEach((g, k) => m.addGlobalImport(SHARED_RESULT[k]!, SHARED_NAMESPACE, g, i64, true));
  }

  /** br_if on the constant 1: an unconditional branch that keeps its block typed none (see `jump` below). */
  const always = (label: string): Expr => m.br(label, m.i32.const(1));

  // ---- jump_target(pc) -> block index of a valid JUMPDEST, or -1 (dense br_table over pc; two
  // levels, pc >> 12 then pc & 4095, for code past V8's br_table limit of 65520 entries)
  const dests = blocks.map((b, i) => ({ b, i })).filter(({ b }) => isJumpdest(b.start));
  {
    const bad = 'bad';
    const R = 1; // the result local
    const pcArg = () => m.local.get(0, i32);
    /** A br_table over `selector` (table size `size`, slot of a dest = slotOf(pc)) whose targets set R and leave. */
    const destChain = (ds: typeof dests, selector: Expr, size: number, slotOf: (pc: number) => number, tag: string): Expr => {
      const labels = ds.map((_, k) => `d${tag}_${k}`);
      const table: string[] = new Array<string>(Math.max(size, 1)).fill(bad);
      ds.forEach((d, k) => (table[slotOf(d.b.start)] = labels[k]!));
      let inner: Expr = m.switch(table, bad, selector);
      for (let k = 0; k < ds.length; k++) inner = m.block(null, [m.block(labels[k]!, [inner]), m.local.set(R, m.i32.const(ds[k]!.i)), always('out')]);
      return inner;
    };
    const SHIFT = 12;
    let inner: Expr;
    if (n <= 60_000) inner = destChain(dests, pcArg(), n, (pc) => pc, '');
    else {
      const groups = Math.ceil(n / (1 << SHIFT));
      const groupLabels: string[] = [];
      const bodies: Expr[] = [];
      for (let g = 0; g < groups; g++) {
        const ds = dests.filter(({ b }) => b.start >>> SHIFT === g);
        if (ds.length === 0) {
          groupLabels.push(bad);
          continue;
        }
        groupLabels.push(`grp${g}`);
        bodies.push(destChain(ds, m.i32.and(pcArg(), m.i32.const((1 << SHIFT) - 1)), 1 << SHIFT, (pc) => pc & ((1 << SHIFT) - 1), `${g}`));
      }
      inner = m.switch(groupLabels, bad, m.i32.shr_u(pcArg(), m.i32.const(SHIFT)));
      const used = groupLabels.filter((l) => l !== bad);
      for (let k = 0; k < used.length; k++) inner = m.block(null, [m.block(used[k]!, [inner]), bodies[k]!]);
    }
    const body = m.block(null, [
      m.block('out', [m.block(bad, [m.br(bad, m.i32.ge_u(pcArg(), m.i32.const(n))), inner]), m.local.set(R, m.i32.const(-1))]),
      m.local.get(R, i32),
    ], i32);
    m.addFunction('jump_target', binaryen.createType([i32]), i32, [i32], body);
  }

  // ---- run(block, sp, base, gas, mbase, msize, mcap) -> exit code
  // mbase: the frame's memory window; msize: the EVM memory size; mcap: the window's capacity, 0
  // when the memory is not in the window (then every memory opcode leaves to the interpreter)
  // env: the frame's environment region (layout.ts ENV_*)
  const P_BLOCK = 0, P_SP = 1, P_BASE = 2, P_GAS = 3, MBASE = 4, MSIZE = 5, MCAP = 6, ENV = 7;
  const vars: number[] = [];
  const addVar = (t: number) => (vars.push(t), 8 + vars.length - 1);
  const CUR = addVar(i32);
  const SP = addVar(i32);
  const GAS = addVar(i64);
  const BOTTOM = addVar(i32);
  const TMP32 = addVar(i32);
  // per-block temporaries come from a pool reset at every block
  const pool64: number[] = [];
  let poolUsed = 0;
  const tmp64 = (): number => {
    if (poolUsed === pool64.length) pool64.push(addVar(i64));
    return pool64[poolUsed++]!;
  };
  const newLoc = (): [number, number, number, number] => [tmp64(), tmp64(), tmp64(), tmp64()];

  const stats = { blocks: blocks.length, nativeBlocks: 0, staticJumps: 0, dynamicJumps: 0, resolvedJumps: 0, unreachedJumps: 0, jumpAnalysisMs: 0, buildMs: 0, optimizeMs: 0, emitMs: 0, wasmBytes: 0 };
  const tJumps = performance.now();
  const jt = resolveJumps ? jumpTargets(code, an) : undefined;
  const proven = jt?.targets ?? new Map<number, readonly number[] | null>();
  stats.jumpAnalysisMs = performance.now() - tJumps;

  // every exit branches to one of these labels; the code after each sets the exit code once
  const EXIT_LABELS = ['x_stop', 'x_oog', 'x_underflow', 'x_overflow', 'x_badjump', 'x_invalid', 'x_host', 'x_static', 'x_rdoob', 'x_return', 'x_revert'] as const;
  const HOSTRES = addVar(f64);
  const SLOTRES = addVar(i64);
  const MEMEND = addVar(i64);
  const NEWWORDS = addVar(i64);
  const EXITPC = addVar(i32);
  /**
   * An unconditional branch written as br_if on the constant 1. A plain br has type unreachable,
   * and every labelled block above an unreachable child makes binaryen search its whole subtree
   * for branches to it (Block::finalize): with one such block per EVM block that search is
   * quadratic (a 20 KB contract: 0.6 s of build). br_if keeps the blocks typed none; V8 folds
   * the constant condition.
   */
  const jump = always;
  const exit = (codeNum: number, pcAfter?: number): Expr =>
    pcAfter === undefined ? jump(EXIT_LABELS[codeNum]!) : m.block(null, [m.local.set(EXITPC, m.i32.const(pcAfter)), jump(EXIT_LABELS[codeNum]!)]);
  const exitIf = (codeNum: number, cond: Expr): Expr => m.br(EXIT_LABELS[codeNum]!, cond);

  // a contract uses few distinct constants, each many times: their limbs are split once
  const limbCache = new Map<bigint, bigint[]>();
  const constLimbs = (v: bigint): bigint[] => {
    let ls = limbCache.get(v);
    if (ls === undefined) limbCache.set(v, (ls = i64Limbs(v)));
    return ls;
  };

  const cases: Expr[] = [];
  for (let bi = 0; bi < blocks.length; bi++) {
    const b = blocks[bi]!;
    poolUsed = 0;
    if (b.native) stats.nativeBlocks++;
    const minStack = an.blockMinStack[b.start]!;
    const maxStack = an.blockMaxStack[b.start]!;
    const gas = an.blockGas[b.start]!;
    const out: Expr[] = [];
    out.push(m.local.set(GAS, m.i64.sub(m.local.get(GAS, i64), m.i64.const(BigInt(gas)))));
    out.push(exitIf(EXIT.outOfGas, m.i64.lt_s(m.local.get(GAS, i64), m.i64.const(0n))));
    if (minStack > 0) out.push(exitIf(EXIT.underflow, m.i32.lt_s(m.local.get(SP, i32), m.i32.const(minStack))));
    if (maxStack < 1024) out.push(exitIf(EXIT.overflow, m.i32.gt_s(m.local.get(SP, i32), m.i32.const(maxStack))));
    // bottom: the address of the lowest slot the block may read (sp - minStack)
    out.push(m.local.set(BOTTOM, m.i32.add(m.local.get(P_BASE, i32), m.i32.shl(m.i32.sub(m.local.get(SP, i32), m.i32.const(minStack)), m.i32.const(5)))));
    const st: Val[] = [];
    for (let j = 0; j < minStack; j++) st.push({ kind: 'mem', slot: j });
    const limb = (v: Val, k: number): Expr => {
      if (v.kind === 'const') return m.i64.const(constLimbs(v.v)[k]!);
      if (v.kind === 'loc') return v.l[k]! < 0 ? m.i64.const(0n) : m.local.get(v.l[k]!, i64);
      return m.i64.load(v.slot * 32 + k * 8, 8, m.local.get(BOTTOM, i32));
    };
    /** Whether limb k of a value is known at compile time to be zero (comparisons, masks and flags leave such limbs). */
    const zeroLimb = (v: Val, k: number): boolean => (v.kind === 'const' ? constLimbs(v.v)[k] === 0n : v.kind === 'loc' && v.l[k]! < 0);
    /** Entries below this index are known to be home (mem at their own slot): flushes start here, so a long block stays linear. */
    let clean = minStack;
    const pop = (): Val => {
      const v = st.pop()!;
      if (clean > st.length) clean = st.length;
      return v;
    };
    /** Push a value given by its four limbs; a null limb is zero and takes no local. */
    const pushExprs = (es: Array<Expr | null>) => {
      const l: [number, number, number, number] = [-1, -1, -1, -1];
      for (let k = 0; k < 4; k++) {
        const e = es[k];
        if (e === null) continue;
        l[k] = tmp64();
        out.push(m.local.set(l[k]!, e!));
      }
      st.push({ kind: 'loc', l });
    };
    const pushBool = (e: Expr) => pushExprs([m.i64.extend_u(e), null, null, null]);
    const pushResultGlobals = (globals: readonly string[] = RESULT_GLOBALS) => pushExprs(globals.map((g) => m.global.get(g, i64)));
    const ltU = (a: Val, bb: Val, signed: boolean): Expr => {
      // a < b over limbs 3..0; the top limb signed for SLT. A limb known zero on both sides
      // decides nothing; known zero on one side, an unsigned compare is a zero test.
      let e: Expr = m.i64.lt_u(limb(a, 0), limb(bb, 0));
      for (let k = 1; k < 4; k++) {
        const za = zeroLimb(a, k);
        const zb = zeroLimb(bb, k);
        if (za && zb) continue;
        if (!(k === 3 && signed) && (za || zb)) {
          const other = za ? limb(bb, k) : limb(a, k);
          // b's limb 0: a < b only if a's limb is 0 too and the lower limbs say so; a's limb 0: if b's is nonzero, or by the lower limbs
          e = zb ? m.i32.and(m.i64.eqz(other), e) : m.i32.or(m.i64.ne(other, m.i64.const(0n)), e);
          continue;
        }
        const lt = k === 3 && signed ? m.i64.lt_s(limb(a, k), limb(bb, k)) : m.i64.lt_u(limb(a, k), limb(bb, k));
        e = m.i32.or(lt, m.i32.and(m.i64.eq(limb(a, k), limb(bb, k)), e));
      }
      return e;
    };
    /** The OR of a value's limbs not known to be zero (undefined when all are). */
    const orLimbs = (a: Val, from = 0): Expr | undefined => {
      let e: Expr | undefined;
      for (let k = from; k < 4; k++) if (!zeroLimb(a, k)) e = e === undefined ? limb(a, k) : m.i64.or(e, limb(a, k));
      return e;
    };
    const isZero = (a: Val): Expr => {
      if (a.kind === 'const') return m.i32.const(a.v === 0n ? 1 : 0);
      const e = orLimbs(a);
      return e === undefined ? m.i32.const(1) : m.i64.eqz(e);
    };
    /** The shift amount of a word, clamped to 256. */
    const shiftAmount = (a: Val): Expr =>
      m.select(
        m.i32.and(m.i64.eqz(m.i64.or(m.i64.or(limb(a, 1), limb(a, 2)), limb(a, 3))), m.i64.lt_u(limb(a, 0), m.i64.const(256n))),
        m.i32.wrap(limb(a, 0)),
        m.i32.const(256),
      );
    let terminated = false;
    /** The memory is in its window (MCAP > 0): checked by the block's first constant access, unknown again after an import that may move it. */
    let windowKnown = false;
    let p = b.start;
    // the block's own successor handling, set by its last instruction
    let tail: Expr | undefined;
    /** How far the SP local has already been moved from its value at block entry (by flushes). */
    let spDelta = 0;
    /**
     * Code that writes the virtual stack to stack memory (entries 0..st.length-1 from bottom, each
     * one not already home) and sets SP. It leaves `st` as it is, so it can sit in a cold branch.
     */
    const flushExprs = (): Expr[] => {
      const loads: Expr[] = [];
      const stores: Expr[] = [];
      for (let j = clean; j < st.length; j++) {
        const v = st[j]!;
        if (v.kind === 'mem' && v.slot === j) continue;
        let src = v;
        if (v.kind === 'mem') {
          // copy through locals: another store may overwrite slot v.slot first
          const l = newLoc();
          for (let k = 0; k < 4; k++) loads.push(m.local.set(l[k]!, limb(v, k)));
          src = { kind: 'loc', l };
        }
        for (let k = 0; k < 4; k++) stores.push(m.i64.store(j * 32 + k * 8, 8, m.local.get(BOTTOM, i32), limb(src, k)));
      }
      const delta = st.length - minStack - spDelta;
      if (delta !== 0) stores.push(m.local.set(SP, m.i32.add(m.local.get(SP, i32), m.i32.const(delta))));
      return loads.concat(stores);
    };
    /** Flush on the main path: from here on every entry is home in stack memory. */
    const flush = () => {
      for (const e of flushExprs()) out.push(e); // no spread: a long block flushes 10^5 stores
      spDelta = st.length - minStack;
      for (let j = clean; j < st.length; j++) st[j] = { kind: 'mem', slot: j };
      clean = st.length;
    };
    /** Leave the module with the stack as it is before instruction `pc`: the interpreter goes on from there (the block is charged). */
    const deoptExpr = (pc: number): Expr => m.block(null, flushExprs().concat([exit(EXIT.host, pc)]));
    const fits32 = (v: Val) => {
      const high = orLimbs(v, 1);
      const low = m.i64.lt_u(limb(v, 0), m.i64.const(1n << 32n));
      return high === undefined ? low : m.i32.and(m.i64.eqz(high), low);
    };
    /**
     * The code for an EVM memory access at [off, off + len) by the instruction at `pc` (operands
     * still on the virtual stack): expands memory with its gas when needed; leaves to the
     * interpreter when the offset or length does not fit in 32 bits or the end is past the window.
     * The caller handles len = 0 (no access, no expansion) when the length is not a constant.
     */
    const memRange = (offVal: Val, len: Val | number, pc: number): Expr[] => {
      // a constant range inside the smallest window: once the block knows the memory is in its
      // window (the first such access checks, and leaves to the interpreter if not), only the growth
      const lenConst = typeof len === 'number' ? BigInt(len) : len.kind === 'const' ? len.v : undefined;
      if (offVal.kind === 'const' && lenConst !== undefined && lenConst > 0n && offVal.v + lenConst <= BigInt(MEMORY_WINDOW_BYTES)) {
        const check = windowKnown ? [] : [m.if(m.i32.eqz(m.local.get(MCAP, i32)), deoptExpr(pc))];
        windowKnown = true;
        const endConst = offVal.v + lenConst;
        const words = (endConst + 31n) / 32n;
        const cost = 3n * words + (words * words) / 512n;
        const oldWords = () => m.i64.extend_u(m.i32.shr_u(m.local.get(MSIZE, i32), m.i32.const(5)));
        return [
          ...check,
          m.if(
            m.i32.gt_u(m.i32.const(Number(endConst)), m.local.get(MSIZE, i32)),
            m.block(null, [
              m.local.set(GAS, m.i64.sub(m.local.get(GAS, i64), m.i64.sub(m.i64.const(cost), m.i64.add(m.i64.mul(oldWords(), m.i64.const(3n)), m.i64.div_u(m.i64.mul(oldWords(), oldWords()), m.i64.const(512n)))))),
              exitIf(EXIT.outOfGas, m.i64.lt_s(m.local.get(GAS, i64), m.i64.const(0n))),
              m.local.set(MSIZE, m.i32.const(Number(words * 32n))),
            ]),
          ),
        ];
      }
      const fits = () => (typeof len === 'number' ? fits32(offVal) : m.i32.and(fits32(offVal), fits32(len)));
      const memCost = (get: () => Expr) => m.i64.add(m.i64.mul(get(), m.i64.const(3n)), m.i64.div_u(m.i64.mul(get(), get()), m.i64.const(512n)));
      const oldWords = () => m.i64.extend_u(m.i32.shr_u(m.local.get(MSIZE, i32), m.i32.const(5)));
      return [
        m.local.set(MEMEND, m.i64.add(limb(offVal, 0), typeof len === 'number' ? m.i64.const(BigInt(len)) : limb(len, 0))),
        m.if(
          m.i32.eqz(m.i32.and(m.i32.and(fits(), m.i32.ne(m.local.get(MCAP, i32), m.i32.const(0))), m.i64.le_u(m.local.get(MEMEND, i64), m.i64.extend_u(m.local.get(MSIZE, i32))))),
          m.block(null, [
            m.if(m.i32.eqz(m.i32.and(fits(), m.i64.le_u(m.local.get(MEMEND, i64), m.i64.extend_u(m.local.get(MCAP, i32))))), deoptExpr(pc)),
            m.local.set(NEWWORDS, m.i64.shr_u(m.i64.add(m.local.get(MEMEND, i64), m.i64.const(31n)), m.i64.const(5n))),
            m.local.set(GAS, m.i64.sub(m.local.get(GAS, i64), m.i64.sub(memCost(() => m.local.get(NEWWORDS, i64)), memCost(oldWords)))),
            exitIf(EXIT.outOfGas, m.i64.lt_s(m.local.get(GAS, i64), m.i64.const(0n))),
            m.local.set(MSIZE, m.i32.shl(m.i32.wrap(m.local.get(NEWWORDS, i64)), m.i32.const(5))),
          ]),
        ),
      ];
    };
    /** MLOAD / MSTORE / MSTORE8 at `pc`: memRange's code, then the address (mbase + off) as i32. */
    const memAccess = (offVal: Val, len: number, pc: number): Expr => {
      for (const e of memRange(offVal, len, pc)) out.push(e);
      return m.i32.add(m.local.get(MBASE, i32), m.i32.wrap(limb(offVal, 0)));
    };
    const bswap = (t: number): Expr[] => bswapLocal(m, t);
    /** The limbs of a value in locals (a copy for constants and stack-memory values). */
    const inLocals = (v: Val): [number, number, number, number] => {
      if (v.kind === 'loc' && v.l.every((x) => x >= 0)) return v.l;
      const l = newLoc();
      for (let k = 0; k < 4; k++) out.push(m.local.set(l[k]!, limb(v, k)));
      return l;
    };
    const limbsOfVal = (v: Val): Expr[] => [0, 1, 2, 3].map((k) => limb(v, k));
    /** Call a routine of the shared arithmetic instance and push its result (SHARED_RESULT). */
    const callShared = (name: string, args: Expr[]): void => {
      out.push(m.call(name, args, binaryen.none));
      pushResultGlobals(SHARED_RESULT);
    };
    /**
     * DIV, SDIV, MOD, SMOD, ADDMOD, MULMOD, EXP, SIGNEXTEND, BYTE in the module: the functions of
     * u256-div-wasm.ts, with the cases a constant operand decides at compile time inlined
     * (division by a power of two, a constant exponent's gas, a constant byte index), DIV / MOD
     * inline when both operands fit in 64 bits, SDIV / SMOD when both are int64 values.
     */
    const arith = (op: number): void => {
      if (op === 0x04 || op === 0x06) {
        const a = pop();
        const d = pop();
        const rem = op === 0x06;
        if (d.kind === 'const' && d.v === 0n) {
          st.push({ kind: 'const', v: 0n });
          return;
        }
        if (d.kind === 'const' && (d.v & (d.v - 1n)) === 0n) {
          const k = d.v.toString(2).length - 1;
          if (rem) {
            const mask = limbsOf(d.v - 1n);
            pushExprs([0, 1, 2, 3].map((j) => m.i64.and(limb(a, j), m.i64.const(BigInt.asIntN(64, mask[j]!)))));
          } else if (k === 0) st.push(a);
          else {
            out.push(m.call(HELPER_SHR, [m.i32.const(k), ...limbsOfVal(a)], binaryen.none));
            pushResultGlobals();
          }
          return;
        }
        const l = newLoc();
        const high = (v: Val) => m.i64.or(m.i64.or(limb(v, 1), limb(v, 2)), limb(v, 3));
        // b = 0 gives 0 (EVM), not a trap: divide by max(b, 1) and select
        const q = (rem ? m.i64.rem_u : m.i64.div_u)(limb(a, 0), m.select(m.i64.eqz(limb(d, 0)), m.i64.const(1n), limb(d, 0)));
        const fast = m.block(null, [m.local.set(l[0]!, m.select(m.i64.eqz(limb(d, 0)), m.i64.const(0n), q)), ...[1, 2, 3].map((k) => m.local.set(l[k]!, m.i64.const(0n)))]);
        const slow = m.block(null, [
          m.call(HELPER_DIVMOD, [...limbsOfVal(a), ...limbsOfVal(d), m.i32.const(rem ? WANT_REMAINDER : WANT_QUOTIENT)], binaryen.none),
          ...SHARED_RESULT.map((g, k) => m.local.set(l[k]!, m.global.get(g, i64))),
        ]);
        out.push(m.if(m.i64.eqz(m.i64.or(high(a), high(d))), fast, slow));
        st.push({ kind: 'loc', l });
        return;
      }
      if (op === 0x05 || op === 0x07) {
        const a = pop();
        const d = pop();
        const rem = op === 0x07;
        const l = newLoc();
        // both operands int64 (limbs 1..3 the sign of limb 0): i64.div_s / rem_s inline, with the
        // two cases they trap on steered away (b = 0 gives 0; a / -1 is -a, which for a = -2^63
        // is +2^63: limb 0 0x8000000000000000 with a zero sign)
        const isInt64 = (v: Val) => {
          const sign = () => m.i64.shr_s(limb(v, 0), m.i64.const(63n));
          return m.i32.and(m.i64.eq(limb(v, 1), sign()), m.i32.and(m.i64.eq(limb(v, 2), sign()), m.i64.eq(limb(v, 3), sign())));
        };
        const a0 = () => limb(a, 0);
        const d0 = () => limb(d, 0);
        const isZeroD = () => m.i64.eqz(d0());
        const isMinus1 = () => m.i64.eq(d0(), m.i64.const(-1n));
        const fast: Expr[] = [];
        if (rem) {
          fast.push(m.local.set(l[0]!, m.select(isZeroD(), m.i64.const(0n), m.i64.rem_s(a0(), m.select(isZeroD(), m.i64.const(1n), d0())))));
          fast.push(m.local.set(l[1]!, m.i64.shr_s(m.local.get(l[0]!, i64), m.i64.const(63n))));
        } else {
          const q = m.i64.div_s(a0(), m.select(m.i32.or(isZeroD(), isMinus1()), m.i64.const(1n), d0()));
          fast.push(m.local.set(l[0]!, m.select(isZeroD(), m.i64.const(0n), m.select(isMinus1(), m.i64.sub(m.i64.const(0n), a0()), q))));
          const overflow = m.i32.and(isMinus1(), m.i64.eq(a0(), m.i64.const(-(1n << 63n))));
          fast.push(m.local.set(l[1]!, m.select(overflow, m.i64.const(0n), m.i64.shr_s(m.local.get(l[0]!, i64), m.i64.const(63n)))));
        }
        fast.push(m.local.set(l[2]!, m.local.get(l[1]!, i64)), m.local.set(l[3]!, m.local.get(l[1]!, i64)));
        const slow = m.block(null, [
          m.call(HELPER_SDIVMOD, [...limbsOfVal(a), ...limbsOfVal(d), m.i32.const(rem ? WANT_REMAINDER : WANT_QUOTIENT)], binaryen.none),
          ...SHARED_RESULT.map((g, k) => m.local.set(l[k]!, m.global.get(g, i64))),
        ]);
        out.push(m.if(m.i32.and(isInt64(a), isInt64(d)), m.block(null, fast), slow));
        st.push({ kind: 'loc', l });
        return;
      }
      if (op === 0x08 || op === 0x09) {
        const a = pop();
        const b2 = pop();
        const n2 = pop();
        callShared(op === 0x08 ? HELPER_ADDMOD : HELPER_MULMOD, [...limbsOfVal(a), ...limbsOfVal(b2), ...limbsOfVal(n2)]);
        return;
      }
      if (op === 0x0a) {
        // EXP: expByte gas per byte of the exponent, charged before the power
        const base = pop();
        const e = pop();
        if (e.kind === 'const') {
          const cost = BigInt(expByteGas * Math.ceil(e.v.toString(2).length / 8) * (e.v === 0n ? 0 : 1));
          if (cost > 0n) {
            out.push(m.local.set(GAS, m.i64.sub(m.local.get(GAS, i64), m.i64.const(cost))));
            out.push(exitIf(EXIT.outOfGas, m.i64.lt_s(m.local.get(GAS, i64), m.i64.const(0n))));
          }
          if (base.kind === 'const') {
            st.push({ kind: 'const', v: powMod256(base.v, e.v) });
            return;
          }
        } else {
          const bytes = m.i32.shr_u(m.i32.add(bitLength(m, inLocals(e)), m.i32.const(7)), m.i32.const(3));
          out.push(m.local.set(GAS, m.i64.sub(m.local.get(GAS, i64), m.i64.mul(m.i64.extend_u(bytes), m.i64.const(BigInt(expByteGas))))));
          out.push(exitIf(EXIT.outOfGas, m.i64.lt_s(m.local.get(GAS, i64), m.i64.const(0n))));
        }
        callShared(HELPER_EXP, [...limbsOfVal(base), ...limbsOfVal(e)]);
        return;
      }
      if (op === 0x0b) {
        const k = pop();
        const x = pop();
        if (k.kind === 'const') {
          if (k.v >= 31n) st.push(x);
          else {
            const { pre, limbs } = signextendConst(m, Number(k.v), (j) => limb(x, j), tmp64());
            out.push(...pre);
            pushExprs(limbs);
          }
          return;
        }
        callShared(HELPER_SIGNEXTEND, [clampIndex(m, (j) => limb(k, j)), ...limbsOfVal(x)]);
        return;
      }
      if (op === 0x1a) {
        const i = pop();
        const x = pop();
        if (i.kind === 'const') {
          if (i.v >= 32n) st.push({ kind: 'const', v: 0n });
          else {
            const idx = Number(i.v);
            pushExprs([m.i64.and(m.i64.shr_u(limb(x, 3 - (idx >> 3)), m.i64.const(BigInt(8 * (7 - (idx & 7))))), m.i64.const(0xffn)), null, null, null]);
          }
          return;
        }
        pushExprs([m.call(HELPER_BYTE, [clampIndex(m, (j) => limb(i, j)), ...limbsOfVal(x)], i64), null, null, null]);
        return;
      }
      throw new Error(`evm-native: opcode 0x${op.toString(16)} is not arithmetic`);
    };
    /**
     * KECCAK256 in the module whenever the range is in the frame's memory window, growing the
     * memory (with its gas) when it reaches past the memory size; a zero length hashes nothing at
     * any offset. Offsets or lengths past 32 bits, or past the window, leave to the interpreter.
     */
    const keccak = (pc: number): void => {
      const offV = st[st.length - 1]!;
      const lenV = st[st.length - 2]!;
      const l = newLoc();
      const inModule = m.block(null, [
        ...memRange(offV, lenV, pc),
        // 6 gas per word (every fork)
        m.local.set(GAS, m.i64.sub(m.local.get(GAS, i64), m.i64.mul(m.i64.const(6n), m.i64.shr_u(m.i64.add(limb(lenV, 0), m.i64.const(31n)), m.i64.const(5n))))),
        exitIf(EXIT.outOfGas, m.i64.lt_s(m.local.get(GAS, i64), m.i64.const(0n))),
        m.call(HELPER_KECCAK, [m.i32.add(m.local.get(MBASE, i32), m.i32.wrap(limb(offV, 0))), m.i32.wrap(limb(lenV, 0))], binaryen.none),
        ...RESULT_GLOBALS.map((g, k) => m.local.set(l[k]!, m.global.get(g, i64))),
      ]);
      const empty = m.block(null, EMPTY_HASH_LIMBS.map((v, k) => m.local.set(l[k]!, m.i64.const(v))));
      out.push(m.if(isZero(lenV), empty, inModule));
      pop();
      pop();
      st.push({ kind: 'loc', l });
    };
    /** A copy's code, skipped when the length is zero (no access, no growth at any offset); a constant length decides it here. */
    const unlessEmpty = (lenV: Val, body: () => Expr[]): void => {
      if (lenV.kind === 'const') {
        if (lenV.v !== 0n) out.push(...body());
        return;
      }
      out.push(m.if(isZero(lenV), m.nop(), m.block(null, body())));
    };
    /** The copy's gas (3 per word, every fork) for a length that memRange proved fits in 32 bits. */
    const chargeCopy = (lenV: Val): Expr[] => [
      m.local.set(GAS, m.i64.sub(m.local.get(GAS, i64), m.i64.mul(m.i64.const(3n), m.i64.shr_u(m.i64.add(limb(lenV, 0), m.i64.const(31n)), m.i64.const(5n))))),
      exitIf(EXIT.outOfGas, m.i64.lt_s(m.local.get(GAS, i64), m.i64.const(0n))),
    ];
    /**
     * MCOPY in the module when both ranges are in the frame's window (memory grown to the larger
     * end, with its gas: growing to one end and then the other costs the same); a zero length
     * copies nothing at any offset. Anything else leaves to the interpreter, before the copy's gas.
     */
    const mcopy = (pc: number): void => {
      // operands stay on the virtual stack until the code is built: a deopt flushes them
      const [lenV, srcV, dstV] = st.slice(-3) as [Val, Val, Val];
      unlessEmpty(lenV, () => [
        ...memRange(dstV, lenV, pc),
        ...memRange(srcV, lenV, pc),
        ...chargeCopy(lenV),
        m.memory.copy(m.i32.add(m.local.get(MBASE, i32), m.i32.wrap(limb(dstV, 0))), m.i32.add(m.local.get(MBASE, i32), m.i32.wrap(limb(srcV, 0))), m.i32.wrap(limb(lenV, 0))),
      ]);
      pop(), pop(), pop();
    };
    /**
     * CALLDATACOPY in the module from the environment region's copy of the calldata, zeros past its
     * end, when the whole calldata is in the region and the memory range in the window; otherwise
     * the interpreter copies (before any gas is charged here).
     */
    const calldataCopy = (pc: number): void => {
      const [lenV, offV, memV] = st.slice(-3) as [Val, Val, Val];
      const from = tmp64();
      const n = tmp64();
      const size = () => m.i64.extend_u(m.i32.load(ENV_CDSIZE, 4, m.local.get(ENV, i32)));
      const inRegion = m.i32.and(fits32(offV), m.i64.lt_u(limb(offV, 0), size()));
      const dst = () => m.i32.add(m.local.get(MBASE, i32), m.i32.wrap(limb(memV, 0)));
      unlessEmpty(lenV, () => [
        m.if(m.i32.ne(m.i32.load(ENV_CDFAST, 4, m.local.get(ENV, i32)), m.i32.load(ENV_CDSIZE, 4, m.local.get(ENV, i32))), deoptExpr(pc)),
        ...memRange(memV, lenV, pc),
        ...chargeCopy(lenV),
        // the bytes that exist: from the offset (0 when past the end: a zero-length copy still
        // needs an address in bounds) to the smaller of the end of the calldata and offset + length
        m.local.set(from, m.select(inRegion, limb(offV, 0), m.i64.const(0n))),
        m.local.set(n, m.select(inRegion, m.i64.sub(size(), m.local.get(from, i64)), m.i64.const(0n))),
        m.local.set(n, m.select(m.i64.lt_u(m.local.get(n, i64), limb(lenV, 0)), m.local.get(n, i64), limb(lenV, 0))),
        m.memory.copy(dst(), m.i32.add(m.i32.add(m.local.get(ENV, i32), m.i32.const(ENV_CALLDATA)), m.i32.wrap(m.local.get(from, i64))), m.i32.wrap(m.local.get(n, i64))),
        m.memory.fill(m.i32.add(dst(), m.i32.wrap(m.local.get(n, i64))), m.i32.const(0), m.i32.wrap(m.i64.sub(limb(lenV, 0), m.local.get(n, i64)))),
      ]);
      pop(), pop(), pop();
    };
    /** An opcode done by the host_op import on the flushed stack; the result stays in stack memory. */
    const hostOp = (op: number): void => {
      flush();
      const def = OPCODES[op]!;
      const viaImport: Expr[] = [];
      viaImport.push(m.local.set(HOSTRES, m.call('host_op', [m.i32.const(op), m.local.get(SP, i32), m.f64.convert_s.i64(m.local.get(GAS, i64)), m.local.get(MSIZE, i32)], f64)));
      viaImport.push(
        m.if(
          m.f64.lt(m.local.get(HOSTRES, f64), m.f64.const(0)),
          m.block(null, [
            exitIf(EXIT.staticViolation, m.f64.eq(m.local.get(HOSTRES, f64), m.f64.const(HOST_OP_STATIC))),
            ...(op === 0x3e ? [exitIf(EXIT.returnDataOutOfBounds, m.f64.eq(m.local.get(HOSTRES, f64), m.f64.const(HOST_OP_RETURN_DATA_OOB)))] : []),
            exit(EXIT.outOfGas),
          ]),
        ),
      );
      // the import never returns more than the gas left
      viaImport.push(m.local.set(GAS, m.i64.sub(m.local.get(GAS, i64), m.i64.trunc_s.f64(m.local.get(HOSTRES, f64)))));
      if (slotCache && (op === 0x54 || op === 0x55)) {
        // the key is the top word of the flushed stack, the value (SSTORE) the one under it
        const keyAt = () => m.i32.add(m.local.get(P_BASE, i32), m.i32.sub(m.i32.shl(m.local.get(SP, i32), m.i32.const(5)), m.i32.const(32)));
        const addrId = m.i32.load(ENV_ADDR_ID, 4, m.local.get(ENV, i32));
        if (op === 0x54) {
          // a cached slot: its current value replaces the key
          const hit = [0, 1, 2, 3].map((k) => m.i64.store(8 * k, 8, keyAt(), m.i64.load(SLOT_E_CURRENT + 8 * k, 8, m.local.get(TMP32, i32))));
          out.push(m.local.set(TMP32, m.call(HELPER_SLOT_FIND, [keyAt(), addrId], i32)));
          out.push(m.if(m.local.get(TMP32, i32), m.block(null, hit), m.block(null, viaImport)));
        } else {
          out.push(m.local.set(SLOTRES, m.call(HELPER_SLOT_STORE, [keyAt(), addrId, m.local.get(GAS, i64), m.i32.load(ENV_STATIC, 4, m.local.get(ENV, i32))], i64)));
          const native = [exitIf(EXIT.outOfGas, m.i64.gt_s(m.local.get(SLOTRES, i64), m.local.get(GAS, i64))), m.local.set(GAS, m.i64.sub(m.local.get(GAS, i64), m.local.get(SLOTRES, i64)))];
          out.push(m.if(m.i64.lt_s(m.local.get(SLOTRES, i64), m.i64.const(0n)), m.block(null, viaImport), m.block(null, native)));
        }
      } else out.push(...viaImport);
      if (HOST_TOUCHES_MEMORY[op] === 1) {
        windowKnown = false;
        out.push(m.local.set(MSIZE, m.i32.load(0, 4, m.i32.const(SCRATCH_MSIZE))));
        out.push(m.local.set(MCAP, m.i32.load(0, 4, m.i32.const(SCRATCH_MCAP))));
      }
      const delta = def.outputs - def.inputs;
      if (delta !== 0) out.push(m.local.set(SP, m.i32.add(m.local.get(SP, i32), m.i32.const(delta))));
      spDelta += delta;
      st.length -= def.inputs;
      for (let k = 0; k < def.outputs; k++) st.push({ kind: 'mem', slot: st.length });
      clean = st.length;
    };
    /** A word of the environment region, as four limbs. */
    const envWord = (at: number): void => pushExprs([0, 1, 2, 3].map((k) => m.i64.load(at + 8 * k, 8, m.local.get(ENV, i32))));
    const envSize = (at: number): void => pushExprs([m.i64.extend_u(m.i32.load(at, 4, m.local.get(ENV, i32))), null, null, null]);
    /**
     * CALLDATALOAD: 32 bytes of the region's copy of the calldata (zero-padded) when the offset is
     * below ENV_CDFAST, zero at or past the calldata size, else the interpreter reads it.
     */
    const calldataLoad = (pc: number): void => {
      const offV = st[st.length - 1]!;
      const deopt = deoptExpr(pc);
      const l = newLoc();
      const at = tmp64();
      out.push(m.local.set(at, m.select(fits32(offV), limb(offV, 0), m.i64.const(0xffffffffn))));
      const load = m.block(null, [
        m.local.set(TMP32, m.i32.add(m.local.get(ENV, i32), m.i32.wrap(m.local.get(at, i64)))),
        ...[0, 1, 2, 3].flatMap((k) => [m.local.set(l[3 - k]!, m.i64.load(ENV_CALLDATA + k * 8, 1, m.local.get(TMP32, i32))), ...bswap(l[3 - k]!)]),
      ]);
      const zero = m.block(null, l.map((x) => m.local.set(x, m.i64.const(0n))));
      const size = () => m.i64.extend_u(m.i32.load(ENV_CDSIZE, 4, m.local.get(ENV, i32)));
      out.push(
        m.if(
          m.i64.lt_u(m.local.get(at, i64), m.i64.extend_u(m.i32.load(ENV_CDFAST, 4, m.local.get(ENV, i32)))),
          load,
          m.if(m.i32.or(m.i32.eqz(fits32(offV)), m.i64.ge_u(m.local.get(at, i64), size())), zero, deopt),
        ),
      );
      pop();
      st.push({ kind: 'loc', l });
    };
    /** RETURN / REVERT: the range (memory grown, with its gas) goes to the engine through the region. */
    const returnOp = (op: number, pc: number): void => {
      const offV = st[st.length - 1]!;
      const lenV = st[st.length - 2]!;
      const setRange = (off: Expr, len: Expr): Expr[] => [m.i32.store(ENV_RET_OFF, 4, m.local.get(ENV, i32), off), m.i32.store(ENV_RET_LEN, 4, m.local.get(ENV, i32), len)];
      out.push(
        m.if(
          isZero(lenV),
          m.block(null, setRange(m.i32.const(0), m.i32.const(0))),
          m.block(null, [...memRange(offV, lenV, pc), ...setRange(m.i32.wrap(limb(offV, 0)), m.i32.wrap(limb(lenV, 0)))]),
        ),
      );
      tail = exit(op === 0xf3 ? EXIT.return : EXIT.revert);
      terminated = true;
    };
    const goBlock = (pc: number): Expr => {
      const idx = blockAt[pc]!;
      if (idx < 0) throw new Error(`evm-native: no block at pc ${pc}`);
      return m.block(null, [m.local.set(CUR, m.i32.const(idx)), jump('dispatch')]);
    };
    /**
     * Jump to a target value from the jump at `pc`: a constant goes straight to its block; a value
     * with proven destinations is compared with each (a match goes straight to its block); the
     * rest goes through jump_target.
     */
    const jumpTo = (target: Val, pc: number): Expr => {
      if (target.kind === 'const') {
        stats.staticJumps++;
        const t = target.v;
        if (t < BigInt(n) && isJumpdest(Number(t))) return goBlock(Number(t));
        return exit(EXIT.badJump);
      }
      stats.dynamicJumps++;
      const highZero = () => m.i64.eqz(m.i64.or(m.i64.or(limb(target, 1), limb(target, 2)), limb(target, 3)));
      const dests = proven.get(pc)?.filter((t) => blockAt[t]! >= 0);
      if (jt?.complete && !proven.has(pc)) stats.unreachedJumps++;
      // a match is the right block whatever the analysis said; a value no compare matches (which
      // a sound analysis never lets happen) still goes through the table
      const direct: Expr[] = [];
      if (dests && dests.length > 0) {
        stats.resolvedJumps++;
        const compares = dests.map((t) => m.if(m.i64.eq(limb(target, 0), m.i64.const(BigInt(t))), goBlock(t)));
        direct.push(m.if(highZero(), compares.length === 1 ? compares[0]! : m.block(null, compares)));
      }
      const fits = m.i32.and(highZero(), m.i64.lt_u(limb(target, 0), m.i64.const(BigInt(n))));
      return m.block(null, [
        ...direct,
        exitIf(EXIT.badJump, m.i32.eqz(fits)),
        m.local.set(TMP32, m.call('jump_target', [m.i32.wrap(limb(target, 0))], i32)),
        exitIf(EXIT.badJump, m.i32.lt_s(m.local.get(TMP32, i32), m.i32.const(0))),
        m.local.set(CUR, m.local.get(TMP32, i32)),
        jump('dispatch'),
      ]);
    };
    /** Whether the top `k` entries of the virtual stack are all constants. */
    const topAreConstants = (k: number): boolean => {
      for (let j = st.length - k; j < st.length; j++) if (st[j]!.kind !== 'const') return false;
      return true;
    };
    while (p < b.end && !terminated) {
      // V8 takes at most 50000 locals per function: a very long block flushes its stack to
      // memory now and then, which frees every temporary
      if (poolUsed > 2000) {
        flush();
        poolUsed = 0;
      }
      const op = an.dispatch[p]!;
      const next = op >= 0x60 && op <= 0x7f ? p + op - 0x5e : p + 1;
      if (op >= 0x60 && op <= 0x7f) {
        let v = 0n;
        for (let k = 0; k < op - 0x5f; k++) v = (v << 8n) | BigInt(an.dispatch[p + 1 + k]!);
        st.push({ kind: 'const', v });
      } else if (op >= 0x80 && op <= 0x8f) {
        st.push(st[st.length - 1 - (op - 0x80)]!);
      } else if (op >= 0x90 && op <= 0x9f) {
        const i = st.length - 1;
        const j = i - (op - 0x8f);
        const x = st[i]!;
        st[i] = st[j]!;
        st[j] = x;
        if (clean > j) clean = j;
      } else if (NATIVE[op] !== 1) {
        if (op === 0x20 && hashInModule) keccak(p);
        else if (useHostOps && HOST[op] === 1) hostOp(op);
        else {
          // the interpreter finishes this block from here
          tail = deoptExpr(p);
          terminated = true;
        }
      } else if (FOLDABLE_INPUTS.has(op) && topAreConstants(FOLDABLE_INPUTS.get(op)!)) {
        const xs: bigint[] = [];
        for (let k = FOLDABLE_INPUTS.get(op)!; k > 0; k--) xs.push((pop() as { v: bigint }).v);
        st.push({ kind: 'const', v: foldConstant(op, xs) });
      } else {
        switch (op) {
          case 0x37:
            calldataCopy(p);
            break;
          case 0x5e:
            mcopy(p);
            break;
          case 0x00:
            flush();
            tail = exit(EXIT.stop);
            terminated = true;
            break;
          case 0x01:
          case 0x03: {
            const a = pop();
            const c = pop();
            const l = newLoc();
            const carry = tmp64();
            const sub = op === 0x03;
            for (let k = 0; k < 4; k++) {
              // a limb known zero on one side (a small constant: i + 1, p + 32; a flag): only the
              // carry moves through it. ADD commutes; SUB only when the subtrahend's limb is zero.
              const zeroSide = k === 0 ? undefined : zeroLimb(c, k) ? a : !sub && zeroLimb(a, k) ? c : undefined;
              if (zeroSide !== undefined) {
                const x = limb(zeroSide, k);
                if (sub) {
                  // r = x - borrow; borrow out when x < borrow
                  out.push(m.local.set(l[k]!, m.i64.sub(x, m.local.get(carry, i64))));
                  if (k < 3) out.push(m.local.set(carry, m.i64.extend_u(m.i64.lt_u(limb(zeroSide, k), m.local.get(carry, i64)))));
                } else {
                  // r = x + carry; carry out when r < carry (x was all ones)
                  out.push(m.local.set(l[k]!, m.i64.add(x, m.local.get(carry, i64))));
                  if (k < 3) out.push(m.local.set(carry, m.i64.extend_u(m.i64.lt_u(m.local.get(l[k]!, i64), m.local.get(carry, i64)))));
                }
                continue;
              }
              const ak = limb(a, k);
              const bk = limb(c, k);
              if (k === 0) {
                out.push(m.local.set(l[0]!, sub ? m.i64.sub(ak, bk) : m.i64.add(ak, bk)));
                out.push(m.local.set(carry, m.i64.extend_u(sub ? m.i64.lt_u(limb(a, 0), limb(c, 0)) : m.i64.lt_u(m.local.get(l[0]!, i64), limb(a, 0)))));
              } else {
                // r = a +- b +- carry; new carry from either step
                const tmp = tmp64();
                out.push(m.local.set(tmp, sub ? m.i64.sub(ak, bk) : m.i64.add(ak, bk)));
                const c1 = sub ? m.i64.lt_u(limb(a, k), limb(c, k)) : m.i64.lt_u(m.local.get(tmp, i64), limb(a, k));
                out.push(m.local.set(l[k]!, sub ? m.i64.sub(m.local.get(tmp, i64), m.local.get(carry, i64)) : m.i64.add(m.local.get(tmp, i64), m.local.get(carry, i64))));
                if (k < 3) {
                  const c2 = sub ? m.i64.lt_u(m.local.get(tmp, i64), m.local.get(carry, i64)) : m.i64.lt_u(m.local.get(l[k]!, i64), m.local.get(tmp, i64));
                  out.push(m.local.set(carry, m.i64.extend_u(m.i32.or(c1, c2))));
                }
              }
            }
            st.push({ kind: 'loc', l });
            break;
          }
          case 0x02: {
            const a = pop();
            const c = pop();
            out.push(m.call(HELPER_MUL, [0, 1, 2, 3].map((k) => limb(a, k)).concat([0, 1, 2, 3].map((k) => limb(c, k))), binaryen.none));
            pushResultGlobals();
            break;
          }
          case 0x10:
          case 0x11:
          case 0x12:
          case 0x13: {
            const a = pop();
            const c = pop();
            const signed = op === 0x12 || op === 0x13;
            pushBool(op === 0x10 || op === 0x12 ? ltU(a, c, signed) : ltU(c, a, signed));
            break;
          }
          case 0x14: {
            const a = pop();
            const c = pop();
            // limbs zero on both sides drop out; zero on one side, the other limb is the difference
            let diff: Expr | undefined;
            for (let k = 0; k < 4; k++) {
              const za = zeroLimb(a, k);
              const zc = zeroLimb(c, k);
              if (za && zc) continue;
              const d = za ? limb(c, k) : zc ? limb(a, k) : m.i64.xor(limb(a, k), limb(c, k));
              diff = diff === undefined ? d : m.i64.or(diff, d);
            }
            pushBool(diff === undefined ? m.i32.const(1) : m.i64.eqz(diff));
            break;
          }
          case 0x15:
            pushBool(isZero(pop()));
            break;
          case 0x16:
          case 0x17:
          case 0x18: {
            const a = pop();
            const c = pop();
            const f = op === 0x16 ? m.i64.and : op === 0x17 ? m.i64.or : m.i64.xor;
            // AND with a limb known zero is zero (masks); OR / XOR of two known-zero limbs too
            pushExprs([0, 1, 2, 3].map((k) => ((op === 0x16 ? zeroLimb(a, k) || zeroLimb(c, k) : zeroLimb(a, k) && zeroLimb(c, k)) ? null : f(limb(a, k), limb(c, k)))));
            break;
          }
          case 0x19: {
            const a = pop();
            pushExprs([0, 1, 2, 3].map((k) => m.i64.xor(limb(a, k), m.i64.const(-1n))));
            break;
          }
          case 0x1b:
          case 0x1c: {
            const s = pop();
            const x = pop();
            out.push(m.call(op === 0x1b ? HELPER_SHL : HELPER_SHR, [shiftAmount(s), limb(x, 0), limb(x, 1), limb(x, 2), limb(x, 3)], binaryen.none));
            pushResultGlobals();
            break;
          }
          case 0x1d: {
            // SAR: for a negative x, ~((~x) >> n); the shift amount clamps to 256 either way
            const s = pop();
            const x = pop();
            const neg = tmp64();
            out.push(m.local.set(neg, m.i64.shr_s(limb(x, 3), m.i64.const(63n)))); // all ones when negative
            out.push(m.call(HELPER_SHR, [shiftAmount(s), ...[0, 1, 2, 3].map((k) => m.i64.xor(limb(x, k), m.local.get(neg, i64)))], binaryen.none));
            pushExprs(RESULT_GLOBALS.map((g) => m.i64.xor(m.global.get(g, i64), m.local.get(neg, i64))));
            break;
          }
          case 0x50:
            pop();
            break;
          case 0x56: {
            let target = pop();
            if (target.kind === 'mem') {
              // read it before the flush may overwrite its slot
              const l = newLoc();
              for (let k = 0; k < 4; k++) out.push(m.local.set(l[k]!, limb(target, k)));
              target = { kind: 'loc', l };
            }
            flush();
            tail = jumpTo(target, p);
            terminated = true;
            break;
          }
          case 0x57: {
            const target = pop();
            const cond = pop();
            const condZero = tmp64();
            // evaluate the condition before the flush may overwrite its slot
            if (cond.kind !== 'const') out.push(m.local.set(condZero, m.i64.extend_u(isZero(cond))));
            let targetVal = target;
            if (target.kind === 'mem') {
              const l = newLoc();
              for (let k = 0; k < 4; k++) out.push(m.local.set(l[k]!, limb(target, k)));
              targetVal = { kind: 'loc', l };
            }
            flush();
            // a constant condition (often folded from constants) takes one way only
            if (cond.kind === 'const') tail = cond.v !== 0n ? jumpTo(targetVal, p) : goBlock(next);
            else tail = m.if(m.i64.eqz(m.local.get(condZero, i64)), jumpTo(targetVal, p), goBlock(next));
            terminated = true;
            break;
          }
          case 0x51: {
            // MLOAD: the word at mbase + off, big-endian, into four limbs
            const addr = memAccess(st[st.length - 1]!, 32, p);
            pop();
            const l = newLoc();
            out.push(m.local.set(TMP32, addr));
            for (let k = 0; k < 4; k++) out.push(m.local.set(l[3 - k]!, m.i64.load(k * 8, 1, m.local.get(TMP32, i32))), ...bswap(l[3 - k]!));
            st.push({ kind: 'loc', l });
            break;
          }
          case 0x52: {
            // MSTORE
            const addr = memAccess(st[st.length - 1]!, 32, p);
            pop();
            const v = pop();
            out.push(m.local.set(TMP32, addr));
            for (let k = 0; k < 4; k++) {
              const t = tmp64();
              out.push(m.local.set(t, limb(v, 3 - k)), ...bswap(t), m.i64.store(k * 8, 1, m.local.get(TMP32, i32), m.local.get(t, i64)));
            }
            break;
          }
          case 0x53: {
            // MSTORE8: the low byte
            const addr = memAccess(st[st.length - 1]!, 1, p);
            pop();
            const v = pop();
            out.push(m.i64.store8(0, 1, addr, limb(v, 0)));
            break;
          }
          case 0x58:
            st.push({ kind: 'const', v: BigInt(p) });
            break;
          case 0x59:
            pushExprs([m.i64.extend_u(m.local.get(MSIZE, i32)), null, null, null]);
            break;
          case 0x5a:
            // GAS ends its block: the gas left after the block's charge is exact here
            pushExprs([m.local.get(GAS, i64), null, null, null]);
            break;
          case 0x5b:
            break;
          case 0x5f:
            st.push({ kind: 'const', v: 0n });
            break;
          case 0x30:
            envWord(ENV_ADDRESS);
            break;
          case 0x32:
          case 0x3a:
          case 0x41:
          case 0x42:
          case 0x43:
          case 0x44:
          case 0x45:
          case 0x46:
          case 0x48: {
            const at = SCRATCH_BLOCK_ENV + 32 * BLOCK_ENV_OPS.indexOf(op);
            pushExprs([0, 1, 2, 3].map((k) => m.i64.load(at + 8 * k, 8, m.i32.const(0))));
            break;
          }
          case 0x33:
            envWord(ENV_CALLER);
            break;
          case 0x34:
            envWord(ENV_VALUE);
            break;
          case 0x35:
            calldataLoad(p);
            break;
          case 0x36:
            envSize(ENV_CDSIZE);
            break;
          case 0x3d:
            envSize(ENV_RDSIZE);
            break;
          case 0xf3:
          case 0xfd:
            returnOp(op, p);
            break;
          case 0xfe:
            tail = exit(EXIT.invalid);
            terminated = true;
            break;
          case 0x04:
          case 0x05:
          case 0x06:
          case 0x07:
          case 0x08:
          case 0x09:
          case 0x0a:
          case 0x0b:
          case 0x1a:
            arith(op);
            break;
          default:
            throw new Error(`evm-native: opcode 0x${op.toString(16)} marked native but not compiled`);
        }
      }
      p = next;
    }
    if (!terminated) {
      flush();
      tail = b.end >= n ? exit(EXIT.stop) : goBlock(b.end);
    }
    out.push(tail!);
    cases.push(m.block(null, out));
  }

  // dispatch loop, two levels of br_table: loop $dispatch { br_table over cur >> 5 picks a group,
  // a br_table over cur & 31 picks the block in it }. One flat chain of nested blocks would cost
  // binaryen O(blocks^2) to build (each labelled block scans its subtree for branches to it): an
  // 11.9 KB contract with 1210 blocks took 1.5 s.
  const GROUP = 32;
  const chain = (labels: string[], selector: Expr, bodies: Expr[]): Expr => {
    let e: Expr = m.switch(labels, labels[labels.length - 1]!, selector);
    for (let i = 0; i < labels.length; i++) e = m.block(null, [m.block(labels[i]!, [e]), bodies[i]!]);
    return e;
  };
  const groupBodies: Expr[] = [];
  for (let g = 0; g * GROUP < blocks.length; g++) {
    const ids = blocks.slice(g * GROUP, (g + 1) * GROUP).map((_, k) => g * GROUP + k);
    groupBodies.push(chain(ids.map((i) => `b${i}`), m.i32.and(m.local.get(CUR, i32), m.i32.const(GROUP - 1)), ids.map((i) => cases[i]!)));
  }
  const inner = chain(groupBodies.map((_, g) => `g${g}`), m.i32.shr_u(m.local.get(CUR, i32), m.i32.const(5)), groupBodies);
  // exits: block x_host { block x_invalid { ... block x_stop { loop } code=0 } code=1 ... } code=6
  const CODE = addVar(i32);
  let exits: Expr = m.block(EXIT_LABELS[0], [m.loop('dispatch', inner)]);
  for (let c = 1; c < EXIT_LABELS.length; c++) {
    exits = m.block(EXIT_LABELS[c]!, [exits, m.local.set(CODE, m.i32.const(c - 1)), jump('done')]);
  }
  const body = m.block(null, [
    m.local.set(CUR, m.local.get(P_BLOCK, i32)),
    m.local.set(SP, m.local.get(P_SP, i32)),
    m.local.set(GAS, m.i64.trunc_s.f64(m.local.get(P_GAS, f64))),
    m.block('done', [exits, m.local.set(CODE, m.i32.const(EXIT_LABELS.length - 1))]),
    m.global.set('out_sp', m.local.get(SP, i32)),
    m.global.set('out_gas', m.f64.convert_s.i64(m.local.get(GAS, i64))),
    m.global.set('out_pc', m.local.get(EXITPC, i32)),
    m.global.set('out_msize', m.local.get(MSIZE, i32)),
    m.local.get(CODE, i32),
  ], i32);
  m.addFunction('run', binaryen.createType([i32, i32, i32, f64, i32, i32, i32, i32]), i32, vars, body);
  m.addFunctionExport('run', 'run');
  // binaryen's validator names the bad construct, but costs 12-50 ms on 20 KB of EVM code; V8
  // validates every module anyway (new WebAssembly.Module), so it runs only when asked (npm test)
  if (process.env['JITBENCH_EVM_NATIVE_VALIDATE'] === '1' && !m.validate()) throw new Error('evm-native: binaryen rejected the generated module');
  const t1 = performance.now();
  const prevOpt = binaryen.getOptimizeLevel();
  binaryen.setOptimizeLevel(optimizeLevel);
  if (optimizeLevel > 0) m.optimize();
  binaryen.setOptimizeLevel(prevOpt);
  const t2 = performance.now();
  const binary = m.emitBinary();
  m.dispose();
  const t3 = performance.now();
  stats.buildMs = t1 - t0;
  stats.optimizeMs = t2 - t1;
  stats.emitMs = t3 - t2;
  stats.wasmBytes = binary.length;
  return { binary, blocks, blockAt, stats };
}
