/**
 * The Monte Carlo pi kernels on TensorFlow.js: the careful one (chunked, on-device generator)
 * and the naive idiom.
 *
 * Nothing here knows the cell's n or seed in advance: both arrive at count() time.
 *
 * ## The careful kernel
 *
 * tfjs 4.22 has no random-number kernel: `tf.randomUniform` fills a buffer in JavaScript
 * (seedrandom's alea, ~8-9 ns a value here) and uploads it, on every backend. Drawing 2n values
 * that way is most of the naive kernel's time. The careful kernel draws only small tables with
 * it and builds the points on the device, chunk by chunk (rows x cols samples):
 *
 *   tables   A, C (rows values each), B, D (cols values each) from one randomUniform call,
 *            seeded with a hash of (seed, chunk index)
 *   points   x0 = A_i + B_j, y0 = C_i + D_j              (broadcast adds: a rows x cols grid)
 *   shear 1  y  = frac(y0 + frac(K1 * x0^2))
 *   shear 2  x  = frac(x0 + frac(K2 * y^2))
 *   test     floor(x^2 + y^2) is 0 for a hit, 1 for a miss (x^2 + y^2 < 2)
 *   count    float32 row sums (exact: each is an integer <= cols <= 2^24), cast to int32,
 *            summed in int32 (exact) per chunk; the chunks add up in JavaScript
 *
 * Why it is a sound Monte Carlo sample: frac(A_i + B_j) with A_i, B_j independent uniforms is
 * uniform, and two different grid points are independent (if they share i, B_j and B_j' are
 * independent uniforms; if they share nothing, everything is) - pairwise independence (Joffe,
 * "On a set of almost deterministic k-independent random variables", Ann. Prob. 1974). A shear
 * (x, y) -> (x, y + F(x) mod 1) preserves the uniform measure on the torus for any F, so the
 * sheared points are still uniform and pairwise independent. The hit count is a sum of
 * indicators, so its mean and variance only involve single points and pairs: the estimate is
 * unbiased with exactly the binomial variance, as with independent points. What pairwise
 * independence does not give is the shape of the distribution: without the shears the count
 * of one grid is a sum of products of near-normal Fourier sums and has heavier tails (a 64x64
 * grid, 3e5 trials: kurtosis 3.26, P(|z| > 4) 4.6x the normal value); the two nonlinear shears
 * bring it back to the independent case (kurtosis 2.99, P(|z| > 4) as normal). Chunks use
 * independent tables, so chunks are independent. float32 rounding puts the coordinates on
 * grids no coarser than 2^-22, which moves the hit probability by less than 3e-7 relative.
 * Measured on tfjs-wasm: z of single chunks (2^19 samples) over 12,000 seeds: mean 0.00
 * (over the first 4,000: variance 1.01, kurtosis 3.04, max |z| 4.05); 40 runs at 1e8: max
 * |z| 3.2; 50 runs at 1e9; all 5.6e10 samples pooled: z = 1.3. test/tfjs.test.ts checks the kernel against a float32 emulation of this spec
 * (identical counts on tfjs-wasm and tfjs-cpu) and the points' uniformity and correlations.
 *
 * Cost on tfjs-wasm: ~22 float32 ops per sample, each ~0.2 ns an element through XNNPACK, plus
 * ~4 us of dispatch per op and chunk (hence 2^19-sample chunks; 2^16..2^21 were within 25%):
 * ~5 ns a sample against ~26-31 for the naive idiom. On tfjs-cpu (plain JS) a broadcast binary
 * op costs ~135 ns an element and any binary op ~15 ns, more than drawing the value, so there
 * the chunk draws both coordinates with randomUniform ([rows, cols, 2]) and only the test and
 * the count are tensor ops (square, sum, floor, sum: unary ops and reductions, the cheap ones
 * there): ~25 ns a sample, 15 of them tfjs's JavaScript generator, against ~52-64 for the naive
 * idiom (which draws the same 2n values). Chunks smaller than smallChunk (small n, tails) draw
 * with randomUniform on every engine: there the ~25 op dispatches of a grid cost more than
 * drawing. (tf.rand with a faster generator of our own in JavaScript would make tfjs-cpu
 * faster, but that is host code generating the samples, not tfjs.)
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { blockKey } from '../../scenarios/monte-carlo-pi/generator.js';
import { activate, type Tf, type TfjsEngine } from './runtime.js';

/** Hit counting for one prepared kernel. */
export interface PiCounter {
  /** Hits among n samples of the given seed. */
  count(seed: number, n: number): number;
  /** What the kernel does (recorded in the cell's info). */
  facts(): Record<string, unknown>;
  dispose(): void;
}

