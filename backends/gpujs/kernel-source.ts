/**
 * The gpu.js kernel of the Monte Carlo pi scenario: the scenario's exact generator (lowbias32
 * on the Weyl counter, see scenarios/monte-carlo-pi/generator.ts) written so that it is exact
 * in IEEE float32 arithmetic, because that is all WebGL 1 offers.
 *
 * Why this shape. headless-gl is WebGL 1: GLSL ES 1.00 fragment shaders have no unsigned
 * integers, no bitwise operators, and only a 16-bit guaranteed int range, and gpu.js moves
 * numbers through float textures. A float32 holds integers exactly only up to 2^24, so a
 * 32-bit generator state cannot live in one variable. Here every 32-bit word is two 16-bit
 * limbs (hi, lo), each an integer held in a float, and every operation is arranged so that
 * each intermediate is an integer below 2^24 and every division is by a power of two
 * (written as a product with 2^-k, exact in binary floating point):
 *   - x * C mod 2^32: the limbs split further into bytes; partial products are < 2^17, the
 *     bytes are recombined with carries (mix32 below);
 *   - x >>> 15, x >>> 16: limb moves plus floor(limb * 2^-k);
 *   - xor of 16-bit and 8-bit limbs: `xor16` / `xor8`, the one mode-specific part: native
 *     `^` in JavaScript (gpu.js cpu and webasm modes), a float bit loop in GLSL
 *     (XOR_GLSL below; gpu.js's own `^` emulation goes through int division and is ~3x slower);
 *   - the hit test X^2 + Y^2 < 2^48: float32 decides every point farther than 16 units of
 *     2^24 from the circle (its error is at most ~4 such units); the few points closer get
 *     an exact test in 12-bit digits (exactHit).
 * So every mode counts exactly the hits of the reference generator, which prepare() checks
 * (self-check) before a cell is measured.
 *
 * These functions are handed to gpu.js, which parses their source text (Function#toString)
 * and transpiles it: no closures, no module constants, no typed helpers; only Math.floor,
 * arithmetic, comparisons, `for` loops with a bound gpu.js can cap (loopMaxIterations) and
 * calls to the other functions registered with the kernel.
 */

/** The `this` gpu.js gives a kernel. */
export interface KernelThis {
  thread: { x: number; y: number; z: number };
}

/** High 16 bits of (h * 2^16 + l) * (ch * 2^16 + cl) mod 2^32 (all four limbs < 2^16). */
export function mulHi(h: number, l: number, ch: number, cl: number): number {
  const l1 = Math.floor(l * 0.00390625);
  const l0 = l - l1 * 256;
  const c1 = Math.floor(cl * 0.00390625);
  const c0 = cl - c1 * 256;
  const p = l1 * c0 + l0 * c1;
  const ph = Math.floor(p * 0.00390625);
  const m = l0 * c0 + (p - ph * 256) * 256;
  const h1 = Math.floor(h * 0.00390625);
  const h0 = h - h1 * 256;
  const q = h1 * c0 + h0 * c1;
  const d1 = Math.floor(ch * 0.00390625);
  const d0 = ch - d1 * 256;
  const r = l1 * d0 + l0 * d1;
  const s = Math.floor(m * 0.0000152587890625) + ph + l1 * c1 + h0 * c0 + (q - Math.floor(q * 0.00390625) * 256) * 256 + l0 * d0 + (r - Math.floor(r * 0.00390625) * 256) * 256;
  return s - Math.floor(s * 0.0000152587890625) * 65536;
}

/** Low 16 bits of l * cl (l, cl < 2^16). */
export function mulLo(l: number, cl: number): number {
  const l1 = Math.floor(l * 0.00390625);
  const l0 = l - l1 * 256;
  const c1 = Math.floor(cl * 0.00390625);
  const c0 = cl - c1 * 256;
  const p = l1 * c0 + l0 * c1;
  const m = l0 * c0 + (p - Math.floor(p * 0.00390625) * 256) * 256;
  return m - Math.floor(m * 0.0000152587890625) * 65536;
}

