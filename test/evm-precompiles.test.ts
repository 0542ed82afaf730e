/**
 * Precompiles 0x06-0x09: bn254 add / mul / pairing check (EIP-196, EIP-197, EIP-1108 gas) and
 * blake2f (EIP-152). Official vectors where there are some, expected values computed here
 * independently (G1 arithmetic in plain BigInt, not @noble/curves) where there are not, failure
 * cases, and a cross-check of whole calls against @ethereumjs/evm on four forks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bn254 } from '@noble/curves/bn254.js';
import { ethereumjsEngine } from '../backends/ethereumjs/index.js';
import { evmInterpEngine } from '../backends/evm-interp/index.js';
import { assemble } from '../src/evm/asm.js';
import type { Fork } from '../src/evm/fork.js';
import { bytesToHex, hexToBytes } from '../src/evm/hex.js';
import { runMessageCall } from '../src/evm/message.js';
import { EvmUnsupportedError, precompiles } from '../src/evm/precompiles.js';
import type { CallResult, MessageCall } from '../src/evm/types.js';

const A = '0x' + 'aa'.repeat(20);
const C = '0x' + 'cc'.repeat(20);
const pcAddr = (n: number) => '0x' + n.toString(16).padStart(40, '0');

const P = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47n;
const R = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001n;
const M256 = (1n << 256n) - 1n;

const w = (v: bigint) => v.toString(16).padStart(64, '0');
const strip = (h: string) => h.replace(/^0x/, '').replace(/\s+/g, '');

/** Run precompile `n` directly. */
function run(fork: Fork, n: number, input: string, gas = 10_000_000) {
  const pc = precompiles(fork).get(pcAddr(n));
  assert.ok(pc, `precompile ${n} exists in ${fork}`);
  const r = pc(hexToBytes('0x' + strip(input)), gas, fork);
  return { ok: r.ok, gasUsed: r.gasUsed, output: bytesToHex(r.output).slice(2) };
}

function assertOk(r: ReturnType<typeof run>, output: string, gasUsed: number, what: string) {
  assert.deepEqual(r, { ok: true, gasUsed, output: strip(output) }, what);
}

function assertFails(r: ReturnType<typeof run>, what: string) {
  assert.equal(r.ok, false, what);
  assert.equal(r.output, '', what);
}

// ---------- G1 arithmetic in plain BigInt (affine; null is infinity), independent of @noble/curves

type Pt = { x: bigint; y: bigint } | null;
const mod = (a: bigint, m = P) => ((a % m) + m) % m;
function inv(a: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a), P, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0);
}
function g1Add(a: Pt, b: Pt): Pt {
  if (!a) return b;
  if (!b) return a;
  if (a.x === b.x && mod(a.y + b.y) === 0n) return null;
  const l = a.x === b.x ? mod(3n * a.x * a.x * inv(2n * a.y)) : mod((b.y - a.y) * inv(b.x - a.x));
  const x = mod(l * l - a.x - b.x);
  return { x, y: mod(l * (a.x - x) - a.y) };
}
function g1Mul(p: Pt, k: bigint): Pt {
  let acc: Pt = null;
  for (let add = p; k > 0n; k >>= 1n, add = g1Add(add, add)) if (k & 1n) acc = g1Add(acc, add);
  return acc;
}
const g1Neg = (p: Pt): Pt => (p ? { x: p.x, y: mod(-p.y) } : null);
const enc = (p: Pt) => (p ? w(p.x) + w(p.y) : w(0n) + w(0n));
const G: Pt = { x: 1n, y: 2n };
const onCurve = (p: { x: bigint; y: bigint }) => mod(p.y * p.y) === mod(p.x ** 3n + 3n);

// ---------- G2: the EIP-197 generator, in the encoding order (x_im, x_re, y_im, y_re)

const G2_HEX =
  '198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2' +
  '1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed' +
  '090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b' +
  '12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa';
type G2P = typeof bn254.G2.Point.BASE;
const encG2 = (q: G2P) => {
  if (q.is0()) return w(0n).repeat(4);
  const { x, y } = q.toAffine();
  return w(x.c1) + w(x.c0) + w(y.c1) + w(y.c0);
};
const G2_INF = w(0n).repeat(4);

