/**
 * What a basic block does to the stack, worked out once per block for the jump-target analysis
 * (jump-targets.ts), so that running a block on an abstract stack costs the slots it reads and
 * writes, not its instructions.
 *
 * The block is simulated on expressions: "entry slot j" for what it reads below its entry, the
 * constant of a PUSH / PUSH0 / PC, AND and ISZERO of expressions (the only opcodes whose abstract
 * result depends on their operands), and an opaque value of its own for every other result. DUP,
 * SWAP and POP only move expressions. Each opaque, AND and ISZERO result is a distinct
 * expression, and so is each pushed constant, so two slots holding the same expression hold the
 * same concrete value.
 */
import { OPCODES } from './opcodes.js';

export const ENTRY = 0;
export const CONST = 1;
export const OPAQUE = 2;
export const AND = 3;
export const ISZERO = 4;

/** AND / ISZERO nested deeper than this are opaque (bounds the evaluation's recursion). */
const MAX_NESTING = 8;

/** The expressions of every block: kind and operands (entry slot, constant's value id, sub-expressions). */
export class Exprs {
  // columns by expression id, in typed arrays grown by doubling
  kind = new Int32Array(4096);
  a = new Int32Array(4096);
  b = new Int32Array(4096);
  private nesting = new Int32Array(4096);
  private count = 0;
  private readonly entries: number[] = [];
  private make(kind: number, a: number, b: number, nesting: number): number {
    const id = this.count++;
    if (id === this.kind.length) {
      const twice = (x: Int32Array) => {
        const y = new Int32Array(x.length * 2);
        y.set(x);
        return y;
      };
      this.kind = twice(this.kind);
      this.a = twice(this.a);
      this.b = twice(this.b);
      this.nesting = twice(this.nesting);
    }
    this.kind[id] = kind;
    this.a[id] = a;
    this.b[id] = b;
    this.nesting[id] = nesting;
    return id;
  }
  entry(j: number): number {
    return (this.entries[j] ??= this.make(ENTRY, j, -1, 0));
  }
  /** A pushed constant: one expression per PUSH (abstract values such as NONZERO stand for many constants). */
  constant(valueId: number): number {
    return this.make(CONST, valueId, -1, 0);
  }
  opaque(): number {
    return this.make(OPAQUE, -1, -1, 0);
  }
  and(x: number, y: number): number {
    const nesting = Math.max(this.nesting[x]!, this.nesting[y]!) + 1;
    return nesting > MAX_NESTING ? this.opaque() : this.make(AND, x, y, nesting);
  }
  /** 1 + the deepest entry slot an expression reads (0 for none). */
  reads(x: number): number {
    const k = this.kind[x];
    if (k === ENTRY) return this.a[x]! + 1;
    if (k === AND) return Math.max(this.reads(this.a[x]!), this.reads(this.b[x]!));
    if (k === ISZERO) return this.reads(this.a[x]!);
    return 0;
  }
  iszero(x: number): number {
    const nesting = this.nesting[x]! + 1;
    return nesting > MAX_NESTING ? this.opaque() : this.make(ISZERO, x, -1, nesting);
  }
}

const NONE: readonly number[] = [];
/** The length of an instruction. */
const op0 = (op: number): number => (op >= 0x60 && op <= 0x7f ? op - 0x5e : 1);
/** The simulated stack (reused: blocks are worked out one after the other). */
const scratch: number[] = [];

export interface BlockEffect {
  readonly start: number;
  /** pc after the block (its fall-through successor). */
  readonly end: number;
  /** pc of its last instruction. */
  readonly lastPc: number;
  readonly exit: 'fall' | 'jump' | 'jumpi' | 'halt';
  /** Entry slots the block replaces. */
  readonly consumed: number;
  /** Entry slots its expressions read (at least `consumed`'s expressions; DUP may read deeper). */
  readonly reads: number;
  /** What it leaves in their place, bottom to top (after a final JUMP / JUMPI pops). */
  readonly outputs: readonly number[];
  /** JUMP / JUMPI: the target's expression, and whether it is a constant pushed in the block. */
  readonly target: number;
  readonly staticTarget: boolean;
  /** JUMPI: the condition, the value it tests (x for x and ISZERO(x)), negated for an odd number of ISZEROs. */
  readonly cond: number;
  readonly tested: number;
  readonly negated: boolean;
  /** JUMPI: the slots (from the top, after it pops, ascending) that hold the tested value. */
  readonly testedSlots: readonly number[];
}

