/**
 * Jump-target analysis: for every JUMP / JUMPI, the destinations it can take, where an abstract
 * interpretation over the control-flow graph proves them. solc's internal functions return with
 * `JUMP` on a return address the caller pushed in another block; knowing the few addresses such a
 * jump can take lets a compiler branch straight to them instead of looking the pc up in a table.
 *
 * Abstract values and stacks: abstract-stack.ts (a JUMPDEST pc pushed somewhere, a mask, zero,
 * nonzero, "slot k of block E's entry stack", unknown). Each block's effect on the stack is worked
 * out once (block-effect.ts). Each block keeps the distinct entry stacks that reach it and runs
 * each: the stacks below a callee's arguments differ per call site, and keeping them apart, with
 * no join, is what sends each return to its own caller.
 *
 * A block reached by more than `summaryAfter` distinct stacks (a function called from several
 * places) becomes a summary: it runs once more on a symbolic stack (slot k: "entry slot k of this
 * block"), and its entry stacks are from then on only recorded. A jump whose target is "entry
 * slot k of E" is an exit of E: for every entry stack S of E (recorded so far or later), the
 * target is S's slot k and the stack after the jump is the exit's stack with E's slots replaced by
 * S's, so each caller gets its own return (a target that is a symbol of S's own root makes it an
 * exit of that block in turn). Every transfer moves values, pushes constants or unknowns, or is AND
 * / ISZERO, which commute with that substitution, so a summary loses nothing against running the
 * code on each entry stack; and a loop that grows the stack (a hand-written sort's explicit stack)
 * has one symbolic entry per shape instead of one stack per iteration. The conditions a path took
 * on a summary's entry slots (JUMPI on x, or on ISZERO(x)) are kept with its stacks, so an exit is
 * not taken from an entry stack whose slot contradicts them (solc's `PUSH1 1 .. JUMPI`).
 *
 * Sound with respect to the EVM's semantics, whoever executes each block: a jump whose target may
 * be any value can go to any JUMPDEST, so every JUMPDEST block then also gets the ANY stack (the
 * analysis then proves little, but never a wrong target); a stack underflow or a stack above 1024
 * halts. Every step of work is counted; past `workCap` the analysis stops and proves nothing.
 */
import { type CodeAnalysis, liveBlocks } from './analysis.js';
import { AND, type BlockEffect, blockEffect, CONST, ENTRY, Exprs, ISZERO } from './block-effect.js';
import { ANY, EMPTY, INTERNED, MASK, NONZERO, PairMap, Stacks, UNKNOWN, Values, ZERO } from './abstract-stack.js';
import { STACK_LIMIT } from './opcodes.js';

export interface JumpTargetOptions {
  /** Most destinations a jump may have to count as resolved (default 8). */
  readonly maxTargets?: number;
  /** Distinct entry stacks a block runs before it becomes a summary (default 2). */
  readonly summaryAfter?: number;
  /** Work budget in steps (slots read and written; default 1,000,000); past it nothing is proven. */
  readonly workCap?: number;
}

export interface JumpTargets {
  /**
   * By the pc of each JUMP / JUMPI the analysis reached: its possible destinations (valid
   * JUMPDESTs, ascending), or null when they are not proven or more than `maxTargets`. A jump
   * missing here is never reached (when `complete`).
   */
  readonly targets: ReadonlyMap<number, readonly number[] | null>;
  /** pcs of the JUMP / JUMPI (live code) whose target is not a constant pushed in their own block. */
  readonly dynamic: readonly number[];
  /** False when the work budget ran out: then `targets` is empty. */
  readonly complete: boolean;
  /** Steps spent. */
  readonly work: number;
}

const DEFAULTS = { maxTargets: 8, summaryAfter: 2, workCap: 1_000_000 } as const;

