/**
 * The fuzz-case generator: random but mostly well-formed bytecode, and mutations of it.
 *
 * A program is a sequence of steps. A step picks an opcode the fork knows (now and then one it
 * does not, or a raw byte) and, most of the time, first pushes arguments chosen for each input's
 * role: memory offsets and sizes small (rarely huge), storage keys from a few slots, addresses from
 * the accounts of the pre-state and the precompiles, jump targets at real JUMPDESTs (or bogus),
 * values from the edge set 0, 1, 2, 2^255, 2^256-1, ... Otherwise it uses what is on the stack,
 * so results flow into later instructions; "observe" steps store the top of the stack in memory or
 * storage so computed values show in the outcome. Compound steps build a call (CALL, CALLCODE,
 * DELEGATECALL, STATICCALL into the other accounts, which run generated code of their own, or into
 * the fork's precompiles 1-9) or a create (initcode placed in memory that deploys runtime code, reverts or
 * returns oversized or 0xEF code). Precompile steps build their input first: ECRECOVER signatures,
 * MODEXP lengths, bn254 points (valid multiples of the generators, infinity, pairings that hold,
 * corrupted or off-subgroup points, odd lengths) and BLAKE2F inputs (small round counts, bad flags
 * and lengths), called with about the gas they cost. A quarter of the programs are then mutated: bytes replaced,
 * inserted, deleted, duplicated, or spliced in from earlier programs.
 */
import { delegationCode } from '../delegation.js';
import { bn254 } from '@noble/curves/bn254.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { type Address, createAddress } from '../address.js';
import { type Fork, isForkAtLeast } from '../fork.js';
import { OPCODES } from '../opcodes.js';
import type { FuzzAccount, FuzzBlock, FuzzCase } from './case.js';
import { Rng } from './rng.js';

/** The forks a default run cycles through. */
export const FUZZ_FORKS: readonly Fork[] = ['homestead', 'byzantium', 'istanbul', 'berlin', 'london', 'shanghai', 'cancun', 'prague'];

export const FUZZ_ADDR = {
  self: ('0x' + 'aa'.repeat(20)) as Address,
  b: ('0x' + 'bb'.repeat(20)) as Address,
  d: ('0x' + 'dd'.repeat(20)) as Address,
  caller: ('0x' + 'cc'.repeat(20)) as Address,
  /** Exists in the pre-state with nothing in it (EIP-161 empty) in half of the cases. */
  empty: ('0x' + 'ee'.repeat(20)) as Address,
  /** Never in the pre-state. */
  missing: ('0x' + '12'.repeat(20)) as Address,
};

const M256 = (1n << 256n) - 1n;
const SECP_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const SECRET_KEY = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const EDGES: readonly bigint[] = [0n, 1n, 2n, 3n, 31n, 32n, 255n, 256n, 1n << 128n, (1n << 255n) - 1n, 1n << 255n, M256 - 1n, M256, (1n << 160n) - 1n, 1n << 64n];

/** The highest precompile address the fork has that our core implements (0x0a-0x11 are not yet). */
function lastPrecompile(fork: Fork): number {
  return isForkAtLeast(fork, 'istanbul') ? 9 : isForkAtLeast(fork, 'byzantium') ? 8 : 4;
}

type Role = 'val' | 'off' | 'len' | 'key' | 'addr' | 'gas' | 'cvalue' | 'jump' | 'cond' | 'idx' | 'shift' | 'exp' | 'copyoff' | 'blocknum' | 'salt';

/** Input roles, top of the stack first. */
const ROLES: Record<string, Role[]> = {
  EXP: ['val', 'exp'],
  SIGNEXTEND: ['idx', 'val'],
  BYTE: ['idx', 'val'],
  SHL: ['shift', 'val'],
  SHR: ['shift', 'val'],
  SAR: ['shift', 'val'],
  SHA3: ['off', 'len'],
  BALANCE: ['addr'],
  EXTCODESIZE: ['addr'],
  EXTCODEHASH: ['addr'],
  CALLDATALOAD: ['copyoff'],
  CALLDATACOPY: ['off', 'copyoff', 'len'],
  CODECOPY: ['off', 'copyoff', 'len'],
  RETURNDATACOPY: ['off', 'copyoff', 'len'],
  EXTCODECOPY: ['addr', 'off', 'copyoff', 'len'],
  BLOCKHASH: ['blocknum'],
  BLOBHASH: ['idx'],
  MLOAD: ['off'],
  MSTORE: ['off', 'val'],
  MSTORE8: ['off', 'val'],
  SLOAD: ['key'],
  SSTORE: ['key', 'val'],
  TLOAD: ['key'],
  TSTORE: ['key', 'val'],
  JUMP: ['jump'],
  JUMPI: ['jump', 'cond'],
  MCOPY: ['off', 'off', 'len'],
  LOG0: ['off', 'len'],
  LOG1: ['off', 'len', 'val'],
  LOG2: ['off', 'len', 'val', 'val'],
  LOG3: ['off', 'len', 'val', 'val', 'val'],
  LOG4: ['off', 'len', 'val', 'val', 'val', 'val'],
  CREATE: ['cvalue', 'off', 'len'],
  CREATE2: ['cvalue', 'off', 'len', 'salt'],
  CALL: ['gas', 'addr', 'cvalue', 'off', 'len', 'off', 'len'],
  CALLCODE: ['gas', 'addr', 'cvalue', 'off', 'len', 'off', 'len'],
  DELEGATECALL: ['gas', 'addr', 'off', 'len', 'off', 'len'],
  STATICCALL: ['gas', 'addr', 'off', 'len', 'off', 'len'],
  RETURN: ['off', 'len'],
  REVERT: ['off', 'len'],
  SELFDESTRUCT: ['addr'],
};

/** Relative weight of an opcode family. */
function weightOf(name: string): number {
  if (/^(PUSH|DUP|SWAP)\d+$/.test(name)) return name.startsWith('PUSH') ? 0.1 : 0.3;
  if (/^LOG/.test(name)) return 0.8;
  switch (name) {
    case 'STOP':
    case 'RETURN':
    case 'REVERT':
    case 'SELFDESTRUCT':
      return 0.15;
    case 'INVALID':
      return 0.05;
    case 'SSTORE':
    case 'SLOAD':
    case 'MSTORE':
    case 'MLOAD':
      return 3;
    case 'JUMP':
    case 'JUMPI':
      return 1.5;
    case 'CALL':
    case 'CALLCODE':
    case 'DELEGATECALL':
    case 'STATICCALL':
      return 1.2;
    case 'CREATE':
    case 'CREATE2':
      return 0.2;
    case 'JUMPDEST':
      return 0.3;
    default:
      return 1;
  }
}

