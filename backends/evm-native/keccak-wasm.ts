/**
 * KECCAK256 in the module: keccak-f[1600] over 25 i64 lanes in locals (WebAssembly has the 64-bit
 * rotates and xors that JavaScript lacks), absorbing straight from the EVM memory window. Added
 * only to modules whose code hashes. The state lives in scratch memory between permutations; the
 * round constants are written there once by the engine (KECCAK_ROUND_CONSTANTS in layout.ts).
 *
 * keccak256(ptr, len): the hash of len bytes at ptr, as an EVM word in r0..r3 (limb 0 least
 * significant: the digest's big-endian bytes, so limb k is lane 3-k byte-swapped).
 */
import binaryen from 'binaryen';
import { SCRATCH_KECCAK_PAD, SCRATCH_KECCAK_RC, SCRATCH_KECCAK_STATE } from './layout.js';
import { bswapLocal, Locals, RESULT_GLOBALS } from './u256-wasm.js';

const i32 = binaryen.i32;
const i64 = binaryen.i64;
type Expr = binaryen.ExpressionRef;

export const HELPER_KECCAK = 'keccak256';
const PERMUTE = 'keccak_f';
const RATE = 136;


/** Rotation offsets r[x][y] of the rho step. */
const ROT = [
  [0, 36, 3, 41, 18],
  [1, 44, 10, 45, 2],
  [62, 6, 43, 15, 61],
  [28, 55, 25, 21, 56],
  [27, 20, 39, 8, 14],
];

export function addKeccak(m: binaryen.Module): void {
  addPermute(m);
  addKeccak256(m);
}

/** keccak_f(): 24 rounds on the state in scratch memory. */
function addPermute(m: binaryen.Module): void {
  const L = new Locals(0);
  const add = (t: number) => L.add(t);
  const a = Array.from({ length: 25 }, () => add(i64));
  const b = Array.from({ length: 25 }, () => add(i64));
  const c = Array.from({ length: 5 }, () => add(i64));
  const d = add(i64);
  const round = add(i32);
  const get = (l: number) => m.local.get(l, i64);
  const rotl = (e: Expr, n: number) => (n === 0 ? e : m.i64.rotl(e, m.i64.const(BigInt(n))));
  const body: Expr[] = [];
  for (let k = 0; k < 25; k++) body.push(m.local.set(a[k]!, m.i64.load(k * 8, 8, m.i32.const(SCRATCH_KECCAK_STATE))));
  body.push(m.local.set(round, m.i32.const(0)));
  const r: Expr[] = [];
  // theta
  for (let x = 0; x < 5; x++) r.push(m.local.set(c[x]!, m.i64.xor(m.i64.xor(m.i64.xor(get(a[x]!), get(a[x + 5]!)), m.i64.xor(get(a[x + 10]!), get(a[x + 15]!))), get(a[x + 20]!))));
  for (let x = 0; x < 5; x++) {
    r.push(m.local.set(d, m.i64.xor(get(c[(x + 4) % 5]!), rotl(get(c[(x + 1) % 5]!), 1))));
    for (let y = 0; y < 5; y++) r.push(m.local.set(a[x + 5 * y]!, m.i64.xor(get(a[x + 5 * y]!), get(d))));
  }
  // rho and pi
  for (let x = 0; x < 5; x++) for (let y = 0; y < 5; y++) r.push(m.local.set(b[y + 5 * ((2 * x + 3 * y) % 5)]!, rotl(get(a[x + 5 * y]!), ROT[x]![y]!)));
  // chi
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 5; x++) {
      r.push(m.local.set(a[x + 5 * y]!, m.i64.xor(get(b[x + 5 * y]!), m.i64.and(m.i64.xor(get(b[((x + 1) % 5) + 5 * y]!), m.i64.const(-1n)), get(b[((x + 2) % 5) + 5 * y]!)))));
    }
  }
  // iota
  r.push(m.local.set(a[0]!, m.i64.xor(get(a[0]!), m.i64.load(0, 8, m.i32.add(m.i32.const(SCRATCH_KECCAK_RC), m.i32.shl(m.local.get(round, i32), m.i32.const(3)))))));
  r.push(m.local.set(round, m.i32.add(m.local.get(round, i32), m.i32.const(1))));
  r.push(m.br('rounds', m.i32.lt_u(m.local.get(round, i32), m.i32.const(24))));
  body.push(m.loop('rounds', m.block(null, r)));
  for (let k = 0; k < 25; k++) body.push(m.i64.store(k * 8, 8, m.i32.const(SCRATCH_KECCAK_STATE), get(a[k]!)));
  m.addFunction(PERMUTE, binaryen.none, binaryen.none, L.vars, m.block(null, body));
}