/** Seed of the k-th chunk (or table) of a call: lowbias32 hashes of (seed, k), the scenario's block-key function. */
export function chunkSeed(seed: number, k: number): number {
  return blockKey(seed >>> 0, k);
}

export interface Chunk {
  rows: number;
  cols: number;
}

/**
 * Splits n samples into chunks: full rows x cols chunks, then the remainder r as one
 * rows' x cols' grid (cols' = min(cols, ceil(sqrt r))) and one 1 x rest row.
 */
export function* chunksOf(n: number, rows: number, cols: number): Generator<Chunk> {
  const m = rows * cols;
  const full = Math.floor(n / m);
  for (let k = 0; k < full; k++) yield { rows, cols };
  const r = n - full * m;
  if (r === 0) return;
  const c = Math.min(cols, Math.ceil(Math.sqrt(r)));
  const q = Math.floor(r / c);
  if (q > 0) yield { rows: q, cols: c };
  const rest = r - q * c;
  if (rest > 0) yield { rows: 1, cols: rest };
}

export type Generator2D = 'tables' | 'uniform';

export interface CarefulConfig {
  /** Generator of full chunks. */
  generator: Generator2D;
  rows: number;
  cols: number;
  /** Chunks with fewer samples use 'uniform' (fixed op-dispatch cost beats drawing there). */
  smallChunk: number;
}

/** Chunk shape and generator per engine (measured on tfjs 4.22, see the header). */
export function carefulConfig(engine: TfjsEngine): CarefulConfig {
  if (engine === 'cpu') return { generator: 'uniform', rows: 2048, cols: 1024, smallChunk: 0 };
  // Not measured here (tfjs-node does not install on this network): TF's eager ops cost more
  // per dispatch than tfjs-wasm's, so larger chunks.
  if (engine === 'node') return { generator: 'tables', rows: 1024, cols: 1024, smallChunk: 6144 };
  return { generator: 'tables', rows: 512, cols: 1024, smallChunk: 6144 };
}

/** Shear constants (exact float32 values). */
export const SHEAR_K1 = 1021.375;
export const SHEAR_K2 = 977.125;

function dispose(...ts: Tensor[]): void {
  for (const t of ts) t.dispose();
}

/** frac(v) = v - floor(v); consumes v. */
function frac(tf: Tf, v: Tensor): Tensor {
  const f = tf.floor(v);
  const r = tf.sub(v, f);
  dispose(f, v);
  return r;
}

/** Sums a rows x cols tensor of 0/1 floats exactly: float32 row sums (<= cols), then int32. Consumes it. */
function exactSum(tf: Tf, ones: Tensor): Tensor {
  const rowSums = tf.sum(ones, 1);
  ones.dispose();
  const ints = tf.cast(rowSums, 'int32');
  rowSums.dispose();
  const total = tf.sum(ints);
  ints.dispose();
  return total;
}

/**
 * The points of one 'tables' chunk: x and y^2 (what the count needs), or x and y (points = true,
 * for statistical tests). Call inside a tidy.
 */
function tablesGrid(tf: Tf, k1: Tensor, k2: Tensor, { rows, cols }: Chunk, seed: number, points: boolean): [Tensor, Tensor] {
  const tab = tf.randomUniform([2 * (rows + cols)], 0, 1, 'float32', seed);
  const a = tf.reshape(tf.slice(tab, 0, rows), [rows, 1]);
  const c = tf.reshape(tf.slice(tab, rows, rows), [rows, 1]);
  const b = tf.reshape(tf.slice(tab, 2 * rows, cols), [1, cols]);
  const d = tf.reshape(tf.slice(tab, 2 * rows + cols, cols), [1, cols]);
  const x0 = tf.add(a, b); // in [0, 2]: the frac is taken after shear 2
  const y0 = tf.add(c, d);
  // shear 1: y = frac(y0 + frac(K1 x0^2))
  const x0sq = tf.square(x0);
  const t1 = tf.mul(x0sq, k1);
  x0sq.dispose();
  const f1 = frac(tf, t1);
  const u1 = tf.add(y0, f1);
  dispose(y0, f1);
  const y = frac(tf, u1);
  const ysq = tf.square(y);
  if (!points) y.dispose();
  // shear 2: x = frac(x0 + frac(K2 y^2))
  const t2 = tf.mul(ysq, k2);
  if (points) ysq.dispose();
  const f2 = frac(tf, t2);
  const u2 = tf.add(x0, f2);
  dispose(x0, f2);
  const x = frac(tf, u2);
  return [x, points ? y : ysq];
}

/** Misses of one 'tables' chunk (int32 scalar). */
function tablesMisses(tf: Tf, k1: Tensor, k2: Tensor, chunk: Chunk, seed: number): Tensor {
  return tf.tidy(() => {
    const [x, ysq] = tablesGrid(tf, k1, k2, chunk, seed, false);
    const xsq = tf.square(x);
    x.dispose();
    const r2 = tf.add(xsq, ysq);
    dispose(xsq, ysq);
    return exactSum(tf, tf.floor(r2));
  });
}