/** A point on the twist outside the order-r subgroup: x = (c, 0) for the first c with x^3 + b a square. */
function g2OffSubgroup(): string {
  const { Fp2 } = bn254.fields;
  const b = bn254.G2.Point.CURVE().b;
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
    const q = bn254.G2.Point.fromAffine({ x, y });
    // r * q != 0: not in the subgroup (the cofactor is huge, so this is the rule, not the exception)
    if (q.multiplyUnsafe(R - 1n).add(q).is0()) continue;
    return w(0n) + w(c) + w(y.c1) + w(y.c0);
  }
}
const G2_BAD = g2OffSubgroup();

// ---------- EIP-152 vectors

const B2_BODY =
  '48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b' +
  '616263' + '00'.repeat(125) + // m: "abc"
  '0300000000000000' + '0000000000000000'; // t = 3
const b2 = (rounds: string, f: string) => rounds + B2_BODY + f;
const EIP152: Array<[string, string, string, number]> = [
  ['vector 4: 0 rounds', b2('00000000', '01'), '08c9bcf367e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d282e6ad7f520e511f6c3e2b8c68059b9442be0454267ce079217e1319cde05b', 0],
  ['vector 5: 12 rounds', b2('0000000c', '01'), 'ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923', 12],
  ['vector 6: 12 rounds, not final', b2('0000000c', '00'), '75ab69d3190a562c51aef8d88f1c2775876944407270c42c9844252c26d2875298743e7f6d5ea2f2d3e8d226039cd31b4e426ac4f2d3d666a610c2116fde4735', 12],
  ['vector 7: 1 round', b2('00000001', '01'), 'b63a380cb2897d521994a85234ee2c181b5f844d2c624c002677e9703449d2fba551b3a8333bcdf5f2f7e08993d53923de3d64fcc68c034e717b9293fed7a421', 1],
];
const B2_V8 = b2('ffffffff', '01');

test('blake2f: EIP-152 vectors 4-7, gas = rounds, from Istanbul only', () => {
  for (const fork of ['istanbul', 'cancun', 'prague'] as Fork[]) {
    for (const [what, input, out, rounds] of EIP152) {
      assertOk(run(fork, 9, input), out, rounds, `${fork} ${what}`);
      // exactly the price is enough, one less is out of gas
      assertOk(run(fork, 9, input, rounds), out, rounds, `${fork} ${what} with exact gas`);
      if (rounds > 0) assertFails(run(fork, 9, input, rounds - 1), `${fork} ${what} with too little gas`);
    }
  }
  assert.equal(precompiles('petersburg').has(pcAddr(9)), false);
  assert.equal(precompiles('istanbul').has(pcAddr(9)), true);
});

test('blake2f: EIP-152 vector 8 (2^32 - 1 rounds) is out of gas; vectors 0-3 (bad length, bad flag) fail', () => {
  assertFails(run('cancun', 9, B2_V8, 30_000_000), 'vector 8');
  assertFails(run('cancun', 9, B2_V8, 0xfffffffe), 'vector 8 one gas short');
  assertFails(run('cancun', 9, ''), 'vector 0: empty');
  assertFails(run('cancun', 9, b2('0000000c', '01').slice(2)), 'vector 1: 212 bytes');
  assertFails(run('cancun', 9, b2('000000000c', '01')), 'vector 2: 214 bytes');
  assertFails(run('cancun', 9, b2('0000000c', '02')), 'vector 3: final flag 2');
  assertFails(run('cancun', 9, b2('00000000', 'ff')), 'final flag 0xff, 0 rounds');
  assertFails(run('cancun', 9, b2('00000000', '01') + '00'), '214 bytes, 0 rounds');
});

// ---------- bn254 add

const CHFAST_ADD_IN =
  '18b18acfb4c2c30276db5411368e7185b311dd124691610c5d3b74034e093dc9063c909c4720840cb5134cb9f59fa749755796819658d32efc0d288198f37266' +
  '07c2b7f58a84bd6145f00c9c2bc0bb1a187f20ff2c92963a88019e7c6a014eed06614e20c147e940f2d70da3f74c9a17df361706a4485c742bd6788478fa17d7';
const CHFAST_ADD_OUT = '2243525c5efd4b9c3d3c45ac0ca3fe4dd85e830a4ce6b65fa1eeaee202839703301d1d33be6da8e509df21cc35964723180eed7532537db9ae5e7d48f195c915';