/** One step of a program before layout: jump targets are resolved when the labels have byte offsets. */
type Item = { op: number } | { push: bigint; width: number } | { label: number } | { ref: number } | { raw: Uint8Array };

export interface GenOptions {
  /** Number of steps (default 10..60). */
  steps?: number;
  /** Nested calls and creates allowed (false for the code of the other accounts at depth 2). */
  calls?: boolean;
}

export class FuzzGenerator {
  /** Earlier programs, for splicing. */
  private readonly corpus: Uint8Array[] = [];

  constructor(readonly rng: Rng) {}

  /** A whole case on `fork`: environment, pre-state with generated code, the program at `self`. */
  nextCase(fork: Fork): FuzzCase {
    const r = this.rng;
    const block = this.block(fork);
    const caller = FUZZ_ADDR.caller;
    const callerBalance = r.weighted([
      [3, 10n ** 18n],
      [1, 0n],
      [1, BigInt(r.range(1, 100000))],
    ] as const);
    const value = callerBalance > 0n && r.chance(0.4) ? r.weighted([[2, 1n], [2, BigInt(r.range(2, 1000))], [1, callerBalance]] as const) : 0n;
    const pre = new Map<Address, FuzzAccount>();
    const ctx: Ctx = { fork, block, hazard: r.weighted([[5, 0], [3, 1], [2, 3]] as const) };
    const main = this.program(ctx, { calls: true });
    const selfNonce = BigInt(r.pick([0, 1, 1, 7]));
    pre.set(FUZZ_ADDR.self, { balance: this.balance(), nonce: selfNonce, code: ctx.hazard > 0 ? this.maybeMutate(main, fork) : main, storage: this.storage() });
    if (r.chance(0.2)) {
      // the address the program's first CREATE makes already holds ether (or, rarely, is taken: a collision)
      const taken = r.chance(0.25);
      pre.set(createAddress(FUZZ_ADDR.self, selfNonce), { balance: BigInt(r.range(1, 1000)), nonce: taken && r.chance(0.5) ? 1n : 0n, code: taken ? hex('00') : new Uint8Array(0), storage: new Map() });
    }
    pre.set(caller, { balance: callerBalance, nonce: BigInt(r.pick([0, 1, 3])), code: r.chance(0.15) ? this.program(ctx, { steps: r.range(3, 15), calls: false }) : new Uint8Array(0), storage: new Map() });
    for (const a of [FUZZ_ADDR.b, FUZZ_ADDR.d]) {
      if (r.chance(0.1)) continue;
      pre.set(a, { balance: this.balance(), nonce: BigInt(r.pick([0, 1])), code: this.otherCode({ ...ctx, hazard: r.chance(0.8) ? 0 : ctx.hazard }), storage: this.storage() });
    }
    if (r.chance(0.5)) pre.set(FUZZ_ADDR.empty, { balance: 0n, nonce: 0n, code: new Uint8Array(0), storage: new Map() });
    // a precompile's address as an existing account: empty (EIP-161 deletes it once touched) or with ether
    if (r.chance(0.15)) pre.set(`0x${r.range(1, lastPrecompile(fork)).toString(16).padStart(40, '0')}`, { balance: r.chance(0.7) ? 0n : 1n, nonce: 0n, code: new Uint8Array(0), storage: new Map() });
    this.delegations(pre, fork);
    const coinbase = r.weighted([[3, '0x' + '00'.repeat(20)], [1, FUZZ_ADDR.b], [1, FUZZ_ADDR.missing], [1, FUZZ_ADDR.self]] as const);
    block.coinbase = coinbase;
    const calldata = r.weighted([
      [2, new Uint8Array(0)],
      [3, r.bytes(r.range(1, 40))],
      [2, wordBytes([this.value(ctx, 'val'), this.value(ctx, 'val')])],
    ] as const);
    this.corpus.push(main);
    if (this.corpus.length > 64) this.corpus.shift();
    return {
      fork,
      caller,
      address: FUZZ_ADDR.self,
      origin: r.chance(0.85) ? caller : FUZZ_ADDR.b,
      value,
      gasLimit: r.weighted([[1, r.range(1000, 30000)], [2, r.range(30000, 200000)], [4, r.range(200000, 1000000)], [1, r.range(1000000, 5000000)]] as const),
      gasPrice: BigInt(r.pick([0, 1, 7, 1000000000])),
      calldata,
      block,
      blobHashes: isForkAtLeast(fork, 'cancun') && r.chance(0.5) ? [0x01n << 248n | r.bits(200), 0x01n << 248n | r.bits(200)] : [],
      preState: pre,
      ...(isForkAtLeast(fork, 'berlin') && r.chance(0.2) ? { accessList: this.accessList() } : {}),
    };
  }

  private accessList(): Array<{ address: Address; storageKeys: bigint[] }> {
    const r = this.rng;
    const n = r.range(1, 3);
    const out: Array<{ address: Address; storageKeys: bigint[] }> = [];
    for (let i = 0; i < n; i++) {
      const address = r.pick([FUZZ_ADDR.self, FUZZ_ADDR.b, FUZZ_ADDR.d, FUZZ_ADDR.missing, FUZZ_ADDR.empty]);
      out.push({ address, storageKeys: Array.from({ length: r.range(0, 3) }, () => BigInt(r.range(0, 6))) });
    }
    return out;
  }

  private block(fork: Fork): FuzzBlock {
    const r = this.rng;
    const number = BigInt(r.pick([0, 1, 256, 257, 1000, 15_537_394, 20_000_000]));
    return {
      number,
      timestamp: BigInt(r.pick([0, 1, 1_700_000_000])),
      coinbase: '0x' + '00'.repeat(20),
      gasLimit: BigInt(r.pick([30_000_000, 8_000_000, 1])),
      difficulty: isForkAtLeast(fork, 'paris') ? 0n : BigInt(r.pick([0, 1, 131072, 17_000_000_000_000])),
      prevRandao: r.word(),
      baseFee: isForkAtLeast(fork, 'london') ? BigInt(r.pick([0, 7, 1_000_000_000])) : 0n,
      chainId: r.chance(0.9) ? 1n : 5n,
      blobBaseFee: isForkAtLeast(fork, 'cancun') ? BigInt(r.pick([1, 2, 1000])) : 1n,
    };
  }

