/**
 * 256-bit words as 8 little-endian 32-bit limbs inside a Uint32Array (limb 0 is the least
 * significant). Every operation takes the array and the offsets of its operands and result, so an
 * engine keeps its whole stack in one Uint32Array and computes in place: no allocation on the hot
 * path: every arithmetic, comparison, bitwise and shift opcode, EXP, and the memory and PUSH
 * conversions work on limbs (MUL and the divisions through base-2^24 digits in doubles, exact
 * below 2^53; DIV/MOD/ADDMOD/MULMOD by Knuth's algorithm D). The slow paths of the division
 * family, ADDMOD, MULMOD and EXP run in WebAssembly when it is available (the routines evm-native
 * compiles into its modules, see wasmArithmetic below), 3-8x faster. Operands and result may alias (the
 * result slot is usually one of the operands). BigInt appears only in the bridge functions
 * (toBigInt/fromBigInt) that the engines use at the state boundary (storage, balances, block
 * values). Swapping the representation means replacing this module and the engines' inline
 * stack moves; the core above it (state, host, gas) speaks bigint.
 */

import { U256_WASM_BASE64 } from './u256-wasm-binary.js';

const TWO32 = 4294967296;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const INV24 = 1 / 16777216; // exact: a power of two

// ----------------------------------------------------------------------------- WebAssembly slow paths

/**
 * The standalone arithmetic module (backends/evm-native/u256-standalone.ts): operand words at
 * bytes 0, 32, 64 of its memory, the result at 96, as 8 little-endian 32-bit limbs like here.
 */
interface WasmArith {
  memory: WebAssembly.Memory;
  divmod(mode: number): void;
  sdivmod(mode: number): void;
  addmod(): void;
  mulmod(): void;
  exp(): void;
  modexp(): void;
}

/** undefined: not instantiated yet; null: not used (no WebAssembly, e.g. --jitless, or turned off). */
let wasm: WasmArith | null | undefined;
let WV = new Uint32Array(0);
// JITBENCH_EVM_WASM_ARITH=0 keeps every slow path in JavaScript (to measure the two against each other)
let wasmWanted = process.env['JITBENCH_EVM_WASM_ARITH'] !== '0';

function wasmArith(): WasmArith | null {
  if (wasm !== undefined) return wasm;
  if (!wasmWanted || typeof WebAssembly === 'undefined') return (wasm = null);
  const bytes = Uint8Array.from(atob(U256_WASM_BASE64), (c) => c.charCodeAt(0));
  wasm = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as WasmArith;
  WV = new Uint32Array(wasm.memory.buffer); // one fixed page: the buffer never detaches
  return wasm;
}

/** Use the WebAssembly slow paths (when available) or keep everything in JavaScript; returns whether they are used. */
export function setWasmArithmetic(on: boolean): boolean {
  wasmWanted = on;
  wasm = undefined;
  return wasmArith() !== null;
}

/** Copy `n` operand words into the module's memory (operand i at word i). */
function wasmIn(w: Uint32Array, a: number, b: number, c: number, n: number): void {
  for (let i = 0; i < 8; i++) {
    WV[i] = w[a + i]!;
    WV[8 + i] = w[b + i]!;
  }
  if (n === 3) for (let i = 0; i < 8; i++) WV[16 + i] = w[c + i]!;
}

function wasmOut(w: Uint32Array, r: number): void {
  for (let i = 0; i < 8; i++) w[r + i] = WV[24 + i]!;
}

// ----------------------------------------------------------------------------- basic moves

export function copy(w: Uint32Array, src: number, dst: number): void {
  w[dst] = w[src]!;
  w[dst + 1] = w[src + 1]!;
  w[dst + 2] = w[src + 2]!;
  w[dst + 3] = w[src + 3]!;
  w[dst + 4] = w[src + 4]!;
  w[dst + 5] = w[src + 5]!;
  w[dst + 6] = w[src + 6]!;
  w[dst + 7] = w[src + 7]!;
}

/** Copy a word between two arrays. */
export function copyFrom(src: Uint32Array, s: number, dst: Uint32Array, d: number): void {
  for (let i = 0; i < 8; i++) dst[d + i] = src[s + i]!;
}

export function setZero(w: Uint32Array, r: number): void {
  w[r] = 0;
  w[r + 1] = 0;
  w[r + 2] = 0;
  w[r + 3] = 0;
  w[r + 4] = 0;
  w[r + 5] = 0;
  w[r + 6] = 0;
  w[r + 7] = 0;
}

/** Set a word to a non-negative integer below 2^53. */
export function setNumber(w: Uint32Array, r: number, v: number): void {
  const lo = v >>> 0;
  w[r] = lo;
  w[r + 1] = (v - lo) / TWO32;
  w[r + 2] = 0;
  w[r + 3] = 0;
  w[r + 4] = 0;
  w[r + 5] = 0;
  w[r + 6] = 0;
  w[r + 7] = 0;
}