test('bn254 add: the go-ethereum chfast1 vector agrees with plain BigInt arithmetic; gas 500 before Istanbul, 150 from it', () => {
  const a = { x: BigInt('0x' + CHFAST_ADD_IN.slice(0, 64)), y: BigInt('0x' + CHFAST_ADD_IN.slice(64, 128)) };
  const b = { x: BigInt('0x' + CHFAST_ADD_IN.slice(128, 192)), y: BigInt('0x' + CHFAST_ADD_IN.slice(192, 256)) };
  assert.ok(onCurve(a) && onCurve(b));
  assert.equal(enc(g1Add(a, b)), CHFAST_ADD_OUT);
  for (const [fork, gas] of [['byzantium', 500], ['petersburg', 500], ['istanbul', 150], ['cancun', 150], ['prague', 150]] as const) {
    assertOk(run(fork, 6, CHFAST_ADD_IN), CHFAST_ADD_OUT, gas, fork);
    assertOk(run(fork, 6, CHFAST_ADD_IN, gas), CHFAST_ADD_OUT, gas, `${fork} exact gas`);
    assertFails(run(fork, 6, CHFAST_ADD_IN, gas - 1), `${fork} out of gas`);
  }
  assert.equal(precompiles('spuriousDragon').has(pcAddr(6)), false);
});

test('bn254 add: G + G = 2G = mul(G, 2); infinity; padding and truncation', () => {
  const g2x = enc(g1Mul(G, 2n));
  const g = enc(G);
  assertOk(run('cancun', 6, g + g), g2x, 150, 'G + G');
  assertOk(run('cancun', 7, g + w(2n)), g2x, 6000, 'mul(G, 2)');
  assertOk(run('cancun', 6, g + enc(g1Neg(G))), enc(null), 150, 'G + -G');
  assertOk(run('cancun', 6, enc(null) + g), g, 150, 'O + G');
  assertOk(run('cancun', 6, ''), enc(null), 150, 'empty input: O + O');
  assertOk(run('cancun', 6, g), g, 150, '64 bytes: the second point is zero-padded to O');
  assertFails(run('cancun', 6, g + g.slice(0, 126)), '127 bytes: the second point G is padded to (1, 0), off the curve');
  assertOk(run('cancun', 6, g + g + 'ff'.repeat(50)), g2x, 150, 'bytes past 128 are ignored');
  const p5 = g1Mul(G, 5n);
  const p7 = g1Mul(G, 7n);
  assertOk(run('cancun', 6, enc(p5) + enc(p7)), enc(g1Mul(G, 12n)), 150, '5G + 7G');
});

test('bn254 add: invalid points fail (not on the curve, a coordinate >= p)', () => {
  const g = enc(G);
  assertFails(run('cancun', 6, w(1n) + w(1n) + g), '(1, 1) is not on the curve');
  assertFails(run('cancun', 6, g + w(1n) + w(3n)), 'second point (1, 3) is not on the curve');
  assertFails(run('cancun', 6, '11'.repeat(128)), '0x11...');
  assertFails(run('cancun', 6, w(P + 1n) + w(2n) + g), 'x = p + 1 (G if reduced)');
  assertFails(run('cancun', 6, w(1n) + w(P + 2n) + g), 'y = p + 2 (G if reduced)');
  assertFails(run('cancun', 6, w(P) + w(0n) + g), '(p, 0) (infinity if reduced)');
  assertFails(run('cancun', 6, w(0n) + w(P) + g), '(0, p)');
  assertFails(run('cancun', 6, w(0n) + w(1n) + g), '(0, 1) is not infinity and not on the curve');
  assertFails(run('byzantium', 6, g + w(1n)), 'second point (1, 0) after padding');
  assertFails(run('cancun', 6, w(5n) + w(0n)), '(5, 0): y = 0 is never on the curve');
  assertFails(run('cancun', 7, w(5n) + w(0n) + w(1n)), 'mul (5, 0)');
  assertFails(run('cancun', 8, w(5n) + w(0n) + G2_HEX), 'pairing G1 (5, 0)');
  assertFails(run('cancun', 8, enc(G) + G2_HEX.slice(0, 128) + w(0n) + w(0n)), 'pairing G2 with y = 0');
  assertFails(run('cancun', 8, enc(G) + w(0n) + w(0n) + G2_HEX.slice(128)), 'pairing G2 with x = 0, y != 0');
});