  private balance(): bigint {
    return this.rng.weighted([[2, 0n], [2, 1000n], [2, 10n ** 18n], [1, BigInt(this.rng.range(1, 50))]] as const);
  }

  private storage(): Map<bigint, bigint> {
    const r = this.rng;
    const m = new Map<bigint, bigint>();
    const n = r.weighted([[2, 0], [3, 1], [2, 3]] as const);
    for (let i = 0; i < n; i++) m.set(BigInt(r.range(0, 4)), r.chance(0.5) ? BigInt(r.range(1, 9)) : r.pick(EDGES.slice(1)));
    return m;
  }

  /** Code of the other accounts: a generated program, or one of a few patterns. */
  private otherCode(ctx: Ctx): Uint8Array {
    const r = this.rng;
    const kind = r.weighted([[5, 'gen'], [1, 'empty'], [1, 'return'], [1, 'revert'], [1, 'selfdestruct'], [1, 'reenter']] as const);
    switch (kind) {
      case 'empty':
        return new Uint8Array(0);
      case 'return': // store CALLVALUE and CALLDATALOAD(0) in slot 1, return 64 bytes of memory
        return hex('346001556000356000526040' + '6000f3');
      case 'revert': // REVERT(0, 32) with a word in memory (halts before Byzantium)
        return hex('602a60005260206000fd');
      case 'selfdestruct': // SELFDESTRUCT(CALLER)
        return hex('33ff');
      case 'reenter': // CALL back into the caller with all gas, then SSTORE the result at slot 9
        return hex('6000600060006000600033' + '5a' + 'f1' + '600955' + '00');
      default:
        return this.program(ctx, { steps: r.range(3, 25), calls: r.chance(0.4) });
    }
  }

  /** A program: steps laid out with jump targets resolved. */
  program(ctx: Ctx, opts: GenOptions = {}): Uint8Array {
    const r = this.rng;
    const items: Item[] = [];
    const local: LocalCtx = { ...ctx, depth: 0, calls: opts.calls ?? true, items, nextLabel: 0, pending: [], placed: [], inLoop: false };
    const steps = opts.steps ?? r.range(5, 45);
    for (let i = 0; i < steps; i++) {
      this.step(local);
      if (local.pending.length > 0 && r.chance(0.3)) this.placeLabel(local);
    }
    while (local.pending.length > 0) this.placeLabel(local);
    this.ending(local);
    return layout(items);
  }

  /** A JUMPDEST for a pending forward jump. The tracked depth becomes the smaller of the two paths'. */
  private placeLabel(c: LocalCtx): void {
    const p = c.pending.splice(this.rng.int(c.pending.length), 1)[0]!;
    c.items.push({ label: p.id });
    c.placed.push(p.id);
    c.depth = Math.min(c.depth, p.depth);
  }

  private step(c: LocalCtx): void {
    const r = this.rng;
    const kind = r.weighted([
      [10, 'op'],
      [2, 'observe'],
      [c.calls ? 1.2 : 0, 'call'],
      [c.calls ? 0.4 : 0, 'create'],
      [c.inLoop ? 0 : 0.3, 'loop'],
      [c.calls ? 0.25 : 0, 'ecrecover'],
      [c.calls && isForkAtLeast(c.fork, 'byzantium') ? 0.25 : 0, 'modexp'],
      [c.calls && isForkAtLeast(c.fork, 'byzantium') ? 0.3 : 0, 'bn254'],
      [c.calls && isForkAtLeast(c.fork, 'istanbul') ? 0.2 : 0, 'blake2f'],
      [0.2, 'jumpdest'],
      [0.15 * c.hazard, 'raw'],
      [0.15 * c.hazard, 'foreign'],
    ] as const);
    switch (kind) {
      case 'observe': {
        if (c.depth === 0 || c.inLoop) this.push(c, this.value(c, 'val'));
        if (r.chance(0.5)) {
          this.push(c, BigInt(32 * r.range(0, 6)));
          this.op(c, 'MSTORE');
        } else {
          this.push(c, BigInt(r.range(0, 6)));
          this.op(c, 'SSTORE');
        }
        return;
      }
      case 'call':
        return this.call(c);
      case 'create':
        return this.create(c);
      case 'loop':
        return this.loop(c);
      case 'ecrecover':
        return this.ecrecover(c);
      case 'modexp':
        return this.modexp(c);
      case 'bn254':
        return this.bn254(c);
      case 'blake2f':
        return this.blake2f(c);
      case 'jumpdest': {
        // a JUMPDEST that no generated jump targets (only bogus or mutated ones may)
        const id = c.nextLabel++;
        c.items.push({ label: id });
        c.placed.push(id);
        return;
      }
      case 'raw':
        c.items.push({ raw: r.bytes(r.range(1, 3)) });
        return;
      case 'foreign': {
        // an opcode the fork may not know (then it must halt)
        const defs = OPCODES.filter((d): d is NonNullable<typeof d> => !!d && !isForkAtLeast(c.fork, d.since));
        if (defs.length === 0) return this.step(c);
        this.withArgs(c, r.pick(defs).name);
        return;
      }
      default: {
        const name = r.weighted(opsOf(c.fork));
        // no jumps out of a loop body (its end must be reached for the counter to count)
        this.withArgs(c, c.inLoop && (name === 'JUMP' || name === 'JUMPI') ? 'JUMPDEST' : name);
      }
    }
  }