/** Set a word to a small non-negative integer (below 2^32). */
export function setSmall(w: Uint32Array, r: number, v: number): void {
  w[r] = v;
  w[r + 1] = 0;
  w[r + 2] = 0;
  w[r + 3] = 0;
  w[r + 4] = 0;
  w[r + 5] = 0;
  w[r + 6] = 0;
  w[r + 7] = 0;
}

export function setBool(w: Uint32Array, r: number, b: boolean): void {
  w[r] = b ? 1 : 0;
  w[r + 1] = 0;
  w[r + 2] = 0;
  w[r + 3] = 0;
  w[r + 4] = 0;
  w[r + 5] = 0;
  w[r + 6] = 0;
  w[r + 7] = 0;
}

export function isZero(w: Uint32Array, a: number): boolean {
  return (w[a]! | w[a + 1]! | w[a + 2]! | w[a + 3]! | w[a + 4]! | w[a + 5]! | w[a + 6]! | w[a + 7]!) === 0;
}

/** True when the word is below 2^32 (only limb 0 may be non-zero). */
export function fitsU32(w: Uint32Array, a: number): boolean {
  return (w[a + 1]! | w[a + 2]! | w[a + 3]! | w[a + 4]! | w[a + 5]! | w[a + 6]! | w[a + 7]!) === 0;
}

/** True when the word is below 2^53 (a safe JavaScript integer). */
export function fitsSafe(w: Uint32Array, a: number): boolean {
  return (w[a + 2]! | w[a + 3]! | w[a + 4]! | w[a + 5]! | w[a + 6]! | w[a + 7]!) === 0 && w[a + 1]! < 0x200000;
}

/** The word as a number when below 2^53, else Infinity (for offsets, sizes and gas arguments). */
export function toNumberSat(w: Uint32Array, a: number): number {
  if ((w[a + 2]! | w[a + 3]! | w[a + 4]! | w[a + 5]! | w[a + 6]! | w[a + 7]!) !== 0 || w[a + 1]! >= 0x200000) return Infinity;
  return w[a + 1]! * TWO32 + w[a]!;
}

// ----------------------------------------------------------------------------- bigint bridge

/**
 * A word's limbs go through 64-bit lanes (a BigUint64Array over the same bytes) rather than
 * 32-bit steps: 4 BigInt limbs instead of 8 and fewer intermediate BigInts (storage keys and values
 * of real contracts are full 256-bit words; measured 235 -> 106 ns to read one, 304 -> 48 ns to
 * write). The lanes are little-endian like the limbs on every platform V8 runs on; LANES_LE checks.
 */
const LANE32 = new Uint32Array(8);
const LANE64 = new BigUint64Array(LANE32.buffer);
const LANES_LE = (() => {
  LANE64[0] = 1n;
  return LANE32[0] === 1;
})();

export function toBigInt(w: Uint32Array, a: number): bigint {
  if (fitsSafe(w, a)) return BigInt(w[a + 1]! * TWO32 + w[a]!);
  if (LANES_LE) {
    for (let i = 0; i < 8; i++) LANE32[i] = w[a + i]!;
    return (LANE64[3]! << 192n) | (LANE64[2]! << 128n) | (LANE64[1]! << 64n) | LANE64[0]!;
  }
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 32n) | BigInt(w[a + i]!);
  return v;
}

const MASK256 = (1n << 256n) - 1n;

/** Store a bigint (taken modulo 2^256, so negative values wrap). */
export function fromBigInt(w: Uint32Array, r: number, v: bigint): void {
  if (v >= 0n && v <= BigInt(MAX_SAFE)) {
    setNumber(w, r, Number(v));
    return;
  }
  if (LANES_LE) {
    // each lane takes its 64 bits modulo 2^64: two's complement for negative values
    LANE64[0] = v;
    LANE64[1] = v >> 64n;
    LANE64[2] = v >> 128n;
    LANE64[3] = v >> 192n;
    for (let i = 0; i < 8; i++) w[r + i] = LANE32[i]!;
    return;
  }
  let x = v & MASK256;
  for (let i = 0; i < 8; i++) {
    w[r + i] = Number(x & 0xffffffffn);
    x >>= 32n;
  }
}

export function wordOf(v: bigint): Uint32Array {
  const w = new Uint32Array(8);
  fromBigInt(w, 0, v);
  return w;
}

// ----------------------------------------------------------------------------- bytes

/** Read `len` (<= 32) big-endian bytes at `p` of `src` as a word; bytes past `src`'s end read as 0 (PUSH, CALLDATALOAD use len 32 with padding on the right). */
export function fromBytesBE(w: Uint32Array, r: number, src: Uint8Array, p: number, len: number): void {
  // the value's big-endian byte k (0 = most significant of `len`) lands at bit position 8*(len-1-k)
  setZero(w, r);
  const end = src.length;
  for (let k = 0; k < len; k++) {
    const q = p + k;
    const b = q < end ? src[q]! : 0;
    if (b === 0) continue;
    const bit = (len - 1 - k) * 8;
    w[r + (bit >>> 5)] |= b << (bit & 31);
  }
}