// ---------- bn254 mul

const CHFAST_MUL_IN =
  '2bd3e6d0f3b142924f5ca7b49ce5b9d54c4703d7ae5648e61d02268b1a0a9fb721611ce0a6af85915e2f1d70300909ce2e49dfad4a4619c8390cae66cefdb204' +
  '00000000000000000000000000000000000000000000000011138ce750fa15c2';
const CHFAST_MUL_OUT = '070a8d6a982153cae4be29d434e8faef8a47b274a053f5a4ee2a6c9c13c31e5c031b8ce914eba3a9ffb989f9cdd5b0f01943074bf4f0f315690ec3cec6981afc';

test('bn254 mul: the go-ethereum chfast1 vector agrees with plain BigInt arithmetic; gas 40000 before Istanbul, 6000 from it', () => {
  const p = { x: BigInt('0x' + CHFAST_MUL_IN.slice(0, 64)), y: BigInt('0x' + CHFAST_MUL_IN.slice(64, 128)) };
  assert.equal(enc(g1Mul(p, BigInt('0x' + CHFAST_MUL_IN.slice(128)))), CHFAST_MUL_OUT);
  for (const [fork, gas] of [['byzantium', 40000], ['petersburg', 40000], ['istanbul', 6000], ['cancun', 6000]] as const) {
    assertOk(run(fork, 7, CHFAST_MUL_IN), CHFAST_MUL_OUT, gas, fork);
    assertOk(run(fork, 7, CHFAST_MUL_IN, gas), CHFAST_MUL_OUT, gas, `${fork} exact gas`);
    assertFails(run(fork, 7, CHFAST_MUL_IN, gas - 1), `${fork} out of gas`);
  }
});

test('bn254 mul: the group order, edge scalars, infinity, padding', () => {
  const g = enc(G);
  assertOk(run('cancun', 7, g + w(R)), enc(null), 6000, 'G * r = O');
  assertOk(run('cancun', 7, g + w(R + 1n)), g, 6000, 'G * (r + 1) = G');
  assertOk(run('cancun', 7, g + w(R - 1n)), enc(g1Neg(G)), 6000, 'G * (r - 1) = -G');
  assertOk(run('cancun', 7, g + w(0n)), enc(null), 6000, 'G * 0 = O');
  assertOk(run('cancun', 7, g + w(1n)), g, 6000, 'G * 1 = G');
  assertOk(run('cancun', 7, g + w(M256)), enc(g1Mul(G, M256)), 6000, 'G * (2^256 - 1)');
  const q = g1Mul(G, 0xdeadbeefn);
  const s = 0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdefn;
  assertOk(run('cancun', 7, enc(q) + w(s)), enc(g1Mul(q, s)), 6000, 'a random multiple');
  assertOk(run('cancun', 7, enc(null) + w(5n)), enc(null), 6000, 'O * 5 = O');
  assertOk(run('cancun', 7, ''), enc(null), 6000, 'empty input');
  assertOk(run('cancun', 7, g), enc(null), 6000, '64 bytes: the scalar is zero-padded to 0');
  assertOk(run('cancun', 7, g + '02'), enc(g1Mul(G, 2n << 248n)), 6000, 'a 1-byte scalar is padded on the right: 2 << 248');
  assertOk(run('cancun', 7, g + w(3n) + 'ff'.repeat(40)), enc(g1Mul(G, 3n)), 6000, 'bytes past 96 are ignored');
});

test('bn254 mul: invalid points fail, whatever the scalar', () => {
  assertFails(run('cancun', 7, w(1n) + w(1n) + w(2n)), '(1, 1)');
  assertFails(run('cancun', 7, w(1n) + w(1n) + w(0n)), '(1, 1) times 0');
  assertFails(run('cancun', 7, w(P + 1n) + w(2n) + w(1n)), 'x = p + 1');
  assertFails(run('cancun', 7, '11'.repeat(64) + '0f' + '00'.repeat(31)), '0x11...');
});

// ---------- bn254 pairing