  /** Push arguments for the opcode's inputs (usually), then the opcode. */
  private withArgs(c: LocalCtx, name: string): void {
    const r = this.rng;
    const d = OPCODES.find((x) => x?.name === name)!;
    if (/^PUSH\d+$/.test(name)) {
      // a PUSH with its immediate bytes (a bare PUSH byte would swallow the next instructions)
      const width = Number(name.slice(4));
      c.items.push({ push: r.bits(8 * width), width });
      c.depth++;
      return;
    }
    const fresh = c.inLoop || r.chance(c.hazard > 0 ? 0.85 : 0.95) || c.depth < d.inputs;
    if (fresh && d.inputs > 0) {
      const roles = ROLES[name] ?? new Array<Role>(d.inputs).fill('val');
      if (name === 'RETURNDATACOPY' && r.chance(0.8)) {
        // copy what is there: RETURNDATACOPY(dest, 0, RETURNDATASIZE)
        this.op(c, 'RETURNDATASIZE');
        this.push(c, 0n);
        this.push(c, this.value(c, 'off'));
        return this.op(c, name);
      }
      // the condition is pushed before the target: account for it in the pending depth
      c.jumpInputs = d.inputs;
      if (/^(DUP|SWAP)/.test(name)) {
        const isDup = name.startsWith('DUP');
        const n = Number(name.slice(isDup ? 3 : 4));
        const room = isDup ? c.depth : c.depth - 1;
        if (c.inLoop && !isDup) {
          // swap among fresh values only, never the loop counter
          for (let i = 0; i <= n; i++) this.push(c, this.value(c, 'val'));
          return this.op(c, name);
        }
        if (room < n && room >= 1 && r.chance(0.9)) return this.op(c, `${isDup ? 'DUP' : 'SWAP'}${r.range(1, room)}`);
        while (c.depth < d.inputs && (c.hazard === 0 || r.chance(0.98))) this.push(c, this.value(c, 'val'));
      } else {
        for (let i = roles.length - 1; i >= 0; i--) this.arg(c, roles[i]!);
      }
    }
    this.op(c, name);
  }

  private arg(c: LocalCtx, role: Role): void {
    const r = this.rng;
    if (role === 'jump' && !c.inLoop && r.chance(c.hazard > 0 ? 0.8 : 0.97)) {
      if (c.hazard > 0 && c.placed.length > 0 && r.chance(0.15)) {
        // backward: usually a loop that runs until the gas is gone
        c.items.push({ ref: r.pick(c.placed) });
      } else {
        const id = c.nextLabel++;
        // the depth after the JUMP/JUMPI that consumes this target (and a condition)
        c.pending.push({ id, depth: Math.max(0, c.depth - (c.jumpInputs ?? 1)) });
        c.items.push({ ref: id });
      }
      c.depth++;
      return;
    }
    if (role === 'gas' && r.chance(0.15)) return this.op(c, 'GAS');
    if (role === 'addr' && r.chance(0.15)) return this.op(c, r.pick(['ADDRESS', 'CALLER', 'ORIGIN', 'COINBASE']));
    this.push(c, this.value(c, role));
  }

  value(c: Ctx, role: Role): bigint {
    const r = this.rng;
    switch (role) {
      case 'off':
        return r.weighted([[4, BigInt(32 * r.range(0, 4))], [4, BigInt(r.range(0, 200))], [0.02 + 0.1 * c.hazard, r.pick([1n << 32n, M256, 1n << 20n, 30000n])]] as const);
      case 'len':
        return r.weighted([[2, 0n], [2, 32n], [4, BigInt(r.range(0, 100))], [0.02 + 0.1 * c.hazard, r.pick([M256, 1n << 32n, 5000n])]] as const);
      case 'copyoff':
        return r.weighted([[4, BigInt(r.range(0, 40))], [0.5, r.pick([M256, 1n << 64n, 1000n])]] as const);
      case 'key':
        return r.weighted([[8, BigInt(r.range(0, 6))], [1, r.pick(EDGES)]] as const);
      case 'addr': {
        const pcs = lastPrecompile(c.fork);
        return r.weighted([
          [3, BigInt(FUZZ_ADDR.b)],
          [3, BigInt(FUZZ_ADDR.d)],
          [2, BigInt(FUZZ_ADDR.self)],
          [1, BigInt(FUZZ_ADDR.caller)],
          [1, BigInt(FUZZ_ADDR.empty)],
          [1, BigInt(FUZZ_ADDR.missing)],
          [1.5, BigInt(r.range(1, pcs))],
          [0.5, BigInt(FUZZ_ADDR.b) | (r.word() << 160n) & M256], // dirty high bits
          [0.3, 0n],
        ] as const);
      }
      case 'gas':
        // before EIP-150 a call must be able to pay the gas it asks for: mostly affordable amounts
        if (!isForkAtLeast(c.fork, 'tangerineWhistle')) return r.weighted([[6, BigInt(r.range(0, 30000))], [1, 2300n], [0.3, M256], [1, 0n]] as const);
        return r.weighted([[4, BigInt(r.range(0, 30000))], [1, 2300n], [0.5, M256], [0.5, 1_000_000n], [1, 0n]] as const);
      case 'cvalue':
        return r.weighted([[6, 0n], [2, 1n], [1, BigInt(r.range(2, 2000))], [1, 10n ** 18n], [0.5, M256]] as const);
      case 'cond':
        return r.weighted([[2, 0n], [2, 1n], [1, this.value(c, 'val')]] as const);
      case 'idx':
        return r.weighted([[5, BigInt(r.range(0, 33))], [1, r.pick(EDGES)]] as const);
      case 'shift':
        return r.weighted([[4, BigInt(r.range(0, 260))], [1, r.pick(EDGES)]] as const);
      case 'exp':
        return r.weighted([[3, BigInt(r.range(0, 5))], [1, r.pick(EDGES)], [1, r.word()], [1, r.bits(16)]] as const);
      case 'blocknum': {
        const n = c.block.number;
        return r.pick([n, n - 1n, n - 256n, n - 257n, n + 1n, 0n, M256].map((v) => v & M256));
      }
      case 'salt':
        return r.chance(0.5) ? BigInt(r.range(0, 3)) : r.word();
      case 'jump':
        return r.weighted([[3, BigInt(r.range(0, 200))], [1, r.pick(EDGES)]] as const);
      default:
        return r.weighted([[4, r.pick(EDGES)], [3, BigInt(r.range(0, 1000))], [2, r.word()], [2, r.bits(r.range(8, 72))], [1, M256 - BigInt(r.range(0, 100))]] as const);
    }
  }