/** keccak256(ptr, len) -> r0..r3. */
function addKeccak256(m: binaryen.Module): void {
  const PTR = 0, LEN = 1;
  const L = new Locals(2);
  const add = (t: number) => L.add(t);
  const I = add(i32);
  const T = add(i64);
  const st = (k: number) => m.i32.const(SCRATCH_KECCAK_STATE + k * 8);
  /** state[k] ^= the lane at src + 8k, for the 17 lanes of the rate. */
  const absorb = (src: () => Expr): Expr[] => {
    const out: Expr[] = [];
    for (let k = 0; k < RATE / 8; k++) out.push(m.i64.store(0, 8, st(k), m.i64.xor(m.i64.load(0, 8, st(k)), m.i64.load(k * 8, 1, src()))));
    out.push(m.call(PERMUTE, [], binaryen.none));
    return out;
  };
  const body: Expr[] = [];
  for (let k = 0; k < 25; k++) body.push(m.i64.store(0, 8, st(k), m.i64.const(0n)));
  // full blocks straight from memory
  body.push(
    m.block('full_done', [
      m.loop('full', m.block(null, [
        m.br('full_done', m.i32.lt_u(m.local.get(LEN, i32), m.i32.const(RATE))),
        ...absorb(() => m.local.get(PTR, i32)),
        m.local.set(PTR, m.i32.add(m.local.get(PTR, i32), m.i32.const(RATE))),
        m.local.set(LEN, m.i32.sub(m.local.get(LEN, i32), m.i32.const(RATE))),
        m.br('full', m.i32.const(1)),
      ])),
    ]),
  );
  // the last, padded block: the rest of the bytes, 0x01 after them, 0x80 in the last byte
  for (let k = 0; k < RATE / 8; k++) body.push(m.i64.store(k * 8, 8, m.i32.const(SCRATCH_KECCAK_PAD), m.i64.const(0n)));
  body.push(m.local.set(I, m.i32.const(0)));
  body.push(
    m.block('copy_done', [
      m.loop('copy', m.block(null, [
        m.br('copy_done', m.i32.ge_u(m.local.get(I, i32), m.local.get(LEN, i32))),
        m.i32.store8(0, 1, m.i32.add(m.i32.const(SCRATCH_KECCAK_PAD), m.local.get(I, i32)), m.i32.load8_u(0, 1, m.i32.add(m.local.get(PTR, i32), m.local.get(I, i32)))),
        m.local.set(I, m.i32.add(m.local.get(I, i32), m.i32.const(1))),
        m.br('copy', m.i32.const(1)),
      ])),
    ]),
  );
  const padAt = (e: Expr) => m.i32.add(m.i32.const(SCRATCH_KECCAK_PAD), e);
  body.push(m.i32.store8(0, 1, padAt(m.local.get(LEN, i32)), m.i32.xor(m.i32.load8_u(0, 1, padAt(m.local.get(LEN, i32))), m.i32.const(0x01))));
  body.push(m.i32.store8(0, 1, padAt(m.i32.const(RATE - 1)), m.i32.xor(m.i32.load8_u(0, 1, padAt(m.i32.const(RATE - 1))), m.i32.const(0x80))));
  body.push(...absorb(() => m.i32.const(SCRATCH_KECCAK_PAD)));
  // digest bytes 0..31 are lanes 0..3 little-endian; the EVM word reads them big-endian
  for (let k = 0; k < 4; k++) {
    body.push(m.local.set(T, m.i64.load(0, 8, st(3 - k))));
    body.push(...bswapLocal(m, T), m.global.set(RESULT_GLOBALS[k]!, m.local.get(T, i64)));
  }
  m.addFunction(HELPER_KECCAK, binaryen.createType([i32, i32]), binaryen.none, L.vars, m.block(null, body));
}
