/**
 * evm-native's 256-bit arithmetic in the module (u256-div-wasm.ts: Knuth division, MULMOD's
 * 512-bit product, ADDMOD, EXP, SIGNEXTEND, BYTE) and KECCAK256 with memory growth, against
 * BigInt: first the routines themselves word by word (the standalone module), then as EVM
 * programs on evm-native, whose return data must equal BigInt and whose outcome and gas must
 * equal evm-interp's.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { evmInterpEngine } from '../backends/evm-interp/index.js';
import { compileNative, evmNativeEngine, evmNativeStats, loadEvmNative } from '../backends/evm-native/index.js';
import { hostOpContext } from '../backends/evm-native/host-ops.js';
import { instantiateU256Module, OPERAND_ADDR, RESULT_ADDR, type U256Exports } from '../backends/evm-native/u256-standalone.js';
import { ecMulCalldata, ecMulCode, ecMulReference } from '../backends/evm-native/ec-program.js';
import { assemble } from '../src/evm/asm.js';
import { bytesToHex } from '../src/evm/hex.js';
import { keccak256 } from '../src/evm/keccak.js';
import { runMessageCall } from '../src/evm/message.js';
import { Rng } from '../src/evm/fuzz/rng.js';
import type { CallResult, MessageCall } from '../src/evm/types.js';

before(loadEvmNative);

const M = 1n << 256n;
const MASK = M - 1n;
const M64 = (1n << 64n) - 1n;
const signed = (x: bigint) => (x >> 255n ? x - M : x);
const unsigned = (x: bigint) => ((x % M) + M) % M;
const BN254_P = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47n;
const SECP256K1_P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;

/** Edge words: zero, one, digit and limb boundaries, the sign bit, all ones, two field primes. */
const EDGES = [
  0n, 1n, 2n, 3n, 7n, 0xffffffffn, 1n << 32n, (1n << 32n) + 1n, 1n << 63n, M64, 1n << 64n, (1n << 96n) - 1n, (1n << 128n) - 1n, 1n << 128n,
  (1n << 192n) + 12345n, (1n << 255n) - 1n, 1n << 255n, (1n << 255n) + 1n, MASK - 1n, MASK, BN254_P, BN254_P - 1n, BN254_P + 1n, SECP256K1_P,
  // int64 bounds as 256-bit words (SDIV / SMOD take i64.div_s / rem_s when both operands are int64)
  (1n << 63n) - 1n, unsigned(-(1n << 63n)), unsigned(-(1n << 63n)) + 1n, unsigned(-(1n << 63n)) - 1n, unsigned(-(1n << 64n)), unsigned(-7n), unsigned(-3n),
];
/**
 * Dividend / divisor pairs on which Knuth's algorithm D over 32-bit digits needs its rare
 * add-back step (the estimated quotient digit one too large after the two-digit test), found by
 * a search with a BigInt model of the same algorithm.
 */
const ADD_BACK: Array<[bigint, bigint]> = [
  [0x7fffffff0000000000000000ffffffffn, 0x800000000000000055b349a2n],
  [0x7fffffff00000000000000000000000000000000000000007fffffff7fffffffn, 0x8000000000000000d2b80b670cb45da377be0b5dffffffff8e6c573an],
  [0x7fffffff00000000000000007fffffff000000007fffffff7fffffffffffffffn, 0x8000000000000000ffffffffn],
  [0xffffffff00000000ffffffff000000000000000000000000ffffffffn, 0x8000000000000000b77e553cffffffff0c754928n],
];

/**
 * (a, b, n) for MULMOD on digit patterns that are hard for a reduction: the first four need
 * Knuth's add-back on the product (the same search), the last one two final subtractions of n
 * after Barrett's estimate (found with a BigInt model of the reduction in u256-div-wasm.ts).
 */
const HARD_MULMOD: Array<[bigint, bigint, bigint]> = [
  [0x800000008000000000000000ffffffff00000000000000009a0cf207ffffffffn, 0x1n, 0x80000000800000007fffffff0000000000000000000000000000000080000000n],
  [0x7463064c00000000930970b06c23e2d500000000800000007fffffff80000000n, 0xffffffffffffffff8000000000000000000000007fffffff000000007fffffffn, 0x80000000000000007fffffff582b596000000000ffffffffffffffffee89d4b1n],
  [0x800000007fffffff0000000080000000b32ddb06800000008000000000000000n, 0x1n, 0x800000007fffffffbf42e20500000000800000000000000076454a442930d058n],
  [0xffffffffffffffff000000008000000080000000962ce7fbffffffff7fffffffn, 0x800000007fffffff80000000ffffffff62b90992ffffffff8000000080000000n, 0x800000010000000029ea97ed00000000800000007ffffffff4572a9c7fffffffn],
  [0xffffffffefffffffec548abb5fffffffffffffffe298499b6fffffffe0000000n, 0xfffffffffe000000000000000000000000fffffffffffffffeca4cafa7ffffffn, 0x2000000008000000080000000fffffffffffffffff6bbab7380000000n],
];