/** PUSHn: `n` (1..32) big-endian bytes at `p`; the caller guarantees p + n <= src.length. */
export function pushBytes(w: Uint32Array, r: number, src: Uint8Array, p: number, n: number): void {
  let q = p + n - 1; // least significant byte
  let i = 0;
  for (; q - 3 >= p; i++, q -= 4) w[r + i] = ((src[q - 3]! << 24) | (src[q - 2]! << 16) | (src[q - 1]! << 8) | src[q]!) >>> 0;
  if (q >= p) {
    let v = 0;
    for (let k = p; k <= q; k++) v = (v << 8) | src[k]!;
    w[r + i] = v >>> 0;
    i++;
  }
  for (; i < 8; i++) w[r + i] = 0;
}

/** Read 32 big-endian bytes at `p` (the caller guarantees p + 32 <= src.length). */
export function load32(w: Uint32Array, r: number, src: Uint8Array, p: number): void {
  for (let i = 7; i >= 0; i--, p += 4) {
    w[r + i] = ((src[p]! << 24) | (src[p + 1]! << 16) | (src[p + 2]! << 8) | src[p + 3]!) >>> 0;
  }
}

/** Write the word as 32 big-endian bytes at `p`. */
export function store32(w: Uint32Array, a: number, dst: Uint8Array, p: number): void {
  for (let i = 7; i >= 0; i--, p += 4) {
    const v = w[a + i]!;
    dst[p] = v >>> 24;
    dst[p + 1] = v >>> 16;
    dst[p + 2] = v >>> 8;
    dst[p + 3] = v;
  }
}

export function toBytes32(w: Uint32Array, a: number): Uint8Array {
  const out = new Uint8Array(32);
  store32(w, a, out, 0);
  return out;
}

// ----------------------------------------------------------------------------- arithmetic

export function add(w: Uint32Array, a: number, b: number, r: number): void {
  let carry = 0;
  for (let i = 0; i < 8; i++) {
    const t = w[a + i]! + w[b + i]! + carry;
    w[r + i] = t;
    carry = t > 0xffffffff ? 1 : 0;
  }
}

/** r = a - b (mod 2^256). */
export function sub(w: Uint32Array, a: number, b: number, r: number): void {
  let borrow = 0;
  for (let i = 0; i < 8; i++) {
    const t = w[a + i]! - w[b + i]! - borrow;
    w[r + i] = t;
    borrow = t < 0 ? 1 : 0;
  }
}