export function jumpTargets(code: Uint8Array, an: CodeAnalysis, options: JumpTargetOptions = {}): JumpTargets {
  const maxTargets = options.maxTargets ?? DEFAULTS.maxTargets;
  const summaryAfter = options.summaryAfter ?? DEFAULTS.summaryAfter;
  const workCap = options.workCap ?? DEFAULTS.workCap;
  const n = code.length;
  // pcs fit in the exit keys (pc * 2048 + slot < 2^31); EVM code is at most 48 KB
  if (n >= 1 << 20) return { targets: new Map(), dynamic: [], complete: false, work: 0 };
  const values = new Values();
  const exprs = new Exprs();
  const { blocks, blockAt } = effects(an, n, values, exprs);
  // solc's code: about 10 stacks per block
  const stacks = new Stacks(10 * blocks.length);
  /** The value 0: a pc when pc 0 is a JUMPDEST. */
  const zero = n > 0 && isJumpdest(an, 0) ? values.ofPc(0) : ZERO;
  const dynamic = blocks.filter((b) => (b.exit === 'jump' || b.exit === 'jumpi') && !b.staticTarget).map((b) => b.lastPc);

  let work = 0;
  /** The value `k` slots below the top of `s` (0 = top), or -1 when `s` has no such slot. */
  const slotOf = (s: number, k: number): number => {
    for (; k > 0 && stacks.parent[s]! >= 0; k--) s = stacks.parent[s]!;
    work += k;
    if (stacks.parent[s]! >= 0) return stacks.value[s]!;
    if (s === ANY) return UNKNOWN;
    if (s === EMPTY) return -1;
    return values.ofSlot(stacks.rootBlock[s]!, stacks.rootOffset[s]! + k);
  };
  /** `s` without its top `k` slots, or -1 on underflow. */
  const dropOf = (s: number, k: number): number => {
    for (; k > 0 && stacks.parent[s]! >= 0; k--) s = stacks.parent[s]!;
    work += k;
    if (k === 0 || s === ANY) return s;
    if (s === EMPTY) return -1;
    const offset = stacks.rootOffset[s]! + k;
    return offset > STACK_LIMIT ? -1 : stacks.root(stacks.rootBlock[s]!, offset, stacks.rootAssumed[s]);
  };
  /** The top `k` values of `s` into `into` (top first); false on underflow. */
  const readTop = (s: number, k: number, into: number[]): boolean => {
    for (let i = 0; i < k; i++) {
      if (stacks.parent[s]! >= 0) {
        into[i] = stacks.value[s]!;
        s = stacks.parent[s]!;
        continue;
      }
      if (s === EMPTY) return false;
      for (let j = i; j < k; j++) into[j] = s === ANY ? UNKNOWN : values.ofSlot(stacks.rootBlock[s]!, stacks.rootOffset[s]! + j - i);
      break;
    }
    return true;
  };
  /**
   * `s` on a path where value `v` is zero or nonzero: -1 when `v` is known to be the other, `s`
   * with the assumption on its root when `v` is a symbol of its root's block, else `s`.
   */
  const assume = (s: number, v: number, nonzero: boolean): number => {
    const z = values.zeroness(v);
    if (z !== 0) return z === (nonzero ? 2 : 1) ? s : -1;
    const r = stacks.rootOf[s]!;
    if (values.symBlock[v]! < 0 || values.symBlock[v] !== stacks.rootBlock[r]) return s;
    const assumed = withFact(stacks.rootAssumed[r]!, values.symSlot[v]! * 2 + (nonzero ? 1 : 0));
    return assumed < 0 ? -1 : rebase(s, assumed);
  };
  /** Assumption list `list` with `fact` added; -1 when it contradicts the list. */
  const withFact = (list: number, fact: number): number => {
    const facts = stacks.assumptions[list]!;
    if (facts.includes(fact ^ 1)) return -1;
    return facts.includes(fact) ? list : stacks.assume(list, fact);
  };
  /** `s` (rooted at a block's symbolic entry) with the root's assumptions replaced by `assumed`. */
  const rebase = (s: number, assumed: number): number => {
    const r = stacks.rootOf[s]!;
    if (stacks.rootAssumed[r] === assumed) return s;
    const vals = scratch;
    vals.length = 0;
    for (let x = s; x !== r; x = stacks.parent[x]!) vals.push(stacks.value[x]!);
    work += vals.length;
    let out = stacks.root(stacks.rootBlock[r]!, stacks.rootOffset[r]!, assumed);
    for (let i = vals.length - 1; i >= 0; i--) out = stacks.push(out, vals[i]!);
    return out;
  };
  const scratch: number[] = [];
  /** `s` with the slots at `zeros` (from the top, ascending) set to 0. */
  const zeroed = (s: number, zeros: readonly number[]): number => {
    if (zeros.length === 0) return s;
    const vals: number[] = [];
    const depth = zeros[zeros.length - 1]! + 1;
    const base = dropOf(s, depth);
    if (base < 0 || !readTop(s, depth, vals)) return s;
    for (let i = 0; i < zeros.length; i++) vals[zeros[i]!] = zero;
    let out = base;
    for (let k = vals.length - 1; k >= 0; k--) out = stacks.push(out, vals[k]!);
    return out;
  };
  /**
   * The stack `x` (rooted at block e's symbolic entry) for the entry stack `s` of e: e's slots
   * replaced by those of `s`, e's assumptions checked against (or moved onto) `s`. -1 when that
   * path cannot run from `s` (too short, or an assumption contradicted).
   */
  const substitute = (x: number, e: number, s: number): number => {
    const root = stacks.rootOf[x]!;
    let out = dropOf(s, stacks.rootOffset[root]!);
    if (out < 0) return -1;
    // what the path from e's entry assumed about e's slots: checked against s's slots, or moved
    // onto s's root when they are symbols of it
    const facts = stacks.assumptions[stacks.rootAssumed[root]!]!;
    if (facts.length > 0) {
      const sRoot = stacks.rootOf[out]!;
      let assumed = stacks.rootAssumed[sRoot]!;
      for (let i = 0; i < facts.length && assumed >= 0; i++) {
        const fact = facts[i]!;
        const v = slotOf(s, fact >> 1);
        if (v < 0) return -1;
        const z = values.zeroness(v);
        if (z !== 0) {
          if (z !== ((fact & 1) === 1 ? 2 : 1)) return -1;
        } else if (values.symBlock[v]! >= 0 && values.symBlock[v] === stacks.rootBlock[sRoot]) assumed = withFact(assumed, values.symSlot[v]! * 2 + (fact & 1));
      }
      if (assumed < 0) return -1;
      out = rebase(out, assumed);
    }
    const vals = scratch;
    vals.length = 0;
    for (let y = x; y !== root; y = stacks.parent[y]!) vals.push(stacks.value[y]!);
    work += vals.length;
    for (let i = vals.length - 1; i >= 0 && out >= 0; i--) {
      let v = vals[i]!;
      if (values.symBlock[v] === e) v = slotOf(s, values.symSlot[v]!);
      // (a stack rooted at e's entry holds no other block's symbols; unknown if it did)
      else if (values.symBlock[v]! >= 0) v = UNKNOWN;
      out = v < 0 ? -1 : stacks.push(out, v);
    }
    return out >= 0 && stacks.depth[out]! <= STACK_LIMIT ? out : -1;
  };

  // per block: the distinct entry stacks; for a summary also its exits (jumping block, stack, slot)
  const seen = new PairMap(2 * blocks.length); // (block, stack) -> 1
  const entries: Array<number[] | undefined> = new Array(blocks.length);
  const summary = new Uint8Array(blocks.length);
  const exits: Array<number[] | undefined> = new Array(blocks.length);
  const exitKeys = new PairMap(); // (stack, jumping block * 2048 + slot) -> 1
  const queue: number[] = []; // pairs (block, stack)
  /** Exits to take from an entry stack: (jumping block, summary block, exit stack, slot, entry stack). */
  const tasks: number[] = [];
  /** By block: the destinations its final jump was seen to take; null for any. */
  const found: Array<number[] | null | undefined> = new Array(blocks.length);
  let wild = false;

  const enter = (bi: number, s: number): void => {
    if (seen.get(bi, s) >= 0) return;
    seen.set(bi, s, 1);
    const es = (entries[bi] ??= []);
    es.push(s);
    if (summary[bi] === 1) {
      const ex = exits[bi] ?? [];
      work += ex.length;
      for (let i = 0; i < ex.length; i += 3) tasks.push(ex[i]!, bi, ex[i + 1]!, ex[i + 2]!, s);
      return;
    }
    if (es.length <= summaryAfter) {
      queue.push(bi, s);
      return;
    }
    // from now on: the code runs once on the symbolic entry, entries are only recorded
    summary[bi] = 1;
    queue.push(bi, stacks.root(bi, 0));
  };
  /** The final jump of block `jb` goes to `target` with stack `s` (the target popped). */
  const jumpWith = (jb: number, target: number, s: number): void => {
    let got = found[jb];
    if (got === undefined) found[jb] = got = [];
    if (target === ZERO) return; // not a JUMPDEST (else it would be pc 0): the jump halts
    if (target < INTERNED) {
      // any value: any JUMPDEST, with any stack
      found[jb] = null;
      if (!wild) {
        wild = true;
        blocks.forEach((b, bi) => b.start < n && isJumpdest(an, b.start) && enter(bi, ANY));
      }
      return;
    }
    const e = values.symBlock[target]!;
    if (e < 0) {
      const pc = values.pc[target]!;
      if (got !== null && !got.includes(pc)) got.push(pc);
      enter(blockAt[pc]!, s);
      return;
    }
    // an exit of summary block e: once per entry stack of e, now and later
    if (stacks.rootBlock[stacks.rootOf[s]!] !== e) {
      // a symbol of e on a stack not rooted at e's entry: cannot happen (a stack rooted at e's
      // entry holds only e's symbols), but if it did the target is not proven
      jumpWith(jb, UNKNOWN, s);
      return;
    }
    const slot = values.symSlot[target]!;
    if (exitKeys.get(s, jb * 2048 + slot) >= 0) return;
    exitKeys.set(s, jb * 2048 + slot, 1);
    (exits[e] ??= []).push(jb, s, slot);
    const es = entries[e] ?? [];
    work += es.length;
    for (let i = 0; i < es.length; i++) tasks.push(jb, e, s, slot, es[i]!);
  };

  // the block being run: its entry values (top first)
  const vals: number[] = [];
  const evaluate = (x: number): number => {
    switch (exprs.kind[x]) {
      case ENTRY:
        return vals[exprs.a[x]!]!;
      case CONST:
        return exprs.a[x]!;
      case AND: {
        // AND with the mask keeps the other operand
        const p = evaluate(exprs.a[x]!);
        const q = evaluate(exprs.b[x]!);
        return p === MASK ? q : q === MASK ? p : UNKNOWN;
      }
      case ISZERO: {
        const z = values.zeroness(evaluate(exprs.a[x]!));
        return z === 1 ? NONZERO : z === 2 ? zero : UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  };
  const run = (bi: number, s: number): void => {
    const b = blocks[bi]!;
    // the block's stack check at entry: past it the block halts (the known depth is a lower bound)
    if (stacks.depth[s]! > an.blockMaxStack[b.start]!) return;
    work += b.reads + b.outputs.length + 1;
    if (!readTop(s, b.reads, vals)) return; // underflow
    s = dropOf(s, b.consumed);
    if (s < 0) return;
    const outputs = b.outputs;
    for (let i = 0; i < outputs.length; i++) s = stacks.push(s, evaluate(outputs[i]!));
    if (stacks.depth[s]! > STACK_LIMIT) return;
    if (b.exit === 'jump') jumpWith(bi, evaluate(b.target), s);
    else if (b.exit === 'jumpi') {
      // jumps unless the condition is zero, falls through unless it is nonzero; the side where
      // the tested value is zero has it zero in its slots
      const target = evaluate(b.target);
      const known = values.zeroness(evaluate(b.cond));
      const tested = evaluate(b.tested);
      const zeroSide = (): number => {
        const t = assume(s, tested, false);
        return t < 0 ? -1 : zeroed(t, b.testedSlots);
      };
      const taken = known === 1 ? -1 : b.negated ? zeroSide() : assume(s, tested, true);
      const fall = known === 2 ? -1 : b.negated ? assume(s, tested, true) : zeroSide();
      if (taken >= 0) jumpWith(bi, target, taken);
      if (fall >= 0 && b.end < n) enter(blockAt[b.end]!, fall);
    } else if (b.exit === 'fall' && b.end < n) enter(blockAt[b.end]!, s);
  };

  if (blocks.length > 0 && blocks[0]!.start === 0) enter(0, EMPTY);
  let complete = true;
  while (queue.length > 0 || tasks.length > 0) {
    if (work > workCap) {
      complete = false;
      break;
    }
    if (tasks.length > 0) {
      // exit (jumping block jb, stack x, slot k) of summary block e, taken from its entry stack `from`
      const from = tasks.pop()!;
      const k = tasks.pop()!;
      const x = tasks.pop()!;
      const e = tasks.pop()!;
      const jb = tasks.pop()!;
      work++;
      const target = slotOf(from, k);
      const after = substitute(x, e, from);
      if (target >= 0 && after >= 0) jumpWith(jb, target, after);
      continue;
    }
    // last in, first out: a callee's paths finish before its callers' other paths
    const s = queue.pop()!;
    run(queue.pop()!, s);
  }

  const targets = new Map<number, readonly number[] | null>();
  if (complete) {
    for (let bi = 0; bi < blocks.length; bi++) {
      const got = found[bi];
      if (got !== undefined) targets.set(blocks[bi]!.lastPc, got === null || got.length > maxTargets ? null : got.sort((x, y) => x - y));
    }
  }
  return { targets, dynamic, complete, work };
}

function isJumpdest(an: CodeAnalysis, pc: number): boolean {
  return ((an.jumpdests[pc >>> 5]! >>> (pc & 31)) & 1) === 1;
}

/** The live blocks' effects, and block index by start pc. */
function effects(an: CodeAnalysis, n: number, values: Values, exprs: Exprs): { blocks: BlockEffect[]; blockAt: Int32Array } {
  /** Bits of the largest pc. */
  const pcBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const constant = (v: number) => (v < n && isJumpdest(an, v) ? values.ofPc(v) : v === 0 ? ZERO : NONZERO);
  const pushValue = (p: number, op: number): number => {
    if (op === 0x58) return constant(p);
    if (op === 0x5f) return constant(0);
    const width = op - 0x5f;
    let v = 0; // the value while it is small enough to be a pc
    let k = 0;
    for (; k < width && v <= n; k++) v = v * 256 + an.dispatch[p + 1 + k]!;
    if (v <= n) return constant(v);
    // the low 48 bits, exact in a double
    let low = 0;
    for (k = Math.max(0, width - 6); k < width; k++) low = low * 256 + an.dispatch[p + 1 + k]!;
    const lowBits = low % 2 ** pcBits;
    return lowBits === 2 ** pcBits - 1 ? MASK : lowBits !== 0 ? NONZERO : UNKNOWN;
  };
  const blocks: BlockEffect[] = [];
  const blockAt = new Int32Array(n + 1).fill(-1);
  const live = liveBlocks(an, n);
  for (let i = 0; i < live.length; i++) {
    const { start, end } = live[i]!;
    blockAt[start] = blocks.length;
    blocks.push(blockEffect(exprs, an.dispatch, start, end, an.blockMinStack[start]!, pushValue));
  }
  return { blocks, blockAt };
}

export interface JumpTargetSummary {
  /** JUMP / JUMPI whose target is not pushed in their own block. */
  dynamic: number;
  /** Of those: the destinations proven (at most maxTargets). */
  resolved: number;
  /** Of those: reached, destinations not proven or too many. */
  unresolved: number;
  /** Of those: never reached (dead code), when the analysis completed. */
  unreached: number;
}

export function summarizeJumpTargets(jt: JumpTargets): JumpTargetSummary {
  let resolved = 0;
  let unresolved = 0;
  let unreached = 0;
  for (const pc of jt.dynamic) {
    const t = jt.targets.get(pc);
    if (!jt.complete || t === null) unresolved++;
    else if (t === undefined) unreached++;
    else resolved++;
  }
  return { dynamic: jt.dynamic.length, resolved, unresolved, unreached };
}
