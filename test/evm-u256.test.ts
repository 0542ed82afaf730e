import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as U from '../src/evm/u256.js';

const M = 1n << 256n;
const MASK = M - 1n;
const toS = (v: bigint) => (v >= 1n << 255n ? v - M : v);
const fromS = (v: bigint) => ((v % M) + M) % M;

/** Deterministic generator of interesting 256-bit values: small, boundary, sparse and dense. */
function* values(seed: number, n: number): Generator<bigint> {
  const fixed = [0n, 1n, 2n, 3n, 255n, 256n, (1n << 32n) - 1n, 1n << 32n, (1n << 53n) - 1n, 1n << 53n, (1n << 64n) + 7n, 1n << 255n, (1n << 255n) - 1n, MASK, MASK - 1n, M - 12345n];
  yield* fixed;
  let x = BigInt(seed) | 1n;
  for (let i = 0; i < n; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
    let v = 0n;
    for (let k = 0; k < 4; k++) {
      x = (x * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
      v = (v << 64n) | x;
    }
    const shape = i % 5;
    if (shape === 0) yield v;
    else if (shape === 1) yield v >> BigInt(Number(x % 256n));
    else if (shape === 2) yield v & 0xffffffffn;
    else if (shape === 3) yield MASK - (v >> 200n);
    else yield v >> 190n;
  }
}

/**
 * The division family, ADDMOD, MULMOD and EXP have two slow paths: the WebAssembly module (the
 * default where WebAssembly exists) and JavaScript (--jitless, or JITBENCH_EVM_WASM_ARITH=0): both
 * are checked.
 */
const MODES = ['wasm', 'js'] as const;
function useMode(mode: (typeof MODES)[number]): void {
  assert.equal(U.setWasmArithmetic(mode === 'wasm'), mode === 'wasm');
}
after(() => U.setWasmArithmetic(true));

const w = new Uint32Array(64);
const put = (slot: number, v: bigint) => U.fromBigInt(w, slot * 8, v);
const get = (slot: number) => U.toBigInt(w, slot * 8);

for (const mode of MODES) {
  test(`u256 (${mode}): limb arithmetic matches BigInt (random and boundary values)`, () => {
    useMode(mode);
    const xs = [...values(7, 120)];
    const ys = [...values(99, 40)];
    for (const a of xs) {
      for (const b of ys) {
        const check = (name: string, got: bigint, exp: bigint) => assert.equal(got, exp, `${name}(0x${a.toString(16)}, 0x${b.toString(16)})`);
        const bin = (name: string, f: (w: Uint32Array, a: number, b: number, r: number) => void, exp: bigint) => {
          put(0, a);
          put(1, b);
          f(w, 0, 8, 16);
          check(name, get(2), exp);
          // in place, result over the second operand (how the interpreter calls it)
          put(0, a);
          put(1, b);
          f(w, 0, 8, 8);
          check(name + ' in place', get(1), exp);
        };
        bin('add', U.add, (a + b) & MASK);
        bin('sub', U.sub, (a - b + M) & MASK);
        bin('mul', U.mul, (a * b) & MASK);
        bin('div', U.div, b === 0n ? 0n : a / b);
        bin('mod', U.mod, b === 0n ? 0n : a % b);
        bin('sdiv', U.sdiv, b === 0n ? 0n : fromS(toS(a) / toS(b)));
        bin('smod', U.smod, b === 0n ? 0n : fromS(toS(a) % toS(b)));
        bin('and', U.and, a & b);
        bin('or', U.or, a | b);
        bin('xor', U.xor, a ^ b);
        put(0, a);
        put(1, b);
        check('lt', U.lt(w, 0, 8) ? 1n : 0n, a < b ? 1n : 0n);
        check('slt', U.slt(w, 0, 8) ? 1n : 0n, toS(a) < toS(b) ? 1n : 0n);
        check('eq', U.eq(w, 0, 8) ? 1n : 0n, a === b ? 1n : 0n);
        for (const n of [b, 7n, 1n << 200n]) {
          put(0, a);
          put(1, b);
          put(2, n);
          U.addmod(w, 0, 8, 16, 24);
          check('addmod', get(3), n === 0n ? 0n : (a + b) % n);
          U.mulmod(w, 0, 8, 16, 24);
          check('mulmod', get(3), n === 0n ? 0n : (a * b) % n);
        }
      }
      // unary and shifts
      put(0, a);
      U.not(w, 0, 8);
      assert.equal(get(1), MASK ^ a);
      assert.equal(U.isZero(w, 0), a === 0n);
      assert.equal(U.byteLength(w, 0), a === 0n ? 0 : Math.ceil(a.toString(16).length / 2));
      for (const sh of [0, 1, 31, 32, 33, 63, 64, 100, 255, 256, 300]) {
        put(0, a);
        U.shl(w, sh, 0, 8);
        assert.equal(get(1), sh >= 256 ? 0n : (a << BigInt(sh)) & MASK, `shl ${sh}`);
        U.shr(w, sh, 0, 8);
        assert.equal(get(1), sh >= 256 ? 0n : a >> BigInt(sh), `shr ${sh}`);
        U.sar(w, sh, 0, 8);
        assert.equal(get(1), fromS(sh >= 256 ? (toS(a) < 0n ? -1n : 0n) : toS(a) >> BigInt(sh)), `sar ${sh}`);
      }
      for (let i = 0; i < 34; i += 3) {
        put(0, BigInt(i));
        put(1, a);
        U.byte(w, 0, 8, 16);
        assert.equal(get(2), i >= 32 ? 0n : (a >> BigInt(8 * (31 - i))) & 0xffn, `byte ${i}`);
        U.signextend(w, 0, 8, 16);
        let exp = a;
        if (i < 31) {
          const bits = BigInt(8 * i + 8);
          const low = a & ((1n << bits) - 1n);
          exp = low & (1n << (bits - 1n)) ? (MASK ^ ((1n << bits) - 1n)) | low : low;
        }
        assert.equal(get(2), exp, `signextend ${i} of 0x${a.toString(16)}`);
      }
    }
  });
}

for (const mode of MODES) {
  test(`u256 (${mode}): exp matches BigInt modular exponentiation`, () => {
    useMode(mode);
    const bases = [0n, 1n, 2n, 3n, 16n, 256n, 0x5851f42d4c957f2dn, MASK, (1n << 255n) + 12345n];
    const exps = [0n, 1n, 2n, 7n, 31n, 255n, 256n, 1000n, 0xffffffffffffn, MASK];
    for (const b of bases) {
      for (const e of exps) {
        let r = 1n;
        let x = b;
        let k = e;
        while (k > 0n) {
          if (k & 1n) r = (r * x) & MASK;
          x = (x * x) & MASK;
          k >>= 1n;
        }
        put(0, b);
        put(1, e);
        U.exp(w, 0, 8, 16);
        assert.equal(get(2), r, `exp(0x${b.toString(16)}, 0x${e.toString(16)})`);
      }
    }
  });
}

test('u256: bytes and number conversions', () => {
  const bytes = Uint8Array.from({ length: 40 }, (_, i) => (i * 37 + 11) & 0xff);
  for (const len of [1, 2, 5, 20, 31, 32]) {
    U.fromBytesBE(w, 0, bytes, 3, len);
    let exp = 0n;
    for (let i = 0; i < len; i++) exp = (exp << 8n) | BigInt(bytes[3 + i]!);
    assert.equal(get(0), exp, `fromBytesBE len ${len}`);
  }
  for (let len = 1; len <= 32; len++) {
    U.pushBytes(w, 8, bytes, 5, len);
    U.fromBytesBE(w, 0, bytes, 5, len);
    assert.equal(get(1), get(0), `pushBytes len ${len}`);
  }
  // reading past the end pads with zeros on the right
  U.fromBytesBE(w, 0, bytes, 30, 32);
  let exp = 0n;
  for (let i = 0; i < 32; i++) exp = (exp << 8n) | BigInt(30 + i < 40 ? bytes[30 + i]! : 0);
  assert.equal(get(0), exp);
  const out = new Uint8Array(32);
  U.store32(w, 0, out, 0);
  U.load32(w, 8, out, 0);
  assert.equal(get(1), exp);
  assert.equal(U.toNumberSat(w, 0), Infinity);
  put(0, (1n << 53n) - 1n);
  assert.equal(U.toNumberSat(w, 0), Number.MAX_SAFE_INTEGER);
  put(0, 1n << 53n);
  assert.equal(U.toNumberSat(w, 0), Infinity);
});

for (const mode of MODES) {
  test(`u256 (${mode}): division on digit patterns that hit the rare correction steps (add-back in Knuth D on 24-bit and 32-bit digits)`, () => {
    useMode(mode);
    let seed = 12345n;
    const rnd = () => (seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n));
    // values built from digits in {0, 1, all ones, the top bit, all but the top bit, random}: they
    // make the quotient estimate overshoot (the add-back step) a few percent of the time; 24-bit
    // digits for the JavaScript division, 32-bit ones for the WebAssembly one
    const val = (bits: bigint) => {
      const top = 1n << (bits - 1n);
      const nd = Number(rnd() % (256n / bits + 1n)) + 1;
      let v = 0n;
      for (let i = 0; i < nd; i++) {
        const c = Number(rnd() % 6n);
        const d = c === 0 ? 0n : c === 1 ? 1n : c === 2 ? 2n * top - 1n : c === 3 ? top : c === 4 ? top - 1n : rnd() & (2n * top - 1n);
        v = (v << bits) | d;
      }
      return v & MASK;
    };
    for (let k = 0; k < 20000; k++) {
      const bits = k % 2 === 0 ? 24n : 32n;
      const a = val(bits);
      const b = val(bits);
      const c = val(bits);
      put(0, a);
      put(1, b);
      put(2, c);
      U.div(w, 0, 8, 24);
      assert.equal(get(3), b === 0n ? 0n : a / b);
      U.mod(w, 0, 8, 24);
      assert.equal(get(3), b === 0n ? 0n : a % b);
      U.sdiv(w, 0, 8, 24);
      assert.equal(get(3), b === 0n ? 0n : fromS(toS(a) / toS(b)));
      U.smod(w, 0, 8, 24);
      assert.equal(get(3), b === 0n ? 0n : fromS(toS(a) % toS(b)));
      U.addmod(w, 0, 8, 16, 24);
      assert.equal(get(3), c === 0n ? 0n : (a + b) % c);
      U.mulmod(w, 0, 8, 16, 24);
      assert.equal(get(3), c === 0n ? 0n : (a * b) % c);
    }
  });
}

