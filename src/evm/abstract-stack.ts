/**
 * The abstract values and stacks of the jump-target analysis (jump-targets.ts), interned so that
 * equal values and equal stacks are equal numbers.
 *
 * Values: unknown, MASK, ZERO, NONZERO (below), a JUMPDEST pc, or "slot k (from the top) of the
 * stack at the entry of block E" (a symbol). Stacks are immutable cons lists, hash-consed (a
 * transfer touches only what it pops and pushes), rooted at the exact empty stack, at ANY
 * (unknown depth, unknown slots) or at "the entry stack of block E without its top d slots, on a
 * path that assumed some of E's entry slots zero or nonzero".
 */

export const UNKNOWN = 0;
/**
 * A constant whose low bits are all ones over the width of every pc of the code (0xffffffff,
 * 2^256 - 1, ...): AND with it leaves a pc, and itself, as it is. solc masks internal function
 * pointers so before it jumps to them (`PUSH4 0xffffffff AND JUMP`).
 */
export const MASK = 1;
/** The constant 0 (when pc 0 is no JUMPDEST). */
export const ZERO = 2;
/** A constant with a nonzero bit among those low bits (so AND with MASK keeps it nonzero). */
export const NONZERO = 3;
/** The first id of an interned pc or symbol. */
export const INTERNED = 4;

/** Stack roots: the exact empty stack, and any stack. */
export const EMPTY = 0;
export const ANY = 1;

/** Interned abstract values: pcs and symbols. */
export class Values {
  readonly pc: number[] = [-1, -1, -1, -1];
  readonly symBlock: number[] = [-1, -1, -1, -1];
  readonly symSlot: number[] = [-1, -1, -1, -1];
  private readonly ids = new Map<number, number>();
  private make(key: number, pc: number, block: number, slot: number): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.pc.length;
      this.pc.push(pc);
      this.symBlock.push(block);
      this.symSlot.push(slot);
      this.ids.set(key, id);
    }
    return id;
  }
  ofPc(pc: number): number {
    return this.make(pc, pc, -1, -1);
  }
  /** Slot k (from the top, 0-based, k < 2048) of block E's entry stack. */
  ofSlot(block: number, k: number): number {
    return this.make(-1 - (block * 2048 + k), -1, block, k);
  }
  /** Whether a value is known to be zero (1), known nonzero (2), or neither (0). */
  zeroness(v: number): 0 | 1 | 2 {
    if (v === ZERO || this.pc[v] === 0) return 1;
    return v === NONZERO || v === MASK || this.pc[v]! > 0 ? 2 : 0;
  }
}

/**
 * A map from pairs of int32 to int32, open addressing in typed arrays: the cons cells' lookup
 * runs for every push, and a Map keyed by node * 2^24 + value would box each key (past 2^31).
 */
export class PairMap {
  private a: Int32Array;
  private b: Int32Array;
  private v: Int32Array;
  private size = 0;
  /** Room for about `expected` entries before the first growth. */
  constructor(expected = 512) {
    let capacity = 1024;
    while (capacity < 2 * expected) capacity *= 2;
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
    this.v = new Int32Array(capacity).fill(-1);
  }
  get(x: number, y: number): number {
    const mask = this.v.length - 1;
    // the hash, inline (a call per lookup costs in the interpreter, where this mostly runs)
    for (let i = (Math.imul(x ^ Math.imul(y, 0x9e3779b1), 0x85ebca6b) >>> 7) & mask; ; i = (i + 1) & mask) {
      if (this.v[i] === -1) return -1;
      if (this.a[i] === x && this.b[i] === y) return this.v[i]!;
    }
  }
  set(x: number, y: number, value: number): void {
    if (2 * (this.size + 1) > this.v.length) this.grow();
    const mask = this.v.length - 1;
    let i = (Math.imul(x ^ Math.imul(y, 0x9e3779b1), 0x85ebca6b) >>> 7) & mask;
    while (this.v[i] !== -1) i = (i + 1) & mask;
    this.a[i] = x;
    this.b[i] = y;
    this.v[i] = value;
    this.size++;
  }
  private grow(): void {
    const { a, b, v } = this;
    this.a = new Int32Array(a.length * 2);
    this.b = new Int32Array(a.length * 2);
    this.v = new Int32Array(a.length * 2).fill(-1);
    this.size = 0;
    for (let i = 0; i < v.length; i++) if (v[i] !== -1) this.set(a[i]!, b[i]!, v[i]!);
  }
}