/** Misses of one 'uniform' chunk (int32 scalar): both coordinates from randomUniform. */
function uniformMisses(tf: Tf, { rows, cols }: Chunk, seed: number): Tensor {
  return tf.tidy(() => {
    const p = tf.randomUniform([rows, cols, 2], 0, 1, 'float32', seed);
    const sq = tf.square(p);
    p.dispose();
    const r2 = tf.sum(sq, 2);
    sq.dispose();
    return exactSum(tf, tf.floor(r2));
  });
}

export class CarefulCounter implements PiCounter {
  private readonly k1: Tensor;
  private readonly k2: Tensor;

  constructor(
    private readonly tf: Tf,
    private readonly backendName: string,
    readonly config: CarefulConfig,
  ) {
    activate(tf, backendName);
    this.k1 = tf.scalar(SHEAR_K1, 'float32');
    this.k2 = tf.scalar(SHEAR_K2, 'float32');
  }

  /** Which generator a chunk uses. */
  generatorFor(chunk: Chunk): Generator2D {
    return this.config.generator === 'tables' && chunk.rows * chunk.cols >= this.config.smallChunk && chunk.rows > 1 ? 'tables' : 'uniform';
  }

  /** The x and y coordinates of a 'tables' chunk (for statistical tests of the generator). */
  tablesPoints(chunk: Chunk, seed: number): { x: Float32Array; y: Float32Array } {
    const tf = this.tf;
    activate(tf, this.backendName);
    return tf.tidy(() => {
      const [x, y] = tablesGrid(tf, this.k1, this.k2, chunk, seed, true);
      // Copies: a backend may hand out a view of its own memory.
      return { x: Float32Array.from(x.dataSync()), y: Float32Array.from(y.dataSync()) };
    });
  }

  count(seed: number, n: number): number {
    const tf = this.tf;
    activate(tf, this.backendName);
    let misses = 0;
    let k = 0;
    for (const chunk of chunksOf(n, this.config.rows, this.config.cols)) {
      const s = chunkSeed(seed, k++);
      const t = this.generatorFor(chunk) === 'tables' ? tablesMisses(tf, this.k1, this.k2, chunk, s) : uniformMisses(tf, chunk, s);
      const m = t.dataSync()[0]!;
      t.dispose();
      misses += m;
    }
    return n - misses;
  }

  facts(): Record<string, unknown> {
    const { generator, rows, cols, smallChunk } = this.config;
    return {
      variant: 'careful',
      generator: generator === 'tables'
        ? `tables: per chunk one randomUniform of 2(rows + cols) values, points frac(A_i + B_j), frac(C_i + D_j) on the device, two shears (K1 = ${SHEAR_K1}, K2 = ${SHEAR_K2}); chunks under ${smallChunk} samples draw both coordinates with randomUniform`
        : 'uniform: per chunk one randomUniform of [rows, cols, 2]; test and count on the device',
      chunk: { rows, cols, samples: rows * cols },
      test: 'floor(x^2 + y^2) (0 hit, 1 miss) in float32',
      count: 'float32 row sums (exact, <= cols), int32 chunk sum, chunks summed in JS',
      seeds: 'chunk k draws with seed lowbias32(lowbias32(seed) + (k + 1) * PHI)',
    };
  }

  dispose(): void {
    dispose(this.k1, this.k2);
  }
}

/**
 * The naive idiom: one randomUniform of n for x and one for y, square, add, less, sum. No
 * chunking: at n = 1e8 it holds several 400 MB tensors at once.
 */
export class NaiveCounter implements PiCounter {
  constructor(private readonly tf: Tf, private readonly backendName: string) {}

  count(seed: number, n: number): number {
    const tf = this.tf;
    activate(tf, this.backendName);
    const hits = tf.tidy(() => {
      const x = tf.randomUniform([n], 0, 1, 'float32', chunkSeed(seed, 0));
      const y = tf.randomUniform([n], 0, 1, 'float32', chunkSeed(seed, 1));
      return tf.sum(tf.less(tf.add(tf.square(x), tf.square(y)), 1));
    });
    const h = hits.dataSync()[0]!;
    hits.dispose();
    return h;
  }

  facts(): Record<string, unknown> {
    return {
      variant: 'naive',
      generator: 'randomUniform([n]) for x and for y (seeds lowbias32 hashes of (seed, 0) and (seed, 1))',
      test: 'sum(less(square(x) + square(y), 1)) over all n at once (no chunking)',
    };
  }

  dispose(): void {}
}
