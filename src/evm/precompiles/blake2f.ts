/**
 * The BLAKE2b compression function F (RFC 7693 section 3.2) with a caller-chosen number of
 * rounds, as the EIP-152 precompile (0x09) needs it. @noble/hashes runs its compression with a
 * fixed 12 rounds and a 53-bit counter, so it cannot serve here.
 *
 * Each 64-bit word is a pair of 32-bit halves in a Uint32Array: word i at [2i] (low), [2i + 1] (high).
 */

const IV = Uint32Array.from([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);

/** The message schedule; round i uses row i mod 10. */
const SIGMA: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];
/** SIGMA as offsets into the message's u32 array (2 per word). */
const SIGMA2 = Uint8Array.from(SIGMA.flat().map((i) => 2 * i));

/** v[a] += v[b] + m[x] (mod 2^64); all are u32-pair offsets. */
function add3(v: Uint32Array, a: number, b: number, m: Uint32Array, x: number): void {
  const lo = v[a]! + v[b]! + m[x]!; // < 3 * 2^32: exact
  v[a + 1] = v[a + 1]! + v[b + 1]! + m[x + 1]! + Math.floor(lo / 0x100000000);
  v[a] = lo;
}

/** v[a] += v[b] (mod 2^64). */
function add2(v: Uint32Array, a: number, b: number): void {
  const lo = v[a]! + v[b]!;
  v[a + 1] = v[a + 1]! + v[b + 1]! + (lo > 0xffffffff ? 1 : 0);
  v[a] = lo;
}

/** The mixing function G on words a, b, c, d with message words at offsets x and y. */
function G(v: Uint32Array, a: number, b: number, c: number, d: number, m: Uint32Array, x: number, y: number): void {
  a *= 2;
  b *= 2;
  c *= 2;
  d *= 2;
  let lo: number;
  let hi: number;
  add3(v, a, b, m, x);
  // d = (d ^ a) >>> 32
  lo = v[d]! ^ v[a]!;
  hi = v[d + 1]! ^ v[a + 1]!;
  v[d] = hi;
  v[d + 1] = lo;
  add2(v, c, d);
  // b = (b ^ c) >>> 24
  lo = v[b]! ^ v[c]!;
  hi = v[b + 1]! ^ v[c + 1]!;
  v[b] = (lo >>> 24) | (hi << 8);
  v[b + 1] = (hi >>> 24) | (lo << 8);
  add3(v, a, b, m, y);
  // d = (d ^ a) >>> 16
  lo = v[d]! ^ v[a]!;
  hi = v[d + 1]! ^ v[a + 1]!;
  v[d] = (lo >>> 16) | (hi << 16);
  v[d + 1] = (hi >>> 16) | (lo << 16);
  add2(v, c, d);
  // b = (b ^ c) >>> 63, i.e. rotate left by 1
  lo = v[b]! ^ v[c]!;
  hi = v[b + 1]! ^ v[c + 1]!;
  v[b] = (lo << 1) | (hi >>> 31);
  v[b + 1] = (hi << 1) | (lo >>> 31);
}

/**
 * F(h, m, t, f) with `rounds` rounds, in place on h.
 * h: 8 words (16 u32), m: 16 words (32 u32), t: 2 words (4 u32), all as low/high u32 halves.
 */
export function blake2bCompress(rounds: number, h: Uint32Array, m: Uint32Array, t: Uint32Array, final: boolean): void {
  const v = new Uint32Array(32);
  v.set(h.subarray(0, 16), 0);
  v.set(IV, 16);
  v[24] = v[24]! ^ t[0]!;
  v[25] = v[25]! ^ t[1]!;
  v[26] = v[26]! ^ t[2]!;
  v[27] = v[27]! ^ t[3]!;
  if (final) {
    v[28] = ~v[28]!;
    v[29] = ~v[29]!;
  }
  for (let i = 0, r = 0; i < rounds; i++, r = r === 9 ? 0 : r + 1) {
    const s = r * 16;
    G(v, 0, 4, 8, 12, m, SIGMA2[s]!, SIGMA2[s + 1]!);
    G(v, 1, 5, 9, 13, m, SIGMA2[s + 2]!, SIGMA2[s + 3]!);
    G(v, 2, 6, 10, 14, m, SIGMA2[s + 4]!, SIGMA2[s + 5]!);
    G(v, 3, 7, 11, 15, m, SIGMA2[s + 6]!, SIGMA2[s + 7]!);
    G(v, 0, 5, 10, 15, m, SIGMA2[s + 8]!, SIGMA2[s + 9]!);
    G(v, 1, 6, 11, 12, m, SIGMA2[s + 10]!, SIGMA2[s + 11]!);
    G(v, 2, 7, 8, 13, m, SIGMA2[s + 12]!, SIGMA2[s + 13]!);
    G(v, 3, 4, 9, 14, m, SIGMA2[s + 14]!, SIGMA2[s + 15]!);
  }
  for (let i = 0; i < 16; i++) h[i] = h[i]! ^ v[i]! ^ v[i + 16]!;
}

/** The EIP-152 input length: rounds (4) + h (64) + m (128) + t (16) + f (1). */
export const BLAKE2F_INPUT_LENGTH = 213;

/** The round count of an EIP-152 input (big-endian u32 at the start; 0 if the input is shorter). */
export function blake2fRounds(input: Uint8Array): number {
  if (input.length < 4) return 0;
  return ((input[0]! << 24) | (input[1]! << 16) | (input[2]! << 8) | input[3]!) >>> 0;
}

/**
 * The precompile's computation on a well-formed input: undefined if the input is not exactly 213
 * bytes or its final-block flag is neither 0 nor 1 (the call fails), else the 64-byte new state.
 * The caller charges the gas (1 per round) first.
 */
export function blake2f(input: Uint8Array): Uint8Array | undefined {
  if (input.length !== BLAKE2F_INPUT_LENGTH) return undefined;
  const flag = input[212]!;
  if (flag !== 0 && flag !== 1) return undefined;
  const dv = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const words = (off: number, n: number) => {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = dv.getUint32(off + 4 * i, true);
    return out;
  };
  const h = words(4, 16);
  blake2bCompress(blake2fRounds(input), h, words(68, 32), words(196, 4), flag === 1);
  const out = new Uint8Array(64);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < 16; i++) ov.setUint32(4 * i, h[i]!, true);
  return out;
}