  private push(c: LocalCtx, v: bigint): void {
    const r = this.rng;
    const minWidth = v === 0n ? 0 : Math.ceil(v.toString(16).length / 2);
    let width = minWidth;
    if (width === 0) width = isForkAtLeast(c.fork, 'shanghai') && r.chance(0.5) ? 0 : 1;
    else if (r.chance(0.1)) width = r.range(width, 32);
    c.items.push({ push: v, width });
    c.depth++;
  }

  private op(c: LocalCtx, name: string): void {
    const d = OPCODES.find((x) => x?.name === name)!;
    c.items.push({ op: d.code });
    c.depth = Math.max(0, c.depth - d.inputs) + d.outputs;
  }

  /** A call into another account or a precompile, then sometimes a look at its return data. */
  private call(c: LocalCtx): void {
    const r = this.rng;
    const kinds = ['CALL', 'CALLCODE'];
    if (isForkAtLeast(c.fork, 'homestead')) kinds.push('DELEGATECALL');
    if (isForkAtLeast(c.fork, 'byzantium')) kinds.push('STATICCALL');
    const kind = r.pick(kinds);
    if (r.chance(0.3)) {
      // some input for the callee / precompile
      this.push(c, this.value(c, 'val'));
      this.push(c, BigInt(r.range(0, 3) * 32));
      this.op(c, 'MSTORE');
    }
    if (r.chance(0.25)) {
      // a precompile with about the gas it needs, or less: its out-of-gas failure
      const roles = ROLES[kind]!;
      for (let i = roles.length - 1; i >= 2; i--) this.arg(c, roles[i]!);
      this.push(c, BigInt(r.range(1, lastPrecompile(c.fork))));
      this.push(c, BigInt(r.pick([0, 1, 12, 15, 59, 60, 150, 500, 599, 600, 720, 2999, 3000, 6000, 40000, 45000, 100000])));
      this.op(c, kind);
    } else this.withArgs(c, kind);
    if (isForkAtLeast(c.fork, 'byzantium') && r.chance(0.4)) {
      if (r.chance(0.5)) this.op(c, 'RETURNDATASIZE');
      else this.withArgs(c, 'RETURNDATACOPY');
    }
  }

  /** A signature in memory (valid, high-s, bad v, r = 0 or s >= n), ECRECOVER of it, the result stored in slot 7. */
  private ecrecover(c: LocalCtx): void {
    const r = this.rng;
    const hash = r.bytes(32);
    const sig = secp256k1.sign(hash, SECRET_KEY, { prehash: false, format: 'recovered' });
    let v = 27n + BigInt(sig[0]!);
    let rr = bytesToBig(sig.subarray(1, 33));
    let ss = bytesToBig(sig.subarray(33, 65));
    switch (r.weighted([[5, 'valid'], [2, 'high-s'], [1, 'bad-v'], [1, 'r0'], [1, 's>=n']] as const)) {
      case 'high-s': // the precompile takes any s below n (no EIP-2 low-s rule)
        ss = SECP_N - ss;
        v = v === 27n ? 28n : 27n;
        break;
      case 'bad-v':
        v = r.pick([0n, 1n, 29n, 27n + 256n]);
        break;
      case 'r0':
        rr = 0n;
        break;
      case 's>=n':
        ss = SECP_N + BigInt(r.range(0, 3));
        break;
      default:
    }
    const words = [bytesToBig(hash), v, rr, ss];
    words.forEach((w, i) => {
      c.items.push({ push: w, width: 32 });
      c.depth++;
      this.push(c, BigInt(32 * i));
      this.op(c, 'MSTORE');
    });
    // STATICCALL / CALL(gas, 1, [value,] 0, 128, 128, 32)
    const useStatic = isForkAtLeast(c.fork, 'byzantium') && r.chance(0.5);
    for (const v2 of [32n, 128n, 128n, 0n]) this.push(c, v2);
    if (!useStatic) this.push(c, 0n);
    this.push(c, 1n);
    this.push(c, BigInt(r.pick([3000, 2999, 5000, 100000])));
    this.op(c, useStatic ? 'STATICCALL' : 'CALL');
    this.push(c, 128n);
    this.op(c, 'MLOAD');
    this.push(c, 7n);
    this.op(c, 'SSTORE');
  }

  /** MODEXP input in memory (small lengths, or an empty base and modulus with a huge exponent length), the call, the result's first word stored in slot 8. */
  private modexp(c: LocalCtx): void {
    const r = this.rng;
    const len = () => BigInt(r.weighted([[1, 0], [1, 1], [3, r.range(1, 40)], [1, 32], [0.5, r.range(33, 80)]] as const));
    let [bl, el, ml] = [len(), len(), len()];
    if (r.chance(0.15)) [bl, el, ml] = [0n, r.pick([33n, 1000n, 1n << 60n, M256]), 0n];
    const body = r.bytes(Math.min(Number(bl + (el < 200n ? el : 40n) + ml), 200));
    const words: bigint[] = [bl, el, ml];
    for (let i = 0; i < body.length; i += 32) {
      const w = new Uint8Array(32);
      w.set(body.subarray(i, i + 32));
      words.push(bytesToBig(w));
    }
    words.forEach((w, i) => {
      c.items.push({ push: w, width: 32 });
      c.depth++;
      this.push(c, BigInt(32 * i));
      this.op(c, 'MSTORE');
    });
    const inLen = 32 * words.length - (r.chance(0.3) ? r.range(0, 31) : 0);
    // STATICCALL(gas, 5, 0, inLen, 0x400, 64)
    for (const v of [64n, 0x400n, BigInt(inLen), 0n]) this.push(c, v);
    this.push(c, 5n);
    this.push(c, BigInt(r.pick([200, 1000, 30000, 300000])));
    this.op(c, 'STATICCALL');
    this.push(c, 0x400n);
    this.op(c, 'MLOAD');
    this.push(c, 8n);
    this.op(c, 'SSTORE');
  }