/** Random words of every shape: dense, short, mostly ones, and sparse digit patterns (0, ~0, 2^31, random). */
function randomWord(rng: Rng): bigint {
  switch (rng.int(5)) {
    case 0:
      return rng.bits(256);
    case 1:
      return rng.bits(256) >> BigInt(rng.int(256));
    case 2:
      return MASK - (rng.bits(256) >> BigInt(rng.int(256)));
    case 3: {
      let v = 0n;
      for (let d = 0; d < 8; d++) v |= BigInt(rng.pick([0, 0xffffffff, 0x80000000, 0x7fffffff, rng.u32()])) << BigInt(32 * d);
      return v;
    }
    default:
      return rng.pick(EDGES) ^ rng.bits(rng.int(64) + 1);
  }
}

const REF = {
  DIV: (a: bigint, b: bigint) => (b === 0n ? 0n : a / b),
  MOD: (a: bigint, b: bigint) => (b === 0n ? 0n : a % b),
  SDIV: (a: bigint, b: bigint) => (b === 0n ? 0n : unsigned(signed(a) / signed(b))),
  SMOD: (a: bigint, b: bigint) => (b === 0n ? 0n : unsigned(signed(a) % signed(b))),
  ADDMOD: (a: bigint, b: bigint, n: bigint) => (n === 0n ? 0n : (a + b) % n),
  MULMOD: (a: bigint, b: bigint, n: bigint) => (n === 0n ? 0n : (a * b) % n),
  EXP: (a: bigint, e: bigint) => {
    let r = 1n;
    for (let b = a; e > 0n; e >>= 1n, b = (b * b) & MASK) if (e & 1n) r = (r * b) & MASK;
    return r;
  },
  SIGNEXTEND: (k: bigint, x: bigint) => {
    if (k >= 31n) return x;
    const bits = 8n * (k + 1n);
    const low = x & ((1n << bits) - 1n);
    return low >> (bits - 1n) ? unsigned(low - (1n << bits)) : low;
  },
  BYTE: (i: bigint, x: bigint) => (i < 32n ? (x >> (8n * (31n - i))) & 0xffn : 0n),
} as const;
type Op = keyof typeof REF;
const ARITY: Record<Op, number> = { DIV: 2, MOD: 2, SDIV: 2, SMOD: 2, ADDMOD: 3, MULMOD: 3, EXP: 2, SIGNEXTEND: 2, BYTE: 2 };

/** Operand tuples for an opcode: edge x edge (x a few edges for the moduli), the add-back pairs, random words, and indices 0..33 for BYTE / SIGNEXTEND. */
function tuples(op: Op, rng: Rng, randomCount: number): bigint[][] {
  const out: bigint[][] = [];
  if (ARITY[op] === 3) {
    // the reduction changes at 2^224 (Barrett above it, Knuth's algorithm D at and below)
    const moduli = [0n, 1n, 2n, 3n, 0xffffffffn, 1n << 64n, (1n << 128n) + 1n, 1n << 224n, (1n << 224n) + 1n, 1n << 255n, MASK, BN254_P, SECP256K1_P];
    for (const a of EDGES) for (const b of EDGES) for (const n of moduli) if (rng.chance(0.25) || n === BN254_P || n <= 1n) out.push([a, b, n]);
    for (const [a, b, n] of HARD_MULMOD) out.push([a, b, n], [b, a, n]);
    // operands below the modulus (the usual field arithmetic) and above it
    for (let i = 0; i < randomCount; i++) {
      const n = rng.chance(0.5) ? rng.pick(moduli) : randomWord(rng);
      const below = n === 0n ? 0n : randomWord(rng) % n;
      out.push([below, n === 0n ? 0n : randomWord(rng) % n, n], [randomWord(rng), randomWord(rng), n]);
    }
    return out;
  }
  if (op === 'BYTE' || op === 'SIGNEXTEND') {
    const indices = [...Array.from({ length: 34 }, (_, i) => BigInt(i)), 255n, 256n, 1n << 64n, 1n << 255n, MASK];
    for (const i of indices) for (const x of [...EDGES, randomWord(rng), randomWord(rng)]) out.push([i, x]);
    return out;
  }
  for (const a of EDGES) for (const b of EDGES) out.push([a, b]);
  if (op === 'EXP') for (const e of [255n, 256n, 1n << 64n, MASK]) for (const b of [2n, 3n, 4n, 1n << 32n, MASK]) out.push([b, e]);
  for (const [u, v] of ADD_BACK) out.push([u, v]);
  for (let i = 0; i < randomCount; i++) {
    const a = randomWord(rng);
    // divisors of every length, and dividends just around multiples of them
    const b = randomWord(rng) >> BigInt(rng.int(256));
    out.push([a, b], [(b * BigInt(rng.int(1000) + 1) + BigInt(rng.int(3)) - 1n) & MASK, b]);
  }
  return out;
}