/**
 * lowbias32(h * 2^16 + l) >>> 8: the 24-bit coordinate the scenario takes from one counter value.
 * The two multiplications have their constants' bytes written in:
 * 0x7feb352d = (127, 235 | 53, 45), 0x846ca68b = (132, 108 | 166, 139).
 */
export function hash24(h: number, l: number): number {
  // x ^= x >>> 16
  const a = xor16(l, h);
  // x = imul(x, 0x7feb352d)
  let l1 = Math.floor(a * 0.00390625);
  let l0 = a - l1 * 256;
  let h1 = Math.floor(h * 0.00390625);
  let h0 = h - h1 * 256;
  let p = l1 * 45 + l0 * 53;
  let ph = Math.floor(p * 0.00390625);
  let m = l0 * 45 + (p - ph * 256) * 256;
  let mh = Math.floor(m * 0.0000152587890625);
  const bl = m - mh * 65536;
  let q = h1 * 45 + h0 * 53;
  let r = l1 * 235 + l0 * 127;
  let s = mh + ph + l1 * 53 + h0 * 45 + (q - Math.floor(q * 0.00390625) * 256) * 256 + l0 * 235 + (r - Math.floor(r * 0.00390625) * 256) * 256;
  const bh = s - Math.floor(s * 0.0000152587890625) * 65536;
  // x ^= x >>> 15: the high limb only gains its own top bit as bit 0
  const top = Math.floor(bh * 0.000030517578125);
  const cl = xor16(bl, bh * 2 - top * 65536 + Math.floor(bl * 0.000030517578125));
  const ch = bh + top * (1 - 2 * (bh - 2 * Math.floor(bh * 0.5)));
  // x = imul(x, 0x846ca68b)
  l1 = Math.floor(cl * 0.00390625);
  l0 = cl - l1 * 256;
  h1 = Math.floor(ch * 0.00390625);
  h0 = ch - h1 * 256;
  p = l1 * 139 + l0 * 166;
  ph = Math.floor(p * 0.00390625);
  m = l0 * 139 + (p - ph * 256) * 256;
  mh = Math.floor(m * 0.0000152587890625);
  const dl = m - mh * 65536;
  q = h1 * 139 + h0 * 166;
  r = l1 * 108 + l0 * 132;
  s = mh + ph + l1 * 166 + h0 * 139 + (q - Math.floor(q * 0.00390625) * 256) * 256 + l0 * 108 + (r - Math.floor(r * 0.00390625) * 256) * 256;
  const dh = s - Math.floor(s * 0.0000152587890625) * 65536;
  // (x ^ (x >>> 16)) >>> 8: high limb, then the top byte of (low ^ high)
  return dh * 256 + xor8(Math.floor(dl * 0.00390625), Math.floor(dh * 0.00390625));
}

/** 1 when X^2 + Y^2 < 2^48 (X, Y < 2^24), computed in base-2^12 digits: every step exact in float32. */
export function exactHit(x: number, y: number): number {
  const a = Math.floor(x * 0.000244140625);
  const b = x - a * 4096;
  const c = Math.floor(y * 0.000244140625);
  const d = y - c * 4096;
  const bb = b * b;
  const bbh = Math.floor(bb * 0.000244140625);
  const dd = d * d;
  const ddh = Math.floor(dd * 0.000244140625);
  const c0 = Math.floor((bb - bbh * 4096 + (dd - ddh * 4096)) * 0.000244140625);
  const ab = a * b;
  const abh = Math.floor(ab * 0.000244140625);
  const cd = c * d;
  const cdh = Math.floor(cd * 0.000244140625);
  const c1 = Math.floor((2 * (ab - abh * 4096) + 2 * (cd - cdh * 4096) + bbh + ddh + c0) * 0.000244140625);
  const aa = a * a;
  const aah = Math.floor(aa * 0.000244140625);
  const cc = c * c;
  const cch = Math.floor(cc * 0.000244140625);
  const c2 = Math.floor((2 * abh + 2 * cdh + (aa - aah * 4096) + (cc - cch * 4096) + c1) * 0.000244140625);
  // floor((X^2 + Y^2) / 2^36) < 2^12  <=>  X^2 + Y^2 < 2^48
  if (aah + cch + c2 < 4096) {
    return 1;
  }
  return 0;
}

