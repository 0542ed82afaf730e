/**
 * tfjs-exact: the scenario's own generator (lowbias32 over a Weyl counter, see
 * scenarios/monte-carlo-pi/generator.ts) written with tfjs int32 ops, and the exact hit test
 * X^2 + Y^2 < 2^48, so it counts the same hits as the ts and wasm backends.
 *
 * tfjs has no xor and no shifts, and its int32 ops differ between engines (measured on 4.22):
 *   - xor:       a ^ b = a + b - 2 (a & b)            (tf.bitwiseAnd; add/sub wrap mod 2^32)
 *   - x >>> k:   floorDiv(x, 2^k) & (2^(32-k) - 1)    when int32 floorDiv is exact (cpu: JS
 *                Math.floor of a double); tfjs-wasm divides in float32 (floorDiv(2^31 - 1,
 *                65536) = 32768), so there the low k bits are masked off first: the dividend
 *                then has at most 32 - k <= 24 significant bits and the float32 division is exact
 *   - x * C:     one int32 multiply where it wraps mod 2^32 (wasm: i32.mul); tfjs-cpu computes
 *                a double product and rounds it above 2^53, so there C is split in 16-bit halves:
 *                x * C_lo + ((x * C_hi) mod 2^32) * 2^16, every product below 2^47 (exact)
 *   - X^2 + Y^2 < 2^48 with 24-bit X, Y: 12-bit limbs X = 4096 a + b; with H = ax^2 + ay^2,
 *     M = ax bx + ay by, L = bx^2 + by^2 (all < 2^25): hit <=> H + ((2M + (L >> 12)) >> 12) < 2^24
 * The engine's behaviour is measured in prepare(), the cheaper form chosen, and the whole
 * pipeline checked against the reference generator before the kernel is used: an engine whose
 * int32 ops do not reproduce it fails prepare (an error cell, not a wrong answer).
 *
 * Both coordinates of a sample are hashed together: the counters are laid out [samples, 2]
 * (c, c + PHI), so every op runs once per chunk and the limb sums are row sums. Masks are
 * full-size constant tensors: tfjs-wasm's int32 bitwiseAnd against a broadcast scalar costs
 * ~70 ns an element, against a same-shape tensor ~5.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { PHI, countHitsReference, lowbias32, segments } from '../../scenarios/monte-carlo-pi/generator.js';
import { activate, type Tf } from './runtime.js';
import type { PiCounter } from './kernels.js';

export interface IntCapabilities {
  /** int32 multiply wraps mod 2^32 like Math.imul. */
  mulWraps: boolean;
  /** int32 floorDiv is exact for any int32 dividend. */
  floorDivExact: boolean;
}

/** Measures how this engine's int32 ops behave. */
export function measureIntCapabilities(tf: Tf): IntCapabilities {
  return tf.tidy(() => {
    const xs = [0x7fffffff, -0x7fffffff, 123456789, -987654321, -1, 0x40000001];
    const c = 0x846ca68b | 0;
    const prod = tf.mul(tf.tensor1d(xs, 'int32'), tf.scalar(c, 'int32')).dataSync();
    const mulWraps = xs.every((x, i) => prod[i] === Math.imul(x, c));
    const divs = tf.floorDiv(tf.tensor1d(xs, 'int32'), tf.scalar(65536, 'int32')).dataSync();
    const floorDivExact = xs.every((x, i) => divs[i] === Math.floor(x / 65536));
    return { mulWraps, floorDivExact };
  });
}

const MASKS = {
  hi16: -65536, lo16: 0xffff, hi15: -32768, lo17: 0x1ffff, hi8: -256, lo24: 0xffffff, lo12: 4095,
} as const;
type MaskName = keyof typeof MASKS;

/** Samples per full chunk. */
export const EXACT_CHUNK = 1 << 18;

export class ExactCounter implements PiCounter {
  private readonly weyl: Tensor;
  private readonly masks = new Map<MaskName, Tensor>();
  private readonly hi12: Tensor;
  private readonly scalars = new Map<number, Tensor>();