test('u256: the committed WebAssembly arithmetic (src/evm/u256-wasm-binary.ts) is the generator\'s current output', async () => {
  const { u256BinarySource } = await import('../backends/evm-native/u256-standalone.js');
  const { readFileSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const committed = readFileSync(fileURLToPath(new URL('../../src/evm/u256-wasm-binary.ts', import.meta.url)), 'utf8');
  assert.equal(committed, u256BinarySource(), 'regenerate: node dist/backends/evm-native/u256-standalone.js --write src/evm/u256-wasm-binary.ts');
});

test('u256: the BigInt bridge (toBigInt / fromBigInt, through 64-bit lanes) round-trips every value modulo 2^256, at any limb offset', () => {
  const buf = new Uint32Array(24).fill(0xdeadbeef);
  const extra = [-1n, -(1n << 255n), -12345n, M, M + 5n, (1n << 300n) + 77n, -(1n << 300n)];
  for (const v of [...values(3, 200), ...extra]) {
    for (const at of [0, 3, 8, 13]) {
      U.fromBigInt(buf, at, v);
      assert.equal(U.toBigInt(buf, at), ((v % M) + M) % M, `${v} at limb ${at}`);
      const limbs = Array.from(buf.subarray(at, at + 8));
      assert.deepEqual(limbs, Array.from({ length: 8 }, (_, i) => Number((((v % M) + M) % M >> BigInt(32 * i)) & 0xffffffffn)), `${v} limbs at ${at}`);
    }
  }
  assert.equal(buf[21], 0xdeadbeef, 'nothing written past the word');
});

test('modexp256 (the MODEXP precompile within 256 bits, on the WebAssembly routine) equals BigInt square-and-multiply', () => {
  useMode('wasm');
  const M = (1n << 256n) - 1n;
  const ref = (b: bigint, e: bigint, m: bigint) => {
    let r = 1n;
    for (let x = b % m, k = e; k > 0n; k >>= 1n, x = (x * x) % m) if (k & 1n) r = (r * x) % m;
    return r % m;
  };
  const P256 = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
  const edges = [0n, 1n, 2n, 3n, 65537n, 1n << 128n, 1n << 255n, M - 1n, M, P256 - 2n, P256, P256 + 1n];
  const moduli = [2n, 3n, 4n, 1n << 64n, (1n << 64n) + 1n, 1n << 224n, (1n << 224n) + 1n, 1n << 255n, M, P256, 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47n];
  let seed = 0x1234_5678n;
  const rand = (bits: number) => {
    let v = 0n;
    for (let i = 0; i < 8; i++) {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
      v = (v << 32n) | (seed >> 32n);
    }
    return v >> BigInt(256 - bits);
  };
  let checked = 0;
  for (const m of moduli) for (const b of edges) for (const e of edges) {
    assert.equal(U.modexp256(b, e, m), ref(b, e, m), `${b} ** ${e} mod ${m}`);
    checked++;
  }
  for (let i = 0; i < 300; i++) {
    const m = rand(1 + (i % 256)) | 2n;
    const b = rand(1 + ((i * 7) % 256));
    const e = rand(1 + ((i * 13) % 256));
    assert.equal(U.modexp256(b, e, m), ref(b, e, m), `${b} ** ${e} mod ${m}`);
    checked++;
  }
  assert.equal(checked, 11 * 12 * 12 + 300);
  // outside its range it declines: the precompile then uses BigInt
  assert.equal(U.modexp256(2n, 3n, 1n), undefined);
  assert.equal(U.modexp256(2n, 3n, 0n), undefined);
  assert.equal(U.modexp256(1n << 256n, 3n, 7n), undefined);
  assert.equal(U.modexp256(2n, 1n << 256n, 7n), undefined);
  assert.equal(U.modexp256(2n, 3n, 1n << 256n), undefined);
  useMode('js');
  assert.equal(U.modexp256(2n, 3n, 7n), undefined, 'no WebAssembly: BigInt');
});