/** Hash-consed stacks: roots (parent -1) and cons cells (parent, top value). */
export class Stacks {
  // columns by stack id, in typed arrays grown by doubling (cheaper to run and to optimize than
  // pushes onto plain arrays)
  parent: Int32Array;
  value: Int32Array;
  /** Known slots above the root. */
  depth: Int32Array;
  rootOf: Int32Array;
  /**
   * For a symbolic root: its block, how many of that block's entry slots are gone, and what the
   * path since the entry assumed about them (`assumptions` index: entries slot * 2 + 1 for
   * nonzero, slot * 2 for zero, ascending).
   */
  rootBlock: Int32Array;
  rootOffset: Int32Array;
  rootAssumed: Int32Array;
  readonly assumptions: Array<readonly number[]> = [[]];
  private count = 0;
  private readonly ids: PairMap;
  private readonly rootIds = new PairMap();
  private readonly assumptionIds = new Map<string, number>([['', 0]]);
  /** (assumption list, fact) -> the list with the fact added. */
  private readonly withFact = new PairMap();
  /** `expected`: about how many stacks there will be. */
  constructor(expected = 1024) {
    this.ids = new PairMap(expected);
    const capacity = Math.max(1024, expected);
    this.parent = new Int32Array(capacity);
    this.value = new Int32Array(capacity);
    this.depth = new Int32Array(capacity);
    this.rootOf = new Int32Array(capacity);
    this.rootBlock = new Int32Array(capacity);
    this.rootOffset = new Int32Array(capacity);
    this.rootAssumed = new Int32Array(capacity);
    this.add(-1, UNKNOWN, -1, -1, 0, 0); // EMPTY
    this.add(-1, UNKNOWN, -1, -1, 0, 0); // ANY
  }
  private add(parent: number, v: number, root: number, block: number, offset: number, assumed: number): number {
    const id = this.count++;
    if (id === this.parent.length) this.grow();
    this.parent[id] = parent;
    this.value[id] = v;
    this.depth[id] = parent < 0 ? 0 : this.depth[parent]! + 1;
    this.rootOf[id] = root < 0 ? id : root;
    this.rootBlock[id] = block;
    this.rootOffset[id] = offset;
    this.rootAssumed[id] = assumed;
    return id;
  }
  private grow(): void {
    const twice = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.parent = twice(this.parent);
    this.value = twice(this.value);
    this.depth = twice(this.depth);
    this.rootOf = twice(this.rootOf);
    this.rootBlock = twice(this.rootBlock);
    this.rootOffset = twice(this.rootOffset);
    this.rootAssumed = twice(this.rootAssumed);
  }
  get size(): number {
    return this.count;
  }
  push(node: number, v: number): number {
    let id = this.ids.get(node, v);
    if (id < 0) this.ids.set(node, v, (id = this.add(node, v, this.rootOf[node]!, -1, 0, 0)));
    return id;
  }
  /** The entry stack of block E without its top `offset` slots, on a path that assumed `assumed`. */
  root(block: number, offset: number, assumed = 0): number {
    // offsets stay below 2048, blocks below 2^20
    let id = this.rootIds.get(block * 2048 + offset, assumed);
    if (id < 0) this.rootIds.set(block * 2048 + offset, assumed, (id = this.add(-1, UNKNOWN, -1, block, offset, assumed)));
    return id;
  }
  /** The assumption list `list` (an id) with `fact` added. */
  assume(list: number, fact: number): number {
    let id = this.withFact.get(list, fact);
    if (id >= 0) return id;
    const facts = [...this.assumptions[list]!, fact].sort((a, b) => a - b);
    const key = facts.join(',');
    id = this.assumptionIds.get(key) ?? -1;
    if (id < 0) {
      id = this.assumptions.length;
      this.assumptions.push(facts);
      this.assumptionIds.set(key, id);
    }
    this.withFact.set(list, fact, id);
    return id;
  }
}