/** r = a * b (mod 2^256). */
export function mul(w: Uint32Array, a: number, b: number, r: number): void {
  if (fitsU32(w, a) && fitsU32(w, b)) {
    const p = w[a]! * w[b]!;
    if (p <= MAX_SAFE) {
      setNumber(w, r, p);
      return;
    }
  }
  // 11 digits of 24 bits: every partial product is < 2^48 and a column of 11 of them < 2^52,
  // so double arithmetic is exact; only the low 256 bits (columns 0..10) are computed.
  const al0 = w[a]!, al1 = w[a + 1]!, al2 = w[a + 2]!, al3 = w[a + 3]!, al4 = w[a + 4]!, al5 = w[a + 5]!, al6 = w[a + 6]!, al7 = w[a + 7]!;
  const a0 = al0 & 0xffffff;
  const a1 = (al0 >>> 24) | ((al1 & 0xffff) << 8);
  const a2 = (al1 >>> 16) | ((al2 & 0xff) << 16);
  const a3 = al2 >>> 8;
  const a4 = al3 & 0xffffff;
  const a5 = (al3 >>> 24) | ((al4 & 0xffff) << 8);
  const a6 = (al4 >>> 16) | ((al5 & 0xff) << 16);
  const a7 = al5 >>> 8;
  const a8 = al6 & 0xffffff;
  const a9 = (al6 >>> 24) | ((al7 & 0xffff) << 8);
  const a10 = al7 >>> 16;
  const bl0 = w[b]!, bl1 = w[b + 1]!, bl2 = w[b + 2]!, bl3 = w[b + 3]!, bl4 = w[b + 4]!, bl5 = w[b + 5]!, bl6 = w[b + 6]!, bl7 = w[b + 7]!;
  const b0 = bl0 & 0xffffff;
  const b1 = (bl0 >>> 24) | ((bl1 & 0xffff) << 8);
  const b2 = (bl1 >>> 16) | ((bl2 & 0xff) << 16);
  const b3 = bl2 >>> 8;
  const b4 = bl3 & 0xffffff;
  const b5 = (bl3 >>> 24) | ((bl4 & 0xffff) << 8);
  const b6 = (bl4 >>> 16) | ((bl5 & 0xff) << 16);
  const b7 = bl5 >>> 8;
  const b8 = bl6 & 0xffffff;
  const b9 = (bl6 >>> 24) | ((bl7 & 0xffff) << 8);
  const b10 = bl7 >>> 16;
  let c = 0;
  let s = 0;
  s = c + a0 * b0;
  c = Math.floor(s * INV24);
  const d0 = s - c * 16777216;
  s = c + a0 * b1 + a1 * b0;
  c = Math.floor(s * INV24);
  const d1 = s - c * 16777216;
  s = c + a0 * b2 + a1 * b1 + a2 * b0;
  c = Math.floor(s * INV24);
  const d2 = s - c * 16777216;
  s = c + a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0;
  c = Math.floor(s * INV24);
  const d3 = s - c * 16777216;
  s = c + a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0;
  c = Math.floor(s * INV24);
  const d4 = s - c * 16777216;
  s = c + a0 * b5 + a1 * b4 + a2 * b3 + a3 * b2 + a4 * b1 + a5 * b0;
  c = Math.floor(s * INV24);
  const d5 = s - c * 16777216;
  s = c + a0 * b6 + a1 * b5 + a2 * b4 + a3 * b3 + a4 * b2 + a5 * b1 + a6 * b0;
  c = Math.floor(s * INV24);
  const d6 = s - c * 16777216;
  s = c + a0 * b7 + a1 * b6 + a2 * b5 + a3 * b4 + a4 * b3 + a5 * b2 + a6 * b1 + a7 * b0;
  c = Math.floor(s * INV24);
  const d7 = s - c * 16777216;
  s = c + a0 * b8 + a1 * b7 + a2 * b6 + a3 * b5 + a4 * b4 + a5 * b3 + a6 * b2 + a7 * b1 + a8 * b0;
  c = Math.floor(s * INV24);
  const d8 = s - c * 16777216;
  s = c + a0 * b9 + a1 * b8 + a2 * b7 + a3 * b6 + a4 * b5 + a5 * b4 + a6 * b3 + a7 * b2 + a8 * b1 + a9 * b0;
  c = Math.floor(s * INV24);
  const d9 = s - c * 16777216;
  s = c + a0 * b10 + a1 * b9 + a2 * b8 + a3 * b7 + a4 * b6 + a5 * b5 + a6 * b4 + a7 * b3 + a8 * b2 + a9 * b1 + a10 * b0;
  c = Math.floor(s * INV24);
  const d10 = s - c * 16777216;
  // digits are integers below 2^24: int32 bit operations are exact on them
  w[r] = d0 + (d1 & 0xff) * 16777216;
  w[r + 1] = (d1 >>> 8) + (d2 & 0xffff) * 65536;
  w[r + 2] = (d2 >>> 16) + d3 * 256;
  w[r + 3] = d4 + (d5 & 0xff) * 16777216;
  w[r + 4] = (d5 >>> 8) + (d6 & 0xffff) * 65536;
  w[r + 5] = (d6 >>> 16) + d7 * 256;
  w[r + 6] = d8 + (d9 & 0xff) * 16777216;
  w[r + 7] = (d9 >>> 8) + (d10 & 0xffff) * 65536;
}

// ----------------------------------------------------------------------------- division
// Knuth's algorithm D over base-2^24 digits held in doubles: every intermediate (a two-digit
// numerator, a digit times a digit) stays below 2^53, so the arithmetic is exact and allocation
// free. DU holds the dividend (up to 22 digits for MULMOD's 512-bit product, plus one for the
// normalisation shift), DV the divisor, DQ the quotient.

const BETA = 16777216;
const DU = new Float64Array(24);
const DV = new Float64Array(12);
const DQ = new Float64Array(24);
const DT = new Uint32Array(16); // scratch words for the signed operations

/** The 11 base-2^24 digits of the word at a, into d[off..off + 11). */
function toDigits(w: Uint32Array, a: number, d: Float64Array, off: number): void {
  const l0 = w[a]!, l1 = w[a + 1]!, l2 = w[a + 2]!, l3 = w[a + 3]!, l4 = w[a + 4]!, l5 = w[a + 5]!, l6 = w[a + 6]!, l7 = w[a + 7]!;
  d[off] = l0 & 0xffffff;
  d[off + 1] = (l0 >>> 24) | ((l1 & 0xffff) << 8);
  d[off + 2] = (l1 >>> 16) | ((l2 & 0xff) << 16);
  d[off + 3] = l2 >>> 8;
  d[off + 4] = l3 & 0xffffff;
  d[off + 5] = (l3 >>> 24) | ((l4 & 0xffff) << 8);
  d[off + 6] = (l4 >>> 16) | ((l5 & 0xff) << 16);
  d[off + 7] = l5 >>> 8;
  d[off + 8] = l6 & 0xffffff;
  d[off + 9] = (l6 >>> 24) | ((l7 & 0xffff) << 8);
  d[off + 10] = l7 >>> 16;
}

