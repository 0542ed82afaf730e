/**
 * Code analysis shared by the engines, done once per (code, fork): the JUMPDEST bitmap and the
 * basic blocks with their static gas and stack bounds, so an engine checks gas and stack once per
 * block instead of once per instruction (the scheme of evmone's "advanced" analysis).
 *
 * A block starts at pc 0, at every JUMPDEST, and after every instruction that ends one: JUMP, JUMPI,
 * the terminators (STOP, RETURN, REVERT, SELFDESTRUCT, INVALID and undefined opcodes) and the
 * instructions whose semantics depend on the exact gas left (GAS, SSTORE (EIP-2200 sentry), CALL,
 * CALLCODE, DELEGATECALL, STATICCALL, CREATE, CREATE2). Charging a block's base gas and checking its
 * stack bounds at its start is then observably identical to per-instruction checks: within a block
 * nothing can succeed or exit before its last instruction, every failure is an exceptional halt
 * (all gas consumed, state reverted), and the instructions that read the gas left are last in their
 * block, so they see the exact value. Dynamic costs (memory, copies, EXP bytes, cold access...) are
 * still charged by the instruction itself.
 */
import type { Fork } from './fork.js';
import { jumpdests } from './jumpdest.js';
import { OPCODES, STACK_LIMIT, opcodeTable } from './opcodes.js';

export interface CodeAnalysis {
  readonly jumpdests: Uint32Array;
  /**
   * The code with every opcode this fork does not define replaced by 0xfe (INVALID); PUSH data
   * untouched; followed by 33 zero bytes (STOP, and the zero bytes a PUSH at the end reads), so an
   * engine reads opcodes and push data without bounds tests and needs no per-instruction fork
   * check. (CODECOPY / CODESIZE / EXTCODE* use the original code.)
   */
  readonly dispatch: Uint8Array;
  /** At a block's first pc: the sum of the base gas of its instructions; 0 elsewhere. */
  readonly blockGas: Float64Array;
  /** At a block's first pc: the smallest stack height that lets the whole block run without underflow. */
  readonly blockMinStack: Int16Array;
  /** At a block's first pc: the largest stack height allowed at entry (1024 - the block's peak growth). */
  readonly blockMaxStack: Int16Array;
  /** 1 at every block's first pc (length code.length + 1: a block may start at the end). */
  readonly blockStart: Uint8Array;
  /** Number of blocks (for statistics). */
  readonly blocks: number;
}

/** Opcodes after which a new block starts although execution can continue. */
const SPLIT_AFTER = new Uint8Array(256);
for (const op of [0x57, 0x5a, 0x55, 0xf0, 0xf1, 0xf2, 0xf4, 0xf5, 0xfa]) SPLIT_AFTER[op] = 1;
/** Opcodes that never fall through. */
const TERMINATOR = new Uint8Array(256);
for (const op of [0x00, 0x56, 0xf3, 0xfd, 0xfe, 0xff]) TERMINATOR[op] = 1;

export function analyzeCode(code: Uint8Array, fork: Fork): CodeAnalysis {
  const t = opcodeTable(fork);
  const n = code.length;
  // one extra slot: a block may start at n (the implicit STOP)
  const blockGas = new Float64Array(n + 1);
  const blockMinStack = new Int16Array(n + 1);
  const blockMaxStack = new Int16Array(n + 1).fill(STACK_LIMIT);
  const blockStart = new Uint8Array(n + 1);
  const dispatch = new Uint8Array(n + 33);
  dispatch.set(code);
  let blocks = 0;
  let start = 0;
  let gas = 0;
  let height = 0; // stack change since the block's start
  let need = 0; // max over instructions of (inputs - height before it)
  let peak = 0; // max height reached
  const close = () => {
    blockStart[start] = 1;
    blockGas[start] = gas;
    // clamped into Int16 range: a long block (e.g. 40000 POPs, 100000 ADDRESSes) would wrap
    // around and pass the check; any need above 1024 (peak above 1024) always fails anyway
    blockMinStack[start] = Math.min(need, STACK_LIMIT + 1);
    blockMaxStack[start] = Math.max(STACK_LIMIT - peak, -1);
    blocks++;
  };
  let pc = 0;
  while (pc < n) {
    const op = code[pc]!;
    if (op === 0x5b && pc !== start) {
      close();
      start = pc;
      gas = height = need = peak = 0;
    }
    const next = op >= 0x60 && op <= 0x7f ? pc + op - 0x5e : pc + 1;
    if (t.defined[op] === 0) {
      // halts when reached: nothing after it in this block
      if (op !== 0xfe) {
        dispatch[pc] = 0xfe;
      }
      close();
      start = next;
      gas = height = need = peak = 0;
      pc = next;
      continue;
    }
    const d = OPCODES[op]!;
    gas += t.baseGas[op]!;
    if (d.inputs - height > need) need = d.inputs - height;
    height += d.outputs - d.inputs;
    if (height > peak) peak = height;
    pc = next;
    if (TERMINATOR[op] === 1 || SPLIT_AFTER[op] === 1) {
      close();
      start = pc;
      gas = height = need = peak = 0;
    }
  }
  if (start <= n) close();
  return { jumpdests: jumpdests(code), dispatch, blockGas, blockMinStack, blockMaxStack, blockStart, blocks };
}