// ---------------------------------------------------------------------------- the routines

let wasm: U256Exports;
function runWasm(op: Op, args: bigint[]): bigint {
  wasm ??= instantiateU256Module();
  const mem = new BigUint64Array(wasm.memory.buffer);
  args.forEach((v, i) => {
    for (let k = 0; k < 4; k++) mem[(OPERAND_ADDR >> 3) + 4 * i + k] = (v >> BigInt(64 * k)) & M64;
  });
  const call: Record<Op, () => void> = {
    DIV: () => wasm.divmod(0),
    MOD: () => wasm.divmod(1),
    SDIV: () => wasm.sdivmod(0),
    SMOD: () => wasm.sdivmod(1),
    ADDMOD: () => wasm.addmod(),
    MULMOD: () => wasm.mulmod(),
    EXP: () => wasm.exp(),
    SIGNEXTEND: () => wasm.signextend(),
    BYTE: () => wasm.byte(),
  };
  call[op]();
  let r = 0n;
  for (let k = 3; k >= 0; k--) r = (r << 64n) | mem[(RESULT_ADDR >> 3) + k]!;
  return r;
}

test('u256 wasm routines: DIV, SDIV, MOD, SMOD, ADDMOD, MULMOD, EXP, SIGNEXTEND, BYTE equal BigInt on edge and random words', () => {
  const rng = new Rng(2024);
  for (const op of Object.keys(REF) as Op[]) {
    const ref = REF[op] as (...a: bigint[]) => bigint;
    for (const t of tuples(op, rng, 3000)) assert.equal(runWasm(op, t), ref(...t), `${op}(${t.map((v) => '0x' + v.toString(16)).join(', ')})`);
  }
});

test('u256 wasm routines: the signed corner cases and the field identities', () => {
  const minInt = 1n << 255n;
  assert.equal(runWasm('SDIV', [minInt, MASK]), minInt, '-2^255 / -1 wraps to -2^255');
  assert.equal(runWasm('SMOD', [minInt, MASK]), 0n);
  assert.equal(runWasm('SDIV', [unsigned(-7n), 2n]), unsigned(-3n), 'truncates toward zero');
  assert.equal(runWasm('SMOD', [unsigned(-7n), 2n]), unsigned(-1n), 'the sign of the dividend');
  assert.equal(runWasm('SMOD', [7n, unsigned(-2n)]), 1n);
  // (p-1)^2 = 1 and Fermat: a^(p-1) = 1 (mod p), by MULMOD alone
  assert.equal(runWasm('MULMOD', [BN254_P - 1n, BN254_P - 1n, BN254_P]), 1n);
  let acc = 1n;
  const a = 0x1234567890abcdefn;
  for (let e = BN254_P - 1n, b = a; e > 0n; e >>= 1n, b = runWasm('MULMOD', [b, b, BN254_P])) if (e & 1n) acc = runWasm('MULMOD', [acc, b, BN254_P]);
  assert.equal(acc, 1n, 'a^(p-1) = 1 mod p');
  assert.equal(runWasm('ADDMOD', [MASK, MASK, MASK - 1n]), 2n, 'the 257-bit sum is reduced, not wrapped');
  assert.equal(runWasm('MULMOD', [MASK, MASK, 12345n]), (MASK * MASK) % 12345n, 'a 32-bit modulus of the 512-bit product');
});

// ---------------------------------------------------------------------------- as EVM programs

const A = '0x' + 'aa'.repeat(20);
const C = '0x' + 'cc'.repeat(20);
const view = (r: CallResult) => ({ status: r.status, haltReason: r.haltReason, returnData: bytesToHex(r.returnData), gasUsed: r.gasUsed });

function both(c: MessageCall): CallResult {
  const native = runMessageCall(evmNativeEngine, c);
  assert.deepEqual(view(native), view(runMessageCall(evmInterpEngine, c)));
  return native;
}