/** Digits d[0..11) (only the low 256 bits) back into a word. */
function fromDigits(d: Float64Array, w: Uint32Array, r: number): void {
  const d0 = d[0]!, d1 = d[1]!, d2 = d[2]!, d3 = d[3]!, d4 = d[4]!, d5 = d[5]!, d6 = d[6]!, d7 = d[7]!, d8 = d[8]!, d9 = d[9]!, d10 = d[10]!;
  w[r] = d0 + (d1 & 0xff) * 16777216;
  w[r + 1] = (d1 >>> 8) + (d2 & 0xffff) * 65536;
  w[r + 2] = (d2 >>> 16) + d3 * 256;
  w[r + 3] = d4 + (d5 & 0xff) * 16777216;
  w[r + 4] = (d5 >>> 8) + (d6 & 0xffff) * 65536;
  w[r + 5] = (d6 >>> 16) + d7 * 256;
  w[r + 6] = d8 + (d9 & 0xff) * 16777216;
  w[r + 7] = (d9 >>> 8) + (d10 & 0xffff) * 65536;
}

function sigDigits(d: Float64Array, len: number): number {
  while (len > 0 && d[len - 1] === 0) len--;
  return len;
}

/**
 * Divide DU[0..m) by DV[0..n) (DV[n-1] != 0, m >= n). Leaves the quotient in DQ[0..m-n+1) (zero
 * above) and the remainder in DU[0..n) (zero above).
 */
function knuth(m: number, n: number): void {
  for (let i = 0; i < 11; i++) DQ[i] = 0;
  if (n === 1) {
    const v0 = DV[0]!;
    let rem = 0;
    for (let i = m - 1; i >= 0; i--) {
      const cur = rem * BETA + DU[i]!;
      const q = Math.floor(cur / v0);
      rem = cur - q * v0;
      DQ[i] = q;
      DU[i] = 0;
    }
    DU[0] = rem;
    return;
  }
  // normalise: shift left so the divisor's top digit has its high bit (2^23) set
  const s = Math.clz32(DV[n - 1]!) - 8;
  if (s > 0) {
    const f = 2 ** s;
    let carry = 0;
    for (let i = 0; i < n; i++) {
      const x = DV[i]! * f + carry;
      carry = Math.floor(x * INV24);
      DV[i] = x - carry * BETA;
    }
    carry = 0;
    for (let i = 0; i < m; i++) {
      const x = DU[i]! * f + carry;
      carry = Math.floor(x * INV24);
      DU[i] = x - carry * BETA;
    }
    DU[m] = carry;
  } else DU[m] = 0;
  const vTop = DV[n - 1]!;
  const vNext = DV[n - 2]!;
  for (let j = m - n; j >= 0; j--) {
    const num = DU[j + n]! * BETA + DU[j + n - 1]!;
    let qhat = Math.floor(num / vTop);
    let rhat = num - qhat * vTop;
    while (qhat >= BETA || qhat * vNext > rhat * BETA + DU[j + n - 2]!) {
      qhat--;
      rhat += vTop;
      if (rhat >= BETA) break;
    }
    // u[j..j+n] -= qhat * v
    let borrow = 0;
    let carry = 0;
    for (let i = 0; i < n; i++) {
      const p = qhat * DV[i]! + carry;
      carry = Math.floor(p * INV24);
      let t = DU[i + j]! - (p - carry * BETA) - borrow;
      if (t < 0) {
        t += BETA;
        borrow = 1;
      } else borrow = 0;
      DU[i + j] = t;
    }
    let top = DU[j + n]! - carry - borrow;
    if (top < 0) {
      // qhat was one too large: add the divisor back
      qhat--;
      let c = 0;
      for (let i = 0; i < n; i++) {
        let x = DU[i + j]! + DV[i]! + c;
        if (x >= BETA) {
          x -= BETA;
          c = 1;
        } else c = 0;
        DU[i + j] = x;
      }
      top += c;
    }
    DU[j + n] = top;
    DQ[j] = qhat;
  }
  // un-normalise the remainder
  if (s > 0) {
    const f = 2 ** s;
    for (let i = 0; i < n; i++) {
      const hi = i + 1 < n ? DU[i + 1]! : 0;
      const lowBits = hi - Math.floor(hi / f) * f; // hi mod 2^s
      DU[i] = Math.floor(DU[i]! / f) + lowBits * (BETA / f);
    }
  }
  for (let i = n; i <= m; i++) DU[i] = 0;
}

/** Load a (dividend, 11 digits) and b (divisor) into DU / DV; returns [m, n] or undefined when b = 0. */
function loadDivision(w: Uint32Array, a: number, b: number): number {
  toDigits(w, a, DU, 0);
  DU[11] = 0;
  toDigits(w, b, DV, 0);
  return sigDigits(DV, 11);
}

/** r = a / b, 0 when b = 0. */
export function div(w: Uint32Array, a: number, b: number, r: number): void {
  if (fitsSafe(w, a) && fitsSafe(w, b)) {
    const y = w[b + 1]! * TWO32 + w[b]!;
    if (y === 0) return setZero(w, r);
    setNumber(w, r, Math.floor((w[a + 1]! * TWO32 + w[a]!) / y));
    return;
  }
  const x = wasmArith();
  if (x) {
    wasmIn(w, a, b, 0, 2);
    x.divmod(0);
    return wasmOut(w, r);
  }
  const n = loadDivision(w, a, b);
  if (n === 0) return setZero(w, r);
  const m = sigDigits(DU, 11);
  if (m < n) return setZero(w, r);
  knuth(m, n);
  fromDigits(DQ, w, r);
}