/** go-ethereum's jeff1 vector (2 pairs, true). */
const JEFF1 =
  '1c76476f4def4bb94541d57ebba1193381ffa7aa76ada664dd31c16024c43f593034dd2920f673e204fee2811c678745fc819b55d3e9d294e45c9b03a76aef41' +
  '209dd15ebff5d46c4bd888e51a93cf99a7329636c63514396b4a452003a35bf704bf11ca01483bfa8b34b43561848d28905960114c8ac04049af4b6315a41678' +
  '2bb8324af6cfc93537a2ad1a445cfd0ca2a71acd7ac41fadbf933c2a51be344d120a2a4cf30c1bf9845f20c6fe39e07ea2cce61f0c9bb048165fe5e4de877550' +
  '111e129f1cf1097710d41c4ac70fcdfa5ba2023c6ff1cbeac322de49d1b6df7c2032c61a830e3c17286de9462bf242fca2883585b93870a73853face6a6bf411' +
  G2_HEX;
const TRUE = w(1n);
const FALSE = w(0n);

test('bn254 pairing: the EIP-197 generator matches @noble/curves; known true and false inputs; gas per EIP-197 and EIP-1108', () => {
  assert.equal(encG2(bn254.G2.Point.BASE), G2_HEX);
  assertOk(run('byzantium', 8, JEFF1), TRUE, 100000 + 2 * 80000, 'jeff1, Byzantium');
  assertOk(run('istanbul', 8, JEFF1), TRUE, 45000 + 2 * 34000, 'jeff1, Istanbul');
  assertOk(run('cancun', 8, JEFF1, 45000 + 2 * 34000), TRUE, 113000, 'jeff1, exact gas');
  assertFails(run('cancun', 8, JEFF1, 45000 + 2 * 34000 - 1), 'jeff1, out of gas');
  assertFails(run('byzantium', 8, JEFF1, 259999), 'jeff1, Byzantium, out of gas');
  assertOk(run('byzantium', 8, ''), TRUE, 100000, 'empty input, Byzantium');
  assertOk(run('cancun', 8, ''), TRUE, 45000, 'empty input, Istanbul+');
  assertOk(run('cancun', 8, enc(G) + G2_HEX), FALSE, 79000, 'e(G1, G2) alone is not 1');
});

test('bn254 pairing: e(P, Q) * e(-P, Q) = 1, bilinearity, infinity in either slot', () => {
  const p = g1Mul(G, 5n);
  const q = G2_HEX;
  const q3 = encG2(bn254.G2.Point.BASE.multiply(3n));
  assertOk(run('cancun', 8, enc(p) + q + enc(g1Neg(p)) + q), TRUE, 45000 + 2 * 34000, 'e(P, Q) e(-P, Q)');
  assertOk(run('cancun', 8, enc(p) + q + enc(p) + q), FALSE, 45000 + 2 * 34000, 'e(P, Q)^2');
  assertOk(run('cancun', 8, enc(g1Mul(G, 15n)) + q + enc(g1Neg(p)) + q3), TRUE, 113000, 'e(15 G, Q) e(-5 G, 3 Q)');
  assertOk(run('cancun', 8, enc(g1Mul(G, 16n)) + q + enc(g1Neg(p)) + q3), FALSE, 113000, 'e(16 G, Q) e(-5 G, 3 Q)');
  assertOk(run('cancun', 8, enc(null) + q), TRUE, 79000, 'e(O, Q)');
  assertOk(run('cancun', 8, enc(p) + G2_INF), TRUE, 79000, 'e(P, O)');
  assertOk(run('cancun', 8, enc(null) + G2_INF), TRUE, 79000, 'e(O, O)');
  assertOk(run('cancun', 8, enc(p) + q + enc(null) + q3 + enc(g1Neg(p)) + q), TRUE, 45000 + 3 * 34000, 'an infinity pair in the middle');
  assertOk(run('cancun', 8, enc(p) + q + enc(null) + q3), FALSE, 113000, 'e(P, Q) e(O, 3Q)');
});