  /** Write `input` to memory at 0 (whole words: the bytes past it are zeros), then call precompile `address` on it. */
  private callPrecompile(c: LocalCtx, address: number, input: Uint8Array, cost: number): void {
    const r = this.rng;
    for (let i = 0; i < input.length; i += 32) {
      const w = new Uint8Array(32);
      w.set(input.subarray(i, i + 32));
      c.items.push({ push: bytesToBig(w), width: 32 });
      c.depth++;
      this.push(c, BigInt(i));
      this.op(c, 'MSTORE');
    }
    // STATICCALL / CALL(gas, address, [value,] 0, len, 0x400, 64)
    const useStatic = r.chance(0.5);
    for (const v of [64n, 0x400n, BigInt(input.length), 0n]) this.push(c, v);
    if (!useStatic) this.push(c, r.chance(0.9) ? 0n : 1n);
    this.push(c, BigInt(address));
    const gas = r.weighted([[4, 'price'], [1, 'short'], [2, 'more'], [2, 'all']] as const);
    if (gas === 'all') this.op(c, 'GAS');
    else this.push(c, BigInt(gas === 'price' ? cost : gas === 'short' ? Math.max(cost - 1, 0) : cost + r.range(1, 5000)));
    this.op(c, useStatic ? 'STATICCALL' : 'CALL');
    // the success flag and the output's two words in storage
    this.push(c, 10n);
    this.op(c, 'SSTORE');
    for (const [off, slot] of [[0x400n, 11n], [0x420n, 12n]] as const) {
      this.push(c, off);
      this.op(c, 'MLOAD');
      this.push(c, slot);
      this.op(c, 'SSTORE');
    }
  }

  /** A bn254 add, mul or pairing check (0x06-0x08) on valid points mostly, sometimes spoiled. */
  private bn254(c: LocalCtx): void {
    const r = this.rng;
    const ist = isForkAtLeast(c.fork, 'istanbul');
    // no pairing inside a loop body: each one takes tens of milliseconds
    const which = r.weighted([[2, 6], [2, 7], [c.inLoop ? 0 : 1.5, 8]] as const);
    let input: Uint8Array;
    let cost: number;
    if (which === 6) {
      const a = this.g1();
      const b = r.weighted([[3, () => this.g1()], [1, () => a], [1, () => negG1(a)]] as const)();
      input = concat(a, b);
      cost = ist ? 150 : 500;
    } else if (which === 7) {
      const s = r.weighted([[3, BigInt(r.range(0, 1000))], [2, r.word()], [1, r.pick([BN_R, BN_R - 1n, BN_R + 1n, M256, 1n << 255n])]] as const);
      input = concat(this.g1(), wordBytes([s]));
      cost = ist ? 6000 : 40000;
    } else {
      const pairs: Uint8Array[] = [];
      switch (r.weighted([[3, 'holds'], [2, 'random'], [1, 'empty'], [1, 'off-subgroup']] as const)) {
        case 'holds': {
          // e(a b G1, G2) e(-a G1, b G2) = 1
          const a = BigInt(r.range(1, 1000));
          const b = r.range(1, 3);
          pairs.push(concat(g1Bytes(G1.BASE.multiplyUnsafe(a * BigInt(b))), g2Multiple(1)), concat(g1Bytes(G1.BASE.multiplyUnsafe(a).negate()), g2Multiple(b)));
          if (r.chance(0.3)) pairs.splice(r.int(3), 0, concat(r.chance(0.5) ? new Uint8Array(64) : this.g1(), r.chance(0.5) ? new Uint8Array(128) : g2Multiple(r.range(1, 3))));
          break;
        }
        case 'random':
          for (let i = r.range(1, 2); i > 0; i--) pairs.push(concat(this.g1(), r.chance(0.2) ? new Uint8Array(128) : g2Multiple(r.range(1, 3))));
          break;
        case 'off-subgroup':
          pairs.push(concat(this.g1(), g2OffSubgroup()));
          break;
        default:
      }
      input = concat(...pairs);
      cost = ist ? 45000 + 34000 * pairs.length : 100000 + 80000 * pairs.length;
    }
    input = this.spoil(input, which === 8 ? [64, 32] : [32]);
    this.callPrecompile(c, which, input, cost);
  }

  /** A valid G1 point, mostly: a multiple of the generator or infinity. */
  private g1(): Uint8Array {
    const r = this.rng;
    return r.weighted([
      [4, () => g1Bytes(G1.BASE.multiplyUnsafe(BigInt(r.range(1, 100000))))],
      [1, () => g1Bytes(G1.BASE.multiplyUnsafe(r.bits(64) + 1n))],
      [1, () => g1Bytes(G1.BASE)],
      [1, () => new Uint8Array(64)],
    ] as const)();
  }

  /** Now and then a spoiled input: a changed byte, a coordinate pushed past p, a point off the curve, a cut or extended length. */
  private spoil(input: Uint8Array, coordSizes: number[]): Uint8Array {
    const r = this.rng;
    if (!r.chance(0.25)) return input;
    const out = input.slice();
    switch (r.weighted([[2, 'byte'], [1, 'p'], [1, 'y+1'], [2, 'length']] as const)) {
      case 'byte':
        if (out.length) out[r.int(out.length)] ^= 1 << r.int(8);
        return out;
      case 'p': {
        // a coordinate plus p (the same point if reduced) where it still fits in 256 bits
        if (out.length < 32) return out;
        const at = 32 * r.int(Math.min(out.length >> 5, 4));
        const v = bytesToBig(out.subarray(at, at + 32)) + BN_P;
        if (v <= M256) out.set(wordBytes([v]), at);
        return out;
      }
      case 'y+1': {
        const at = 32 * r.int(Math.max(1, out.length >> 5));
        if (at + 32 <= out.length) out.set(wordBytes([(bytesToBig(out.subarray(at, at + 32)) + 1n) & M256]), at);
        return out;
      }
      default: {
        const unit = r.pick(coordSizes);
        const len = Math.max(0, out.length + r.pick([-1, 1, -unit, unit, -r.range(1, 40)]));
        const ext = new Uint8Array(len);
        ext.set(out.subarray(0, len));
        if (len > out.length) ext.set(r.bytes(len - out.length), out.length);
        return ext;
      }
    }
  }

  /** A BLAKE2F call (0x09): random state, message and counters with a small round count mostly. */
  private blake2f(c: LocalCtx): void {
    const r = this.rng;
    const rounds = r.weighted([[4, r.range(0, 16)], [1, 12], [1, r.range(17, 2000)], [0.3, 0xffffffff], [0.3, r.range(10000, 300000)]] as const);
    const input = new Uint8Array(213);
    input.set([rounds >>> 24, (rounds >>> 16) & 0xff, (rounds >>> 8) & 0xff, rounds & 0xff]);
    input.set(r.bytes(208), 4);
    input[212] = r.weighted([[5, 1], [4, 0], [1, r.pick([2, 3, 0x80, 0xff])]] as const);
    let data = input;
    if (r.chance(0.1)) {
      // a length other than 213
      const len = r.pick([0, 4, 212, 214, r.range(1, 250)]);
      data = new Uint8Array(len);
      data.set(input.subarray(0, len));
    }
    this.callPrecompile(c, 9, data, rounds);
  }