const halt = (start: number, end: number, lastPc: number): BlockEffect => ({ start, end, lastPc, exit: 'halt', consumed: 0, reads: 0, outputs: NONE, target: -1, staticTarget: false, cond: -1, tested: -1, negated: false, testedSlots: NONE });

/**
 * The effect of the block [start, end) of analysed code (analysis.ts `dispatch`), given the stack
 * it needs at entry (blockMinStack) and the value id a PUSH / PUSH0 / PC at a pc pushes.
 */
export function blockEffect(exprs: Exprs, code: Uint8Array, start: number, end: number, minStack: number, pushed: (pc: number, op: number) => number): BlockEffect {
  const st = scratch;
  st.length = 0;
  for (let j = minStack - 1; j >= 0; j--) st.push(exprs.entry(j));
  let last = -1;
  let lastPc = start;
  let target = -1;
  let cond = -1;
  for (let p = start; p < end; p += op0(last)) {
    const op = code[p]!;
    last = op;
    lastPc = p;
    if ((op >= 0x60 && op <= 0x7f) || op === 0x58 || op === 0x5f) st.push(exprs.constant(pushed(p, op)));
    else if (op >= 0x80 && op <= 0x8f) {
      const k = op - 0x80;
      if (st.length <= k) return halt(start, end, lastPc); // always underflows
      st.push(st[st.length - 1 - k]!);
    } else if (op >= 0x90 && op <= 0x9f) {
      const a = st.length - 1;
      const b = a - (op - 0x8f);
      if (b < 0) return halt(start, end, lastPc);
      const top = st[a]!;
      st[a] = st[b]!;
      st[b] = top;
    } else if (op === 0x00 || op === 0xf3 || op === 0xfd || op === 0xfe || op === 0xff) return halt(start, end, lastPc);
    else {
      const d = OPCODES[op]!;
      if (st.length < d.inputs) return halt(start, end, lastPc);
      if (op === 0x56) target = st.pop()!;
      else if (op === 0x57) {
        target = st.pop()!;
        cond = st.pop()!;
      } else if (op === 0x16) st.push(exprs.and(st.pop()!, st.pop()!));
      else if (op === 0x15) st.push(exprs.iszero(st.pop()!));
      else {
        st.length -= d.inputs;
        for (let k = 0; k < d.outputs; k++) st.push(exprs.opaque());
      }
    }
  }
  let tested = -1;
  let negated = false;
  let testedSlots: number[] | readonly number[] = NONE;
  if (last === 0x57) {
    for (tested = cond; exprs.kind[tested] === ISZERO; tested = exprs.a[tested]!) negated = !negated;
    const slots: number[] = [];
    for (let k = 0; k < st.length; k++) if (st[st.length - 1 - k] === tested) slots.push(k);
    testedSlots = slots;
  }
  // the bottom slots the block left as they were need not be rewritten
  let keep = 0;
  while (keep < minStack && st[keep] === exprs.entry(minStack - 1 - keep)) keep++;
  const outputs = st.slice(keep);
  let reads = Math.max(minStack - keep, target >= 0 ? exprs.reads(target) : 0, cond >= 0 ? exprs.reads(cond) : 0);
  for (let i = 0; i < outputs.length; i++) reads = Math.max(reads, exprs.reads(outputs[i]!));
  return {
    start,
    end,
    lastPc,
    exit: last === 0x56 ? 'jump' : last === 0x57 ? 'jumpi' : 'fall',
    consumed: minStack - keep,
    reads,
    outputs,
    target,
    staticTarget: target >= 0 && exprs.kind[target] === CONST,
    cond,
    tested,
    negated,
    testedSlots,
  };
}