/**
 * One launch: thread t counts the hits of its strip of consecutive samples and returns the count.
 * Threads t < full take `strip` samples, thread `full` takes `lastLen`, the rest none.
 * (cHi, cLo) is the counter of the launch's first sample, (sHi, sLo) = 2 * strip * PHI mod 2^32
 * the counter distance between two strips. A count is at most strip <= 2^24 - 1: exact in float32.
 */
export function piStrips(this: KernelThis, cHi: number, cLo: number, sHi: number, sLo: number, full: number, strip: number, lastLen: number): number {
  const t = this.thread.x;
  let len = 0;
  if (t < full) {
    len = strip;
  } else {
    if (t === full) {
      len = lastLen;
    }
  }
  // counter of this strip's first sample: c + t * stride (mod 2^32)
  let lo = mulLo(t, sLo) + cLo;
  let hi = mulHi(0, t, sHi, sLo) + cHi + Math.floor(lo * 0.0000152587890625);
  lo = lo - Math.floor(lo * 0.0000152587890625) * 65536;
  hi = hi - Math.floor(hi * 0.0000152587890625) * 65536;
  let hits = 0;
  for (let k = 0; k < len; k++) {
    const x = hash24(hi, lo);
    // the y coordinate hashes counter + PHI (0x9e3779b9 = 40503 | 31161)
    let yl = lo + 31161;
    let yh = hi + 40503 + Math.floor(yl * 0.0000152587890625);
    yl = yl - Math.floor(yl * 0.0000152587890625) * 65536;
    yh = yh - Math.floor(yh * 0.0000152587890625) * 65536;
    const y = hash24(yh, yl);
    // x^2 + y^2 < 2^48, scaled by 2^-24: float32 decides all but a 2^-20 band around the circle
    const xs = x * 0.000244140625;
    const ys = y * 0.000244140625;
    const d2 = xs * xs + ys * ys;
    if (d2 < 16777200) {
      hits = hits + 1;
    } else {
      if (d2 < 16777232) {
        hits = hits + exactHit(x, y);
      }
    }
    // next sample: counter + 2 * PHI (0x3c6ef372 = 15470 | 62322)
    lo = lo + 62322;
    hi = hi + 15470 + Math.floor(lo * 0.0000152587890625);
    lo = lo - Math.floor(lo * 0.0000152587890625) * 65536;
    hi = hi - Math.floor(hi * 0.0000152587890625) * 65536;
  }
  return hits;
}

/** xor of two integers < 2^16: JavaScript (gpu.js cpu and webasm modes). */
export function xor16(a: number, b: number): number {
  return a ^ b;
}

/** xor of two integers < 2^8: JavaScript (gpu.js cpu and webasm modes). */
export function xor8(a: number, b: number): number {
  return a ^ b;
}

/**
 * The same two functions in GLSL ES 1.00 for the WebGL modes: a bit loop in float arithmetic
 * (floor of halves; exact for integers < 2^24). Measured on llvmpipe about 3x faster than
 * gpu.js's own `^`, which emulates it with int division.
 */
export const XOR_GLSL: Record<'xor16' | 'xor8', string> = {
  xor16: `float xor16(float a, float b) {
  float r = 0.0;
  float p = 1.0;
  for (int i = 0; i < 16; i++) {
    float ha = floor(a * 0.5);
    float hb = floor(b * 0.5);
    r += p * abs((a - 2.0 * ha) - (b - 2.0 * hb));
    a = ha;
    b = hb;
    p *= 2.0;
  }
  return r;
}`,
  xor8: `float xor8(float a, float b) {
  float r = 0.0;
  float p = 1.0;
  for (int i = 0; i < 8; i++) {
    float ha = floor(a * 0.5);
    float hb = floor(b * 0.5);
    r += p * abs((a - 2.0 * ha) - (b - 2.0 * hb));
    a = ha;
    b = hb;
    p *= 2.0;
  }
  return r;
}`,
};

/** Helper functions every mode registers (argument and return types are all 'Number'). */
export const HELPERS = [mulHi, mulLo, hash24, exactHit] as const;