/** r = a mod b, 0 when b = 0. */
export function mod(w: Uint32Array, a: number, b: number, r: number): void {
  if (fitsSafe(w, a) && fitsSafe(w, b)) {
    const y = w[b + 1]! * TWO32 + w[b]!;
    if (y === 0) return setZero(w, r);
    setNumber(w, r, (w[a + 1]! * TWO32 + w[a]!) % y);
    return;
  }
  const x = wasmArith();
  if (x) {
    wasmIn(w, a, b, 0, 2);
    x.divmod(1);
    return wasmOut(w, r);
  }
  const n = loadDivision(w, a, b);
  if (n === 0) return setZero(w, r);
  const m = sigDigits(DU, 11);
  if (m < n) {
    if (a !== r) copy(w, a, r);
    return;
  }
  knuth(m, n);
  fromDigits(DU, w, r);
}

function isNeg(w: Uint32Array, a: number): boolean {
  return w[a + 7]! >= 0x80000000;
}

/** DT[dst..dst+8) = |word at a| (two's complement). */
function absInto(w: Uint32Array, a: number, dst: number): void {
  if (!isNeg(w, a)) {
    for (let i = 0; i < 8; i++) DT[dst + i] = w[a + i]!;
    return;
  }
  let borrow = 0;
  for (let i = 0; i < 8; i++) {
    const t = 0 - w[a + i]! - borrow;
    DT[dst + i] = t;
    borrow = t < 0 ? 1 : 0;
  }
}

function negateInPlace(w: Uint32Array, r: number): void {
  let borrow = 0;
  for (let i = 0; i < 8; i++) {
    const t = 0 - w[r + i]! - borrow;
    w[r + i] = t;
    borrow = t < 0 ? 1 : 0;
  }
}

/** Signed division, truncating toward zero; 0 when b = 0; -2^255 / -1 = -2^255. */
export function sdiv(w: Uint32Array, a: number, b: number, r: number): void {
  const na = isNeg(w, a);
  const nb = isNeg(w, b);
  if (!na && !nb) return div(w, a, b, r);
  const x = wasmArith();
  if (x) {
    wasmIn(w, a, b, 0, 2);
    x.sdivmod(0);
    return wasmOut(w, r);
  }
  absInto(w, a, 0);
  absInto(w, b, 8);
  div(DT, 0, 8, 0);
  for (let i = 0; i < 8; i++) w[r + i] = DT[i]!;
  if (na !== nb) negateInPlace(w, r);
}

/** Signed modulo: the sign of the dividend; 0 when b = 0. */
export function smod(w: Uint32Array, a: number, b: number, r: number): void {
  const na = isNeg(w, a);
  if (!na && !isNeg(w, b)) return mod(w, a, b, r);
  const x = wasmArith();
  if (x) {
    wasmIn(w, a, b, 0, 2);
    x.sdivmod(1);
    return wasmOut(w, r);
  }
  absInto(w, a, 0);
  absInto(w, b, 8);
  mod(DT, 0, 8, 0);
  for (let i = 0; i < 8; i++) w[r + i] = DT[i]!;
  if (na) negateInPlace(w, r);
}

/** r = (a + b) mod n without wrapping at 2^256; 0 when n = 0. */
export function addmod(w: Uint32Array, a: number, b: number, n: number, r: number): void {
  if (fitsSafe(w, a) && fitsSafe(w, b) && fitsSafe(w, n)) {
    const m = w[n + 1]! * TWO32 + w[n]!;
    if (m === 0) return setZero(w, r);
    const x = (w[a + 1]! * TWO32 + w[a]!) % m;
    const y = (w[b + 1]! * TWO32 + w[b]!) % m;
    const s = x + y; // < 2^54: may be inexact only above 2^53
    if (s <= MAX_SAFE) return setNumber(w, r, s % m);
  }
  const x = wasmArith();
  if (x) {
    wasmIn(w, a, b, n, 3);
    x.addmod();
    return wasmOut(w, r);
  }
  toDigits(w, n, DV, 0);
  const nd = sigDigits(DV, 11);
  if (nd === 0) return setZero(w, r);
  for (let i = 11; i < 24; i++) DU[i] = 0;
  toDigits(w, a, DU, 0);
  toDigits(w, b, DQ, 0);
  let carry = 0;
  for (let i = 0; i < 11; i++) {
    let x = DU[i]! + DQ[i]! + carry;
    if (x >= BETA) {
      x -= BETA;
      carry = 1;
    } else carry = 0;
    DU[i] = x;
  }
  DU[11] = carry;
  const m = sigDigits(DU, 12);
  if (m >= nd) knuth(m, nd);
  fromDigits(DU, w, r);
}