const call = (code: Uint8Array, calldata: Uint8Array, gasLimit = 30_000_000): MessageCall => ({ fork: 'cancun', code, calldata, caller: C, address: A, gasLimit });
const hex32 = (v: bigint) => '0x' + v.toString(16).padStart(64, '0');

function words(vs: bigint[]): Uint8Array {
  const out = new Uint8Array(32 * vs.length);
  vs.forEach((v, i) => {
    for (let k = 0; k < 32; k++) out[32 * i + 31 - k] = Number((v >> BigInt(8 * k)) & 0xffn);
  });
  return out;
}

function wordsOf(data: Uint8Array): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < data.length; i += 32) out.push(BigInt(bytesToHex(data.subarray(i, i + 32))));
  return out;
}

/** A loop over the calldata's operand tuples (stack top first): OP on each, the results returned as words. */
function loopProgram(op: Op): Uint8Array {
  const n = ARITY[op];
  const loads = n === 3 ? 'DUP1 PUSH1 64 ADD CALLDATALOAD DUP2 PUSH1 32 ADD CALLDATALOAD DUP3 CALLDATALOAD' : 'DUP1 PUSH1 32 ADD CALLDATALOAD DUP2 CALLDATALOAD';
  return assemble(`PUSH1 0
    loop: DUP1 CALLDATASIZE GT ISZERO @end JUMPI
      ${loads} ${op}
      DUP2 PUSH1 ${n} SWAP1 DIV MSTORE
      PUSH1 ${32 * n} ADD @loop JUMP
    end: CALLDATASIZE PUSH1 ${n} SWAP1 DIV PUSH1 0 RETURN`);
}

test('evm-native: DIV, SDIV, MOD, SMOD, ADDMOD, MULMOD, EXP, SIGNEXTEND, BYTE in the module equal BigInt, with evm-interp\'s gas', () => {
  const rng = new Rng(77);
  for (const op of Object.keys(REF) as Op[]) {
    const ref = REF[op] as (...a: bigint[]) => bigint;
    const ts = tuples(op, rng, 150);
    const r = both(call(loopProgram(op), words(ts.flat())));
    assert.equal(r.status, 'success', op);
    const got = wordsOf(r.returnData);
    assert.equal(got.length, ts.length);
    ts.forEach((t, i) => assert.equal(got[i], ref(...t), `${op}(${t.map((v) => '0x' + v.toString(16)).join(', ')})`));
  }
});

test('evm-native: arithmetic with a constant operand (divisors, exponents, byte indices decided at compile time) equals BigInt', () => {
  const constDivisors = [0n, 1n, 2n, 3n, 8n, 10n, 1n << 32n, 1n << 64n, 1n << 128n, 1n << 255n, (1n << 64n) - 1n, BN254_P, MASK];
  const indices = [...Array.from({ length: 34 }, (_, i) => BigInt(i)), 1n << 64n, MASK];
  const exponents = [0n, 1n, 2n, 31n, 255n, 256n, 1n << 64n, MASK];
  // each case: the operation in assembly, $x standing for the calldata word, and its reference
  const cases: Array<[string, (x: bigint) => bigint]> = [];
  for (const d of constDivisors) {
    for (const op of ['DIV', 'MOD', 'SDIV', 'SMOD'] as const) cases.push([`PUSH32 ${hex32(d)} $x ${op}`, (x) => REF[op](x, d)]);
  }
  for (const i of indices) for (const op of ['BYTE', 'SIGNEXTEND'] as const) cases.push([`$x PUSH32 ${hex32(i)} ${op}`, (x) => REF[op](i, x)]);
  for (const e of exponents) {
    cases.push([`PUSH32 ${hex32(e)} $x EXP`, (x) => REF.EXP(x, e)]);
    for (const b of [0n, 1n, 2n, 3n, 256n, MASK]) cases.push([`PUSH32 ${hex32(e)} PUSH32 ${hex32(b)} EXP`, () => REF.EXP(b, e)]);
  }
  cases.push([`$x $x PUSH1 7 ADDMOD`, (x) => REF.ADDMOD(7n, x, x)], [`PUSH32 ${hex32(BN254_P)} $x $x MULMOD`, (x) => REF.MULMOD(x, x, BN254_P)]);
  const code = assemble(cases.map(([asm], i) => `${asm.replaceAll('$x', 'PUSH1 0 CALLDATALOAD')} PUSH2 ${32 * i} MSTORE`).join('\n') + ` PUSH2 ${32 * cases.length} PUSH1 0 RETURN`);
  const rng = new Rng(5);
  for (const x of [...EDGES, randomWord(rng), randomWord(rng), randomWord(rng)]) {
    const r = both(call(code, words([x])));
    const got = wordsOf(r.returnData);
    cases.forEach(([asm, ref], i) => assert.equal(got[i], ref(x), `${asm} with $x = 0x${x.toString(16)}`));
  }
});