test('bn254 pairing: bad length, invalid G1, G2 off the twist, out of the subgroup, swapped, or >= p fail', () => {
  const p = enc(g1Mul(G, 5n));
  assertFails(run('cancun', 8, JEFF1.slice(0, -2)), '383 bytes');
  assertFails(run('cancun', 8, JEFF1 + '00'), '385 bytes');
  assertFails(run('cancun', 8, '00'.repeat(191)), '191 zero bytes');
  assertFails(run('cancun', 8, '00'.repeat(193)), '193 zero bytes');
  assertFails(run('cancun', 8, '11'.repeat(192)), '0x11...');
  assertFails(run('cancun', 8, w(1n) + w(1n) + G2_HEX), 'G1 (1, 1)');
  assertFails(run('cancun', 8, w(P + 1n) + w(2n) + G2_HEX), 'G1 x = p + 1');
  assertFails(run('cancun', 8, p + G2_BAD), 'G2 on the twist, not in the subgroup');
  assertFails(run('cancun', 8, enc(null) + G2_BAD), 'G2 not in the subgroup, paired with O: still checked');
  assertFails(run('cancun', 8, w(1n) + w(1n) + G2_INF), 'invalid G1 paired with O: still checked');
  const swapped = G2_HEX.slice(64, 128) + G2_HEX.slice(0, 64) + G2_HEX.slice(192) + G2_HEX.slice(128, 192);
  assertFails(run('cancun', 8, p + swapped), 'G2 with (real, imaginary) order is off the twist');
  const qBadY = G2_HEX.slice(0, 192) + w(BigInt('0x' + G2_HEX.slice(192)) + 1n);
  assertFails(run('cancun', 8, p + qBadY), 'G2 off the twist');
  const qXim = w(BigInt('0x' + G2_HEX.slice(0, 64)) + P) + G2_HEX.slice(64);
  assertFails(run('cancun', 8, p + qXim), 'G2 x_im + p');
  const qYre = G2_HEX.slice(0, 192) + w(BigInt('0x' + G2_HEX.slice(192)) + P);
  assertFails(run('cancun', 8, p + qYre), 'G2 y_re + p');
  assertFails(run('cancun', 8, JEFF1 + p + G2_BAD), 'a bad third pair after two good ones');
  // the failure consumes all gas, like out-of-gas: the price is not what decides
  assertFails(run('byzantium', 8, '00'.repeat(191), 10_000_000), 'bad length with plenty of gas');
});

test('0x0a (KZG) and 0x0b-0x11 (BLS12-381) are still unsupported', () => {
  const pc = precompiles('prague');
  for (const n of [0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11]) {
    assert.throws(() => pc.get(pcAddr(n))!(new Uint8Array(0), 1_000_000, 'prague'), EvmUnsupportedError, `0x${n.toString(16)}`);
  }
});

// ---------- cross-check with @ethereumjs/evm: whole calls through bytecode

/**
 * Code that writes `input` to memory at 0, CALLs or STATICCALLs precompile `n` with `gas` (or all
 * the gas left), then returns [success flag, RETURNDATASIZE, return data].
 */
function caller(n: number, input: string, gas: number | undefined, kind: 'CALL' | 'STATICCALL'): Uint8Array {
  const hex = strip(input);
  const len = hex.length / 2;
  let src = '';
  for (let i = 0; i < hex.length; i += 64) src += `PUSH32 0x${hex.slice(i, i + 64).padEnd(64, '0')} PUSH ${i / 2} MSTORE `;
  src += `PUSH1 0 PUSH1 0 PUSH ${len} PUSH1 0 ${kind === 'CALL' ? 'PUSH1 0 ' : ''}PUSH1 ${n} ${gas === undefined ? 'GAS' : `PUSH ${gas}`} ${kind} `;
  src += 'PUSH1 0 MSTORE RETURNDATASIZE PUSH1 32 MSTORE RETURNDATASIZE PUSH1 0 PUSH1 64 RETURNDATACOPY RETURNDATASIZE PUSH1 64 ADD PUSH1 0 RETURN';
  return assemble(src);
}

const summary = (r: CallResult) => ({ status: r.status, returnData: bytesToHex(r.returnData), gasUsed: r.gasUsed });

/** The spec's price of a call (undefined where the address is no precompile). */
function price(fork: Fork, n: number, input: string): number | undefined {
  const ist = fork !== 'byzantium';
  const len = strip(input).length / 2;
  if (n === 6) return ist ? 150 : 500;
  if (n === 7) return ist ? 6000 : 40000;
  if (n === 8) return ist ? 45000 + 34000 * Math.floor(len / 192) : 100000 + 80000 * Math.floor(len / 192);
  if (n === 9 && ist) return len >= 4 ? parseInt(strip(input).slice(0, 8), 16) : 0;
  return undefined;
}