const cache = new WeakMap<Uint8Array, Map<Fork, CodeAnalysis>>();

/** The cached analysis of a code array under a fork. */
export function codeAnalysis(code: Uint8Array, fork: Fork): CodeAnalysis {
  let m = cache.get(code);
  if (!m) cache.set(code, (m = new Map()));
  let a = m.get(fork);
  if (!a) m.set(fork, (a = analyzeCode(code, fork)));
  return a;
}

/** Opcodes after which execution never reaches the next instruction. */
const NO_FALLTHROUGH = new Uint8Array(256);
for (const op of [0x00, 0x56, 0xf3, 0xfd, 0xfe, 0xff]) NO_FALLTHROUGH[op] = 1;

export interface LiveBlock {
  readonly start: number;
  readonly end: number;
  /** Its last opcode. */
  readonly last: number;
}

const liveCache = new WeakMap<CodeAnalysis, { codeLength: number; blocks: readonly LiveBlock[] }>();

/**
 * The live blocks [start, end) of analysed code: a block can run only if it starts at pc 0, at a
 * JUMPDEST, or where a live block falls through. The rest (data after the code such as solc's
 * metadata, what follows a STOP or a JUMP, initcode padded with zeros) can never execute.
 * Cached per analysis (the compiler and the jump-target analysis both walk them).
 */
export function liveBlocks(an: CodeAnalysis, codeLength: number): readonly LiveBlock[] {
  const cached = liveCache.get(an);
  if (cached?.codeLength === codeLength) return cached.blocks;
  const out: LiveBlock[] = [];
  const n = codeLength;
  let fallsInto = true; // pc 0 is entered
  for (let pc = 0; pc <= n; pc++) {
    if (an.blockStart[pc] !== 1) continue;
    let p = pc;
    let last = 0x00;
    while (p < n) {
      const op = an.dispatch[p]!;
      last = op;
      p = op >= 0x60 && op <= 0x7f ? p + op - 0x5e : p + 1;
      if (p > n || an.blockStart[p] === 1) break;
    }
    const live: boolean = fallsInto || (pc < n && ((an.jumpdests[pc >>> 5]! >>> (pc & 31)) & 1) === 1);
    if (live) out.push({ start: pc, end: Math.min(p, n), last });
    fallsInto = live && NO_FALLTHROUGH[last] !== 1;
  }
  liveCache.set(an, { codeLength, blocks: out });
  return out;
}

/** Whether an instruction in [start, end) of analysed code is `op` (push data skipped). */
export function rangeHasOp(an: CodeAnalysis, start: number, end: number, op: number): boolean {
  for (let p = start; p < end; ) {
    const o = an.dispatch[p]!;
    if (o === op) return true;
    p = o >= 0x60 && o <= 0x7f ? p + o - 0x5e : p + 1;
  }
  return false;
}

/** Whether opcode `op` can execute in `code` on `fork` (live blocks only, push data skipped). */
export function liveCodeHas(code: Uint8Array, fork: Fork, op: number): boolean {
  const an = codeAnalysis(code, fork);
  return liveBlocks(an, code.length).some((b) => rangeHasOp(an, b.start, b.end, op));
}