const PA = new Float64Array(11);
const PB = new Float64Array(11);

/** r = (a * b) mod n without wrapping at 2^256; 0 when n = 0. */
const M256 = (1n << 256n) - 1n;

/**
 * base ** exponent mod modulus on the WebAssembly routine when all three fit in 256 bits and the
 * modulus is at least 2 (the MODEXP precompile's common case: field inversions and square roots);
 * undefined otherwise, or without WebAssembly (the caller then uses BigInt).
 */
export function modexp256(base: bigint, exponent: bigint, modulus: bigint): bigint | undefined {
  if (modulus < 2n || base > M256 || exponent > M256 || modulus > M256) return undefined;
  const x = wasmArith();
  if (!x) return undefined;
  fromBigInt(WV, 0, base);
  fromBigInt(WV, 8, exponent);
  fromBigInt(WV, 16, modulus);
  x.modexp();
  return toBigInt(WV, 24);
}

export function mulmod(w: Uint32Array, a: number, b: number, n: number, r: number): void {
  if (fitsSafe(w, a) && fitsSafe(w, b) && fitsSafe(w, n)) {
    const m = w[n + 1]! * TWO32 + w[n]!;
    if (m === 0) return setZero(w, r);
    const p = (w[a + 1]! * TWO32 + w[a]!) * (w[b + 1]! * TWO32 + w[b]!);
    if (p <= MAX_SAFE) return setNumber(w, r, p % m);
  }
  const x = wasmArith();
  if (x) {
    wasmIn(w, a, b, n, 3);
    x.mulmod();
    return wasmOut(w, r);
  }
  toDigits(w, n, DV, 0);
  const nd = sigDigits(DV, 11);
  if (nd === 0) return setZero(w, r);
  toDigits(w, a, PA, 0);
  toDigits(w, b, PB, 0);
  // the full 512-bit product: 22 digits; each column is a sum of at most 11 products < 2^48
  DU[22] = 0;
  DU[23] = 0;
  let carry = 0;
  for (let k = 0; k < 21; k++) {
    let sum = carry;
    const lo = k > 10 ? k - 10 : 0;
    const hi = k < 10 ? k : 10;
    for (let i = lo; i <= hi; i++) sum += PA[i]! * PB[k - i]!;
    carry = Math.floor(sum * INV24);
    DU[k] = sum - carry * BETA;
  }
  DU[21] = carry;
  const m = sigDigits(DU, 22);
  if (m >= nd) knuth(m, nd);
  fromDigits(DU, w, r);
}

/** Number of significant bytes of the word (0 for zero): the EXP gas factor. */
export function byteLength(w: Uint32Array, a: number): number {
  for (let i = 7; i >= 0; i--) {
    const v = w[a + i]!;
    if (v !== 0) return i * 4 + (v >= 0x1000000 ? 4 : v >= 0x10000 ? 3 : v >= 0x100 ? 2 : 1);
  }
  return 0;
}

/** Number of significant bits (0 for zero). */
export function bitLength(w: Uint32Array, a: number): number {
  for (let i = 7; i >= 0; i--) {
    const v = w[a + i]!;
    if (v !== 0) return i * 32 + (32 - Math.clz32(v));
  }
  return 0;
}

const EXP_T = new Uint32Array(16); // [0..8) base, [8..16) accumulator

/** r = base ** exponent (mod 2^256), square-and-multiply over limbs. */
export function exp(w: Uint32Array, base: number, e: number, r: number): void {
  const bits = bitLength(w, e);
  if (bits === 0) return setNumber(w, r, 1);
  if (fitsU32(w, base) && w[base]! <= 1) return setNumber(w, r, w[base]!); // 0^e = 0 (e > 0), 1^e = 1
  // power of two base: a shift
  if (fitsU32(w, base) && (w[base]! & (w[base]! - 1)) === 0) {
    const k = 31 - Math.clz32(w[base]!);
    const shift = fitsSafe(w, e) ? (w[e + 1]! * TWO32 + w[e]!) * k : Infinity;
    if (shift >= 256) return setZero(w, r);
    setNumber(w, r, 1);
    shl(w, shift, r, r);
    return;
  }
  const x = wasmArith();
  if (x) {
    wasmIn(w, base, e, 0, 2);
    x.exp();
    return wasmOut(w, r);
  }
  const T = EXP_T;
  for (let i = 0; i < 8; i++) {
    T[i] = w[base + i]!;
    T[8 + i] = 0;
  }
  T[8] = 1;
  for (let bit = bits - 1; bit >= 0; bit--) {
    mul(T, 8, 8, 8);
    if ((w[e + (bit >>> 5)]! >>> (bit & 31)) & 1) mul(T, 8, 0, 8);
  }
  for (let i = 0; i < 8; i++) w[r + i] = T[8 + i]!;
}