test('precompiles 6-9 agree with @ethereumjs/evm on byzantium, istanbul, cancun and prague (status, return data, gas used)', () => {
  const g = enc(G);
  const p = g1Mul(G, 5n);
  const q3 = encG2(bn254.G2.Point.BASE.multiply(3n));
  const cases: Array<[number, string, string]> = [
    [6, CHFAST_ADD_IN, 'add chfast1'],
    [6, g + g, 'add G + G'],
    [6, g + enc(g1Neg(G)), 'add G + -G'],
    [6, '', 'add empty'],
    [6, g, 'add 64 bytes'],
    [6, g + g + 'ff'.repeat(40), 'add 168 bytes'],
    [6, w(1n) + w(1n) + g, 'add not on curve'],
    [6, w(P + 1n) + w(2n) + g, 'add x >= p'],
    [6, g + w(5n) + w(0n), 'add y = 0'],
    [6, g + g.slice(0, 126), 'add 127 bytes'],
    [7, CHFAST_MUL_IN, 'mul chfast1'],
    [7, g + w(R), 'mul by r'],
    [7, g + w(M256), 'mul by 2^256 - 1'],
    [7, g + w(0n), 'mul by 0'],
    [7, g + '02', 'mul short scalar'],
    [7, enc(null) + w(7n), 'mul O'],
    [7, w(1n) + w(1n) + w(2n), 'mul not on curve'],
    [8, '', 'pairing empty'],
    [8, JEFF1, 'pairing jeff1'],
    [8, enc(G) + G2_HEX, 'pairing e(G1, G2)'],
    [8, enc(g1Mul(G, 15n)) + G2_HEX + enc(g1Neg(p)) + q3, 'pairing bilinear'],
    [8, enc(null) + G2_HEX + enc(p) + G2_INF, 'pairing infinities'],
    [8, JEFF1.slice(0, -2), 'pairing 383 bytes'],
    [8, enc(p) + G2_BAD, 'pairing G2 not in subgroup'],
    [8, enc(p) + G2_HEX.slice(64, 128) + G2_HEX.slice(0, 64) + G2_HEX.slice(192) + G2_HEX.slice(128, 192), 'pairing G2 swapped'],
    [8, w(P + 1n) + w(2n) + G2_HEX, 'pairing G1 x >= p'],
    [8, enc(G) + G2_HEX.slice(0, 128) + w(0n) + w(0n), 'pairing G2 y = 0'],
    [8, enc(null) + G2_BAD, 'pairing O with a G2 not in the subgroup'],
    ...EIP152.map(([what, input]) => [9, input, `blake2f ${what}`] as [number, string, string]),
    [9, B2_V8, 'blake2f vector 8'],
    [9, '', 'blake2f empty'],
    [9, b2('0000000c', '02'), 'blake2f flag 2'],
    [9, b2('0000000c', '01').slice(2), 'blake2f 212 bytes'],
    [9, b2('0000000c', '01') + '00', 'blake2f 214 bytes'],
  ];
  let runs = 0;
  for (const fork of ['byzantium', 'istanbul', 'cancun', 'prague'] as Fork[]) {
    cases.forEach(([n, input, what], i) => {
      const cost = price(fork, n, input);
      const gases: Array<number | undefined> = [undefined, 100_000];
      // the boundary: exactly the price, and one gas less (the latter never computes, so it is cheap)
      if (cost !== undefined && cost < 5_000_000) gases.push(cost, ...(cost > 0 ? [cost - 1] : []));
      for (const gas of gases) {
        const kind = (i + (gas ?? 0)) % 2 === 0 ? 'CALL' : 'STATICCALL';
        const c: MessageCall = { fork, code: caller(n, input, gas, kind), caller: C, address: A, gasLimit: 5_000_000, preState: {} };
        const ours = summary(runMessageCall(evmInterpEngine, c));
        assert.deepEqual(summary(runMessageCall(ethereumjsEngine, c)), ours, `${fork} ${what} gas ${gas ?? 'all'} ${kind}`);
        assert.equal(ours.status, 'success', `${fork} ${what}: the caller itself succeeds`);
        if (gas === undefined && cost !== undefined && cost < 1_000_000) {
          // and the call saw what the precompile gives directly
          const direct = run(fork, n, input);
          assert.equal(ours.returnData, '0x' + w(direct.ok ? 1n : 0n) + w(BigInt(direct.output.length / 2)) + direct.output, `${fork} ${what}`);
        }
        runs++;
      }
    });
  }
  assert.ok(runs > 300);
});