  constructor(
    private readonly tf: Tf,
    private readonly backendName: string,
    readonly caps: IntCapabilities,
    readonly chunk = EXACT_CHUNK,
  ) {
    activate(tf, backendName);
    // Counter offsets of sample j in a chunk: 2 j PHI (x) and 2 j PHI + PHI (y), mod 2^32.
    const w = new Int32Array(2 * chunk);
    for (let j = 0; j < chunk; j++) {
      w[2 * j] = Math.imul(2 * j, PHI);
      w[2 * j + 1] = (Math.imul(2 * j, PHI) + PHI) | 0;
    }
    this.weyl = tf.tensor2d(w, [chunk, 2], 'int32');
    for (const [name, v] of Object.entries(MASKS)) this.masks.set(name as MaskName, tf.fill([chunk, 2], v, 'int32'));
    this.hi12 = tf.fill([chunk], -4096, 'int32');
    // The constant scalars, created up front (a scalar first made inside a tidy is kept).
    for (const v of [256, 4096, 32768, 65536, 1 << 24, 0x7feb352d, 0x846ca68b, 0x7feb352d & 0xffff, 0x7feb352d >>> 16, 0x846ca68b & 0xffff, 0x846ca68b >>> 16]) this.scalar(v);
  }

  private scalar(v: number): Tensor {
    let s = this.scalars.get(v);
    if (!s) {
      s = this.tf.keep(this.tf.scalar(v | 0, 'int32')); // may be created inside a tidy: keep it
      this.scalars.set(v, s);
    }
    return s;
  }

  private mask(name: MaskName, rows: number): Tensor {
    return rows === this.chunk ? this.masks.get(name)! : this.tf.fill([rows, 2], MASKS[name], 'int32');
  }

  /** x >>> k for int32 x of shape [rows, 2]; consumes x. */
  private shr(x: Tensor, k: 8 | 15 | 16, rows: number): Tensor {
    const tf = this.tf;
    const hi = ({ 8: 'hi8', 15: 'hi15', 16: 'hi16' } as const)[k];
    const lo = ({ 8: 'lo24', 15: 'lo17', 16: 'lo16' } as const)[k];
    let num = x;
    if (!this.caps.floorDivExact) num = tf.bitwiseAnd(x, this.mask(hi, rows));
    const q = tf.floorDiv(num, this.scalar(2 ** k));
    if (num !== x) num.dispose();
    const r = tf.bitwiseAnd(q, this.mask(lo, rows));
    q.dispose();
    x.dispose();
    return r;
  }

  /** v >> 12 for 0 <= v < 2^31 of shape [rows]; consumes v. */
  private shr12(v: Tensor, rows: number): Tensor {
    const tf = this.tf;
    let num = v;
    if (!this.caps.floorDivExact) num = tf.bitwiseAnd(v, rows === this.chunk ? this.hi12 : tf.fill([rows], -4096, 'int32'));
    const q = tf.floorDiv(num, this.scalar(4096));
    if (num !== v) num.dispose();
    v.dispose();
    return q;
  }

  /** a ^ b; consumes a and b. */
  private xor(a: Tensor, b: Tensor): Tensor {
    const tf = this.tf;
    const both = tf.bitwiseAnd(a, b);
    const sum = tf.add(a, b);
    a.dispose();
    b.dispose();
    const once = tf.sub(sum, both);
    sum.dispose();
    const r = tf.sub(once, both);
    once.dispose();
    both.dispose();
    return r;
  }

  /** x * c mod 2^32; consumes x. */
  private mulConst(x: Tensor, c: number): Tensor {
    const tf = this.tf;
    if (this.caps.mulWraps) {
      const r = tf.mul(x, this.scalar(c | 0));
      x.dispose();
      return r;
    }
    const lo = tf.mul(x, this.scalar(c & 0xffff));
    const hi1 = tf.mul(x, this.scalar(c >>> 16));
    x.dispose();
    const hi = tf.mul(hi1, this.scalar(65536));
    hi1.dispose();
    const r = tf.add(lo, hi);
    lo.dispose();
    hi.dispose();
    return r;
  }

  /** x ^= x >>> k; consumes x. */
  private xorShift(x: Tensor, k: 15 | 16, rows: number): Tensor {
    const s = this.shr(this.tf.clone(x), k, rows);
    return this.xor(x, s);
  }

  /** lowbias32 of every element; consumes x. */
  private lowbias32(x: Tensor, rows: number): Tensor {
    x = this.xorShift(x, 16, rows);
    x = this.mulConst(x, 0x7feb352d);
    x = this.xorShift(x, 15, rows);
    x = this.mulConst(x, 0x846ca68b);
    return this.xorShift(x, 16, rows);
  }