test('evm-native: EXP charges its per-byte gas in the module, out of gas exactly where evm-interp is', () => {
  const code = assemble('PUSH1 32 CALLDATALOAD PUSH1 0 CALLDATALOAD EXP PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN');
  const constCode = assemble(`PUSH32 ${hex32(1n << 200n)} PUSH1 3 EXP PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`);
  for (const [c, data] of [[code, words([3n, 1n << 200n])], [code, words([7n, MASK])], [code, words([2n, 0n])], [constCode, new Uint8Array(0)]] as const) {
    const full = both(call(c, data, 1_000_000));
    assert.equal(full.status, 'success');
    for (let g = Math.max(0, full.gasUsed - 60); g <= full.gasUsed; g++) both(call(c, data, g));
  }
});

test('evm-native: KECCAK256 stays in the module when it grows memory, with evm-interp\'s gas; zero length at any offset; past the window or 32 bits it leaves', () => {
  const rng = new Rng(9);
  const fill = words(Array.from({ length: 40 }, () => rng.bits(256)));
  const prog = (off: bigint, len: bigint) =>
    assemble(`PUSH2 ${fill.length} PUSH1 0 PUSH1 0 CALLDATACOPY @h JUMP h: PUSH32 ${hex32(len)} PUSH32 ${hex32(off)} KECCAK256 MSIZE PUSH2 0x2000 MSTORE PUSH2 0x2020 MSTORE PUSH1 64 PUSH2 0x2000 RETURN`);
  const memory = (size: number) => {
    const m = new Uint8Array(Math.max(size, fill.length));
    m.set(fill);
    return m;
  };
  for (const [off, len] of [[0, 64], [0, 2000], [100, 1281], [1200, 136], [4000, 4000], [60_000, 5000], [200_000, 62_144], [4_000_000, 194_304]] as const) {
    const opsBefore = hostOpContext.calls;
    const exitsBefore = evmNativeStats.interpreterExits;
    const r = both(call(prog(BigInt(off), BigInt(len)), fill, 100_000_000));
    assert.equal(r.status, 'success', `${off}+${len}`);
    const [, hash] = wordsOf(r.returnData);
    const expected = memory(off + len).subarray(off, off + len);
    assert.equal(hex32(hash!), bytesToHex(keccak256(expected)), `keccak of ${len} bytes at ${off}`);
    assert.equal(hostOpContext.calls, opsBefore, 'no import call: CALLDATACOPY and KECCAK256 in the module');
    assert.equal(evmNativeStats.interpreterExits - exitsBefore, 0, 'nothing leaves the module (RETURN included)');
  }
  // zero length: the empty hash at any offset, no memory touched
  for (const off of [0n, 1n << 40n, MASK]) {
    const r = both(call(prog(off, 0n), fill));
    assert.equal(hex32(wordsOf(r.returnData)[1]!), bytesToHex(keccak256(new Uint8Array(0))));
  }
  // out of gas around the growth (word gas and expansion), past the window (4 MB at depth 0), past 32 bits: as evm-interp
  const grow = prog(3000n, 5000n);
  const need = both(call(grow, fill, 1_000_000)).gasUsed;
  for (let g = need - 40; g <= need; g++) both(call(grow, fill, g));
  for (const [off, len] of [[4_194_200n, 200n], [0n, 4_300_000n], [1n << 32n, 1n], [5n, 1n << 32n], [1n << 64n, 32n]] as const) both(call(prog(off, len), fill, 100_000_000));
});

test('evm-native: elliptic-curve scalar multiplication (MULMOD / ADDMOD over bn254) equals the BigInt formulas', () => {
  for (const scalar of [1n, 2n, 0xdeadbeefn, BN254_P - 1n, MASK]) {
    const r = both(call(ecMulCode(), ecMulCalldata(scalar, 1)));
    assert.equal(r.status, 'success');
    assert.deepEqual(wordsOf(r.returnData), ecMulReference(scalar), `scalar 0x${scalar.toString(16)}`);
  }
  const stats = compileNative(ecMulCode(), 'cancun').module.stats;
  assert.equal(stats.nativeBlocks, stats.blocks, 'every block runs in the module, the one that RETURNs included');
});