  /** A bounded loop: a counter, a body of a few steps (stack-neutral), decrement, JUMPI back. */
  private loop(c: LocalCtx): void {
    const r = this.rng;
    this.push(c, BigInt(r.range(1, 6)));
    const base = c.depth;
    const id = c.nextLabel++;
    c.items.push({ label: id });
    c.inLoop = true;
    const steps = r.range(1, 5);
    for (let i = 0; i < steps; i++) this.step(c);
    c.inLoop = false;
    while (c.depth > base) this.op(c, 'POP');
    if (c.depth < base) {
      // the body ate the counter: make the loop end now
      while (c.depth < base) this.push(c, 1n);
    }
    // counter - 1, loop while non-zero
    this.push(c, 1n);
    this.op(c, 'SWAP1');
    this.op(c, 'SUB');
    this.op(c, 'DUP1');
    c.items.push({ ref: id });
    c.depth++;
    this.op(c, 'JUMPI');
    this.op(c, 'POP');
  }

  /** Initcode in memory at 0, then CREATE or CREATE2 of it. */
  private create(c: LocalCtx): void {
    const r = this.rng;
    const kind = isForkAtLeast(c.fork, 'constantinople') && r.chance(0.5) ? 'CREATE2' : 'CREATE';
    const init = this.initcode(c);
    for (let i = 0; i < init.length; i += 32) {
      const chunk = new Uint8Array(32);
      chunk.set(init.subarray(i, i + 32));
      c.items.push({ push: bytesToBig(chunk), width: 32 });
      c.depth++;
      this.push(c, BigInt(i));
      this.op(c, 'MSTORE');
    }
    if (kind === 'CREATE2') this.push(c, this.value(c, 'salt'));
    this.push(c, BigInt(init.length));
    this.push(c, 0n);
    this.push(c, this.value(c, 'cvalue') % 3000n);
    this.op(c, kind);
  }

  private initcode(c: LocalCtx): Uint8Array {
    const r = this.rng;
    const kind = r.weighted([[5, 'deploy'], [2, 'gen'], [1, 'big'], [1, 'ef'], [1, 'revert'], [0.2, 'ef-initcode']] as const);
    const deploy = (runtime: Uint8Array) => {
      // PUSH2 len PUSH1 14 PUSH1 0 CODECOPY PUSH2 len PUSH1 0 RETURN <runtime>
      const n = runtime.length;
      const pre = [0x61, n >> 8, n & 0xff, 0x60, 14, 0x60, 0, 0x39, 0x61, n >> 8, n & 0xff, 0x60, 0, 0xf3];
      return Uint8Array.from([...pre, ...runtime]);
    };
    switch (kind) {
      case 'gen':
        return this.program({ fork: c.fork, block: c.block, hazard: c.hazard }, { steps: r.range(2, 12), calls: false });
      case 'big': // return 24577 zero bytes: over the EIP-170 limit from Spurious Dragon
        return hex('616001' + '6000f3');
      case 'ef':
        return deploy(hex('ef00'));
      case 'revert':
        return hex('60016000fd');
      case 'ef-initcode': // initcode that starts with 0xEF00: an undefined opcode before EOF (see known.ts)
        return hex('ef0001010004020001000100');
      default:
        return deploy(this.program({ fork: c.fork, block: c.block, hazard: c.hazard }, { steps: r.range(1, 8), calls: false }));
    }
  }

  private ending(c: LocalCtx): void {
    const r = this.rng;
    const kind = r.weighted([[4, 'return'], [1.5, 'revert'], [2, 'stop'], [2, 'none'], [0.5, 'selfdestruct'], [0.1 * c.hazard, 'invalid']] as const);
    switch (kind) {
      case 'return':
        this.push(c, BigInt(r.pick([0, 1, 32, 64, 96])));
        this.push(c, BigInt(r.pick([0, 0, 32, 7])));
        this.op(c, 'RETURN');
        return;
      case 'revert':
        if (!isForkAtLeast(c.fork, 'byzantium')) return this.op(c, 'STOP');
        this.push(c, BigInt(r.pick([0, 32, 64])));
        this.push(c, 0n);
        this.op(c, 'REVERT');
        return;
      case 'stop':
        return this.op(c, 'STOP');
      case 'selfdestruct':
        return this.withArgs(c, 'SELFDESTRUCT');
      case 'invalid':
        return this.op(c, 'INVALID');
      default:
    }
  }

  /** Mutate a quarter of the programs. */
  /**
   * EIP-7702 delegation designators in the pre-state (Prague; before it they are code starting
   * with the invalid 0xef): accounts delegating to a contract, to an empty or missing account, to a
   * precompile, to another designator, or to themselves; sometimes the called account itself
   * delegates, its program moved to the delegate.
   */
  private delegations(pre: Map<Address, FuzzAccount>, fork: Fork): void {
    const r = this.rng;
    if (!r.chance(isForkAtLeast(fork, 'prague') ? 0.4 : 0.05)) return;
    const targets = (): Address =>
      r.weighted([
        [3, FUZZ_ADDR.self],
        [3, FUZZ_ADDR.b],
        [2, FUZZ_ADDR.d],
        [1, FUZZ_ADDR.missing],
        [1, FUZZ_ADDR.empty],
        [1, FUZZ_ADDR.caller],
        [1, `0x${r.range(1, lastPrecompile(fork)).toString(16).padStart(40, '0')}` as Address],
      ] as const);
    for (const a of [FUZZ_ADDR.b, FUZZ_ADDR.d, FUZZ_ADDR.empty, FUZZ_ADDR.caller]) {
      if (!r.chance(0.35)) continue;
      const acc = pre.get(a) ?? { balance: this.balance(), nonce: 1n, code: new Uint8Array(0), storage: this.storage() };
      pre.set(a, { ...acc, code: delegationCode(targets()) });
    }
    if (r.chance(0.25)) {
      const self = pre.get(FUZZ_ADDR.self)!;
      pre.set(FUZZ_ADDR.d, { balance: this.balance(), nonce: 0n, code: self.code, storage: this.storage() });
      pre.set(FUZZ_ADDR.self, { ...self, code: delegationCode(FUZZ_ADDR.d) });
    }
  }