/** SIGNEXTEND: extend the sign of byte `b` (counted from the least significant) of x. */
export function signextend(w: Uint32Array, b: number, x: number, r: number): void {
  if (!fitsU32(w, b) || w[b]! >= 31) {
    if (x !== r) copy(w, x, r);
    return;
  }
  const bit = w[b]! * 8 + 7;
  const limb = bit >>> 5;
  const pos = bit & 31;
  if (x !== r) copy(w, x, r);
  const neg = (w[r + limb]! >>> pos) & 1;
  const lowMask = pos === 31 ? 0xffffffff : (1 << (pos + 1)) - 1;
  if (neg) {
    w[r + limb] = w[r + limb]! | ~lowMask;
    for (let i = limb + 1; i < 8; i++) w[r + i] = 0xffffffff;
  } else {
    w[r + limb] = w[r + limb]! & lowMask;
    for (let i = limb + 1; i < 8; i++) w[r + i] = 0;
  }
}

// ----------------------------------------------------------------------------- comparison

/** a < b unsigned. */
export function lt(w: Uint32Array, a: number, b: number): boolean {
  for (let i = 7; i >= 0; i--) {
    const x = w[a + i]!;
    const y = w[b + i]!;
    if (x !== y) return x < y;
  }
  return false;
}

/** a < b signed (two's complement). */
export function slt(w: Uint32Array, a: number, b: number): boolean {
  const na = isNeg(w, a);
  const nb = isNeg(w, b);
  if (na !== nb) return na;
  return lt(w, a, b);
}

export function eq(w: Uint32Array, a: number, b: number): boolean {
  for (let i = 0; i < 8; i++) if (w[a + i] !== w[b + i]) return false;
  return true;
}

// ----------------------------------------------------------------------------- bitwise

export function and(w: Uint32Array, a: number, b: number, r: number): void {
  for (let i = 0; i < 8; i++) w[r + i] = w[a + i]! & w[b + i]!;
}

export function or(w: Uint32Array, a: number, b: number, r: number): void {
  for (let i = 0; i < 8; i++) w[r + i] = w[a + i]! | w[b + i]!;
}

export function xor(w: Uint32Array, a: number, b: number, r: number): void {
  for (let i = 0; i < 8; i++) w[r + i] = w[a + i]! ^ w[b + i]!;
}

export function not(w: Uint32Array, a: number, r: number): void {
  for (let i = 0; i < 8; i++) w[r + i] = ~w[a + i]!;
}

/** BYTE: byte `i` of x counted from the most significant (0..31), 0 otherwise. */
export function byte(w: Uint32Array, i: number, x: number, r: number): void {
  if (!fitsU32(w, i) || w[i]! >= 32) return setZero(w, r);
  const j = 31 - w[i]!;
  const v = (w[x + (j >>> 2)]! >>> ((j & 3) * 8)) & 0xff;
  setNumber(w, r, v);
}

/** r = x << shift (shift is a number; >= 256 gives 0). */
export function shl(w: Uint32Array, shift: number, x: number, r: number): void {
  if (shift >= 256) return setZero(w, r);
  const limbs = shift >>> 5;
  const bits = shift & 31;
  for (let i = 7; i >= 0; i--) {
    const s = i - limbs;
    let v = 0;
    if (s >= 0) {
      v = w[x + s]! << bits;
      if (bits !== 0 && s >= 1) v |= w[x + s - 1]! >>> (32 - bits);
    }
    w[r + i] = v;
  }
}

/** r = x >>> shift (logical). */
export function shr(w: Uint32Array, shift: number, x: number, r: number): void {
  if (shift >= 256) return setZero(w, r);
  const limbs = shift >>> 5;
  const bits = shift & 31;
  for (let i = 0; i < 8; i++) {
    const s = i + limbs;
    let v = 0;
    if (s <= 7) {
      v = w[x + s]! >>> bits;
      if (bits !== 0 && s + 1 <= 7) v |= w[x + s + 1]! << (32 - bits);
    }
    w[r + i] = v;
  }
}

/** r = x >> shift (arithmetic). */
export function sar(w: Uint32Array, shift: number, x: number, r: number): void {
  const neg = isNeg(w, x);
  if (shift >= 256) {
    for (let i = 0; i < 8; i++) w[r + i] = neg ? 0xffffffff : 0;
    return;
  }
  const limbs = shift >>> 5;
  const bits = shift & 31;
  const fill = neg ? 0xffffffff : 0;
  for (let i = 0; i < 8; i++) {
    const s = i + limbs;
    let v: number;
    if (s <= 7) {
      v = w[x + s]! >>> bits;
      const hi = s + 1 <= 7 ? w[x + s + 1]! : fill;
      if (bits !== 0) v |= hi << (32 - bits);
    } else v = fill;
    w[r + i] = v;
  }
}

/** The shift amount of a word for SHL/SHR/SAR: the value when below 256, else 256. */
export function shiftAmount(w: Uint32Array, a: number): number {
  return fitsU32(w, a) && w[a]! < 256 ? w[a]! : 256;
}