  /** Hits of `rows` consecutive samples whose first counter is c0 (as int32). */
  private chunkHits(c0: number, rows: number): Tensor {
    const tf = this.tf;
    return tf.tidy(() => {
      const w = rows === this.chunk ? this.weyl : tf.slice(this.weyl, [0, 0], [rows, 2]);
      const c = tf.add(w, tf.scalar(c0, 'int32')); // per chunk: not cached
      const h = this.lowbias32(c, rows);
      const xy = this.shr(h, 8, rows); // 24-bit X, Y
      const a = tf.floorDiv(xy, this.scalar(4096)); // exact: xy < 2^24
      const b = tf.bitwiseAnd(xy, this.mask('lo12', rows));
      xy.dispose();
      const aa = tf.mul(a, a);
      const ab = tf.mul(a, b);
      const bb = tf.mul(b, b);
      a.dispose();
      b.dispose();
      const H = tf.sum(aa, 1);
      const M = tf.sum(ab, 1);
      const L = tf.sum(bb, 1);
      tf.dispose([aa, ab, bb]);
      const m2 = tf.add(M, M);
      M.dispose();
      const t = tf.add(m2, this.shr12(L, rows));
      m2.dispose();
      const u = tf.add(H, this.shr12(t, rows));
      H.dispose();
      const hit = tf.less(u, this.scalar(1 << 24));
      u.dispose();
      return tf.sum(hit);
    });
  }

  /** Hits of samples [start, start + count) of seed. */
  countRange(seed: number, start: number, count: number): number {
    activate(this.tf, this.backendName);
    let hits = 0;
    for (const seg of segments(seed >>> 0, start, count)) {
      for (let done = 0; done < seg.count; done += this.chunk) {
        const rows = Math.min(this.chunk, seg.count - done);
        const c0 = (seg.counter0 + Math.imul(2 * done, PHI)) | 0;
        const t = this.chunkHits(c0, rows);
        hits += t.dataSync()[0]!;
        t.dispose();
      }
    }
    return hits;
  }

  count(seed: number, n: number): number {
    return this.countRange(seed, 0, n);
  }

  /** lowbias32 of the given uint32 values through the tensor pipeline (for the self-check). */
  hashValues(values: number[]): number[] {
    const tf = this.tf;
    activate(tf, this.backendName);
    const rows = values.length / 2;
    return tf.tidy(() => Array.from(this.lowbias32(tf.tensor2d(Int32Array.from(values, (v) => v | 0), [rows, 2], 'int32'), rows).dataSync(), (v) => v >>> 0));
  }

  /**
   * Checks the pipeline against the reference generator: lowbias32 of edge and pseudo-random
   * values, and the hit count of samples that cross a chunk boundary and (at 2^31) a block.
   */
  selfCheck(): void {
    const values: number[] = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xffff, 0x10000, 0x7fff, 0x8000, 0x9e3779b9];
    for (let i = 0; values.length < 4096; i++) values.push(lowbias32(i * 2654435761));
    const got = this.hashValues(values);
    const bad = values.findIndex((v, i) => got[i] !== lowbias32(v));
    if (bad >= 0) throw new Error(`tfjs int32 ops do not reproduce lowbias32 (${JSON.stringify(this.caps)}): lowbias32(${values[bad]}) = ${lowbias32(values[bad]!)}, tfjs gave ${got[bad]}`);
    const cases: Array<[number, number, number]> = [[12345, 0, 5000], [0xffffffff, this.chunk - 100, 300], [7, 2 ** 31 - 150, 300]];
    for (const [seed, start, count] of cases) {
      const want = countHitsReference(seed, start, count);
      const have = this.countRange(seed, start, count);
      if (have !== want) throw new Error(`tfjs exact kernel counts ${have} hits for seed ${seed}, samples [${start}, ${start + count}); the reference counts ${want}`);
    }
  }

  facts(): Record<string, unknown> {
    return {
      variant: 'exact',
      generator: 'the scenario generator (lowbias32 over a Weyl counter) in tfjs int32 ops, both coordinates of a sample in one [chunk, 2] tensor',
      int32: {
        mulWraps: this.caps.mulWraps,
        floorDivExact: this.caps.floorDivExact,
        multiply: this.caps.mulWraps ? 'one int32 mul (wraps mod 2^32)' : '16-bit split: x*C_lo + (x*C_hi mod 2^32)*2^16',
        shift: this.caps.floorDivExact ? 'floorDiv by 2^k, then mask' : 'mask low k bits, floorDiv by 2^k (exact in float32), mask',
        xor: 'a + b - 2 (a & b)',
      },
      test: 'X^2 + Y^2 < 2^48 exactly, in 12-bit limbs (int32)',
      chunk: { samples: this.chunk },
      selfCheck: 'passed in prepare: 4096 lowbias32 values and 3 ranges (chunk and block boundaries) match the reference',
    };
  }

  dispose(): void {
    this.weyl.dispose();
    this.hi12.dispose();
    for (const t of this.masks.values()) t.dispose();
    for (const t of this.scalars.values()) t.dispose();
    this.masks.clear();
    this.scalars.clear();
  }
}