  private maybeMutate(code: Uint8Array, fork: Fork): Uint8Array {
    const r = this.rng;
    if (!r.chance(0.25) || code.length === 0) return code;
    const out = [...code];
    const n = r.range(1, 4);
    for (let i = 0; i < n; i++) {
      const at = r.int(out.length + 1);
      switch (r.int(7)) {
        case 0:
          if (out.length) out[r.int(out.length)] = r.u32() & 0xff;
          break;
        case 1:
          out.splice(at, 0, r.u32() & 0xff);
          break;
        case 2:
          out.splice(at, r.range(1, 4));
          break;
        case 3: {
          const len = r.range(1, 8);
          out.splice(at, 0, ...out.slice(at, at + len));
          break;
        }
        case 4: {
          const defs = opsOf(fork);
          const name = r.weighted(defs);
          if (out.length) out[r.int(out.length)] = OPCODES.find((x) => x?.name === name)!.code;
          break;
        }
        case 5: {
          // PUSH32 of an edge value
          const v = r.pick(EDGES);
          out.splice(at, 0, 0x7f, ...wordBytes([v]));
          break;
        }
        default: {
          const other = this.corpus.length ? r.pick(this.corpus) : code;
          const from = r.int(other.length + 1);
          out.splice(at, 0, ...other.subarray(from, from + r.range(1, 16)));
        }
      }
    }
    return Uint8Array.from(out);
  }
}

interface Ctx {
  fork: Fork;
  block: FuzzBlock;
  /** 0: well-formed programs (no raw bytes, foreign opcodes, huge sizes); 1: some; 3: wild. */
  hazard: number;
}

interface LocalCtx extends Ctx {
  nextLabel: number;
  /** Forward jumps whose JUMPDEST is not placed yet, with the stack depth after the jump. */
  pending: Array<{ id: number; depth: number }>;
  placed: number[];
  inLoop: boolean;
  jumpInputs?: number;
  depth: number;
  calls: boolean;
  items: Item[];
}

const opsCache = new Map<Fork, Array<readonly [number, string]>>();

/** The fork's opcodes with their weights (PUSH/DUP/SWAP are covered by argument pushes mostly). */
function opsOf(fork: Fork): Array<readonly [number, string]> {
  let list = opsCache.get(fork);
  if (!list) {
    list = [];
    for (const d of OPCODES) if (d && isForkAtLeast(fork, d.since)) list.push([weightOf(d.name), d.name] as const);
    opsCache.set(fork, list);
  }
  return list;
}

function layout(items: Item[]): Uint8Array {
  const size = (it: Item) => ('op' in it ? 1 : 'push' in it ? 1 + it.width : 'label' in it ? 1 : 'ref' in it ? 3 : it.raw.length);
  const at = new Map<number, number>();
  let pc = 0;
  for (const it of items) {
    if ('label' in it) at.set(it.label, pc);
    pc += size(it);
  }
  const out: number[] = [];
  for (const it of items) {
    if ('op' in it) out.push(it.op);
    else if ('label' in it) out.push(0x5b);
    else if ('ref' in it) {
      const t = at.get(it.ref) ?? 0;
      out.push(0x61, (t >> 8) & 0xff, t & 0xff);
    } else if ('raw' in it) out.push(...it.raw);
    else {
      out.push(0x5f + it.width);
      for (let i = it.width - 1; i >= 0; i--) out.push(Number((it.push >> BigInt(8 * i)) & 0xffn));
    }
  }
  return Uint8Array.from(out);
}

const G1 = bn254.G1.Point;
const G2 = bn254.G2.Point;
const BN_P = bn254.fields.Fp.ORDER;
const BN_R = bn254.fields.Fr.ORDER;

function g1Bytes(p: typeof G1.BASE): Uint8Array {
  if (p.is0()) return new Uint8Array(64);
  const { x, y } = p.toAffine();
  return wordBytes([x, y]);
}

function negG1(b: Uint8Array): Uint8Array {
  const y = bytesToBig(b.subarray(32, 64));
  if (y === 0n) return b;
  return concat(b.subarray(0, 32), wordBytes([BN_P - y]));
}

/** G2 points in the precompile's encoding (x_im, x_re, y_im, y_re), cached. */
const g2Cache = new Map<number, Uint8Array>();
function g2Bytes(q: typeof G2.BASE): Uint8Array {
  const { x, y } = q.toAffine();
  return wordBytes([x.c1, x.c0, y.c1, y.c0]);
}
function g2Multiple(k: number): Uint8Array {
  let b = g2Cache.get(k);
  if (!b) g2Cache.set(k, (b = g2Bytes(G2.BASE.multiplyUnsafe(BigInt(k)))));
  return b;
}

/** A point on the twist outside the order-r subgroup (x = (c, 0) for the first c that works), cached. */
let offSubgroup: Uint8Array | undefined;
function g2OffSubgroup(): Uint8Array {
  if (offSubgroup) return offSubgroup;
  const { Fp2 } = bn254.fields;
  const b = G2.CURVE().b;
  for (let c = 1n; ; c++) {
    const x = Fp2.fromBigTuple([c, 0n]);
    const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), b);
    let y;
    try {
      y = Fp2.sqrt(rhs);
    } catch {
      continue;
    }
    if (!Fp2.eql(Fp2.sqr(y), rhs)) continue;
    const q = G2.fromAffine({ x, y });
    if (q.multiplyUnsafe(BN_R - 1n).add(q).is0()) continue;
    return (offSubgroup = g2Bytes(q));
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function hex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(2 * i, 2), 16);
  return out;
}

function wordBytes(ws: bigint[]): Uint8Array {
  const out = new Uint8Array(32 * ws.length);
  ws.forEach((w, j) => {
    for (let i = 0; i < 32; i++) out[32 * j + i] = Number((w >> BigInt(8 * (31 - i))) & 0xffn);
  });
  return out;
}

function bytesToBig(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}
