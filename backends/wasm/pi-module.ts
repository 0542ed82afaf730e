/**
 * Builds, at run time, the WebAssembly kernel of the Monte Carlo pi scenario with binaryen's
 * JS API: the IR is built in memory, optimized by binaryen and emitted as a binary.
 *
 * The module has no imports and no memory. It exports
 *     count(counter0: i32, m: i32) -> f64
 * = the number of hits among the m samples (0 <= m < 2^31) of one segment (see `segments()`
 * in scenarios/monte-carlo-pi/generator.ts): sample k uses the counter c = counter0 + 2k*PHI,
 * X = lowbias32(c) >>> 8, Y = lowbias32(c + PHI) >>> 8, and is a hit iff X^2 + Y^2 < 2^48.
 *
 * Internal functions (the result is exact at every level):
 *   scalar(c, n)  exact: X, Y -> f64, X^2 + Y^2 < 2^49 is exact in f64.          (both modules)
 *   exact8(c, n8) 128-bit SIMD, 8 samples per iteration, f32 test that is exact
 *                 outside a tiny band; recounts with `scalar` if a lane hit the band. (simd)
 *   count         simd: false -> scalar over all m samples.
 *                 simd: true  -> 128-bit SIMD "filter" loop, 16 samples per iteration
 *                 (4 vectors: 8 independent hash chains to hide the i32x4.mul latency),
 *                 integer test on the top 15 bits of X and Y; every block of 128 samples
 *                 that had a lane in the filter's band is recounted with `exact8`;
 *                 the last m mod 16 samples go to `scalar`.
 *
 * Why a 15-bit filter instead of converting X, Y to f32 (the straightforward SIMD test)?
 * The loop is bound by vector-op throughput (~3.3 ops/cycle on this Zen 4), and the two
 * hashes are 18 of the ~29 ops per 4 samples. The top 15 bits of X do not depend on
 * lowbias32's last step (x ^= x >>> 16 only changes the low 16 bits), so the filter skips it,
 * and the 15-bit coordinates of a sample pair into one i32 lane whose i32x4.dot_i16x8_s
 * (pmaddwd) with itself is Xh^2 + Yh^2. Per 4 samples: 2 shifts + 1 blend + 1 dot instead of
 * 2 x (shift + xor) + 2 shifts + 2 converts + 3 float ops, i.e. ~22 ops instead of ~29.
 * Measured at n = 1e8 on AMD EPYC (Zen 4): ~0.43 ns/sample vs ~0.69 for the f32 test
 * (native C with the same f32 test on 128-bit SSE: ~0.62).
 *
 * Exactness of the 15-bit filter. Let x2 be lowbias32's state after its second multiply,
 * u = x2 ^ (x2 >>> 16), X = u >>> 8. Then Xh := x2 >>> 17 = X >>> 9 (the xor only touches bits
 * 0..15 of u), so X = 512*Xh + r with 0 <= r < 512, i.e. 2^18*Xh^2 <= X^2 < 2^18*(Xh+1)^2.
 * With q = Xh^2 + Yh^2 (exact in i32: < 2^31) and X^2 + Y^2 < 2^48 <=> (X^2 + Y^2)/2^18 < 2^30:
 *   q >= 2^30                          => X^2 + Y^2 >= 2^48      (sure miss)
 *   q + 2(Xh + Yh) + 2 <= 2^30         => X^2 + Y^2 <  2^48      (sure hit)
 * and Xh + Yh <= sqrt(2q) < 2^15.5 < 46341, so q < FILTER_LO = 2^30 - 92681 is a sure hit.
 * Band [FILTER_LO, 2^30): probability ~ (pi/4) * 92681 / 2^30 ~ 6.8e-5 per sample, so ~0.9% of
 * 128-sample blocks are recounted by exact8 (~90 ns each): ~0.006 ns/sample on average.
 *
 * Exactness of exact8's f32 test. X, Y < 2^24 convert exactly to f32; d = fl(fl(X*X) + fl(Y*Y)).
 * Each square < 2^48 has rounding error <= half an ulp of [2^47, 2^48) = 2^23; the sum < 2^49 has
 * error <= half an ulp of [2^48, 2^49) = 2^24; so |d - (X^2 + Y^2)| <= 2^25 (wasm has no FMA
 * contraction; every op is IEEE round-to-nearest). With F32_LO/HI = 2^48 -/+ 2^27 (4x margin,
 * both exact in f32): d < F32_LO => sure hit, d >= F32_HI => sure miss. Each lane counts
 * d < F32_LO and d < F32_HI; if the counts differ anywhere, the call recounts with `scalar`.
 */
import binaryen from 'binaryen';
import { PHI } from '../../scenarios/monte-carlo-pi/generator.js';

export interface PiWasmOptions {
  simd: boolean;
  optimizeLevel: number;
  shrinkLevel?: number;
}

export interface PiWasmBuild {
  /** ArrayBuffer-backed, so it is a BufferSource for WebAssembly.Module/compile as typed. */
  binary: Uint8Array<ArrayBuffer>;
  buildMs: number;
  optimizeMs: number;
  validateMs: number;
  simd: boolean;
  optimizeLevel: number;
}

/** lowbias32 multipliers as i32 literals (binaryen i32 constants are signed). */
const K1 = 0x7feb352d | 0;
const K2 = 0x846ca68b | 0;

/** Filter thresholds on q = Xh^2 + Yh^2 (see top). */
const FILTER_BITS = 15;
const FILTER_HI = 2 ** (2 * FILTER_BITS); // 2^30
const FILTER_LO = FILTER_HI - 92681;
/** exact8 thresholds on d = X^2 + Y^2 in f32 (see top). */
const F32_LO = 2 ** 48 - 2 ** 27;
const F32_HI = 2 ** 48 + 2 ** 27;

/** Filter loop: vectors per iteration (4 lanes each) and samples per iteration. */
const FILTER_VECTORS = 4;
const FILTER_SAMPLES = 4 * FILTER_VECTORS; // 16
/** Filter iterations per recount block (128 samples): small, so a recount is cheap. */
const BLOCK_ITERS = 8;

const i32 = binaryen.i32;
const f64 = binaryen.f64;
const v128 = binaryen.v128;

/** x mod 2^32 as a signed i32 literal. */
function wrap32(x: number): number {
  return Number(BigInt.asIntN(32, BigInt(x)));
}

/** Counter increment of k samples: k * 2*PHI (mod 2^32). */
function samplesStep(k: number): number {
  return wrap32(2 * k * PHI);
}

function bytesI32x4(lanes: readonly number[]): number[] {
  const out: number[] = [];
  for (const l of lanes) {
    const u = l >>> 0;
    out.push(u & 0xff, (u >>> 8) & 0xff, (u >>> 16) & 0xff, u >>> 24);
  }
  return out;
}

function bytesF32x4(value: number): number[] {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  for (let l = 0; l < 4; l++) dv.setFloat32(4 * l, value, true);
  return Array.from(b);
}

/** Small helpers bound to one module and one function's locals. */
class Fn {
  readonly vars: number[] = [];
  constructor(readonly mod: binaryen.Module, readonly nParams: number) {}
  local(type: number): number {
    this.vars.push(type);
    return this.nParams + this.vars.length - 1;
  }
  gi = (i: number): number => this.mod.local.get(i, i32);
  gv = (i: number): number => this.mod.local.get(i, v128);
  set = (i: number, e: number): number => this.mod.local.set(i, e);
  k = (x: number): number => this.mod.i32.const(x);
  splat = (x: number): number => this.mod.v128.const(bytesI32x4([x, x, x, x]));
  /** min(local a, b) for unsigned a. */
  minU = (a: number, b: number): number =>
    this.mod.select(this.mod.i32.lt_u(this.gi(a), this.k(b)), this.gi(a), this.k(b));
  /** Sum of the 4 i32 lanes of local v. */
  hsum = (v: number): number => {
    const lane = (l: number) => this.mod.i32x4.extract_lane(this.gv(v), l);
    return this.mod.i32.add(this.mod.i32.add(lane(0), lane(1)), this.mod.i32.add(lane(2), lane(3)));
  };
}

/** Statements: v <- lowbias32's state after the 2nd multiply (rounds 1 and 2), lane-wise. */
function hashRounds12(f: Fn, v: number): number[] {
  const { mod, gv, set, k, splat } = f;
  const I = mod.i32x4;
  return [
    set(v, I.mul(mod.v128.xor(gv(v), I.shr_u(gv(v), k(16))), splat(K1))),
    set(v, I.mul(mod.v128.xor(gv(v), I.shr_u(gv(v), k(15))), splat(K2))),
  ];
}

/** Statement: v <- (v ^ (v >>> 16)) >>> 8, the last round plus the 24-bit cut. */
function hashRound3(f: Fn, v: number): number {
  const { mod, gv, set, k } = f;
  const I = mod.i32x4;
  return set(v, I.shr_u(mod.v128.xor(gv(v), I.shr_u(gv(v), k(16))), k(8)));
}

/** Runs the statement lists side by side, one step of each in turn: independent chains
 * interleaved so the out-of-order core (and V8's scheduler) can overlap their latencies. */
function interleave(lists: number[][]): number[] {
  const out: number[] = [];
  const n = Math.max(...lists.map((l) => l.length));
  for (let i = 0; i < n; i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}

/** scalar(c: i32, n: i32) -> i32: exact hits among n samples (n unsigned) from counter c. */
function addScalar(mod: binaryen.Module): void {
  const f = new Fn(mod, 2);
  const { gi, set, k } = f;
  const C = 0, N = 1;
  const HITS = f.local(i32), X = f.local(i32), Y = f.local(i32);
  const round = (t: number, shift: number, mul: number) =>
    set(t, mod.i32.mul(mod.i32.xor(gi(t), mod.i32.shr_u(gi(t), k(shift))), k(mul)));
  const hash = (t: number) => [
    round(t, 16, K1),
    round(t, 15, K2),
    set(t, mod.i32.shr_u(mod.i32.xor(gi(t), mod.i32.shr_u(gi(t), k(16))), k(8))),
  ];
  // X, Y < 2^24: the f64 squares and their sum (< 2^49) are exact.
  const sq = (t: number) => mod.f64.mul(mod.f64.convert_s.i32(gi(t)), mod.f64.convert_s.i32(gi(t)));
  const body = mod.block(null, [
    mod.if(
      gi(N),
      mod.loop('sample', mod.block(null, [
        set(X, gi(C)),
        set(Y, mod.i32.add(gi(C), k(PHI | 0))),
        ...interleave([hash(X), hash(Y)]),
        set(HITS, mod.i32.add(gi(HITS), mod.f64.lt(mod.f64.add(sq(X), sq(Y)), mod.f64.const(2 ** 48)))),
        set(C, mod.i32.add(gi(C), k(samplesStep(1)))),
        set(N, mod.i32.sub(gi(N), k(1))),
        mod.br('sample', gi(N)),
      ])),
    ),
    gi(HITS),
  ], i32);
  mod.addFunction('scalar', binaryen.createType([i32, i32]), i32, f.vars, body);
}

/**
 * exact8(c: i32, n8: i32) -> i32: exact hits among 8*n8 samples from counter c (n8 >= 1,
 * small: per-lane counts are at most 2*n8). Two vectors per iteration: vector u, lane l of
 * iteration i is sample 8i + 4u + l.
 */
function addExact8(mod: binaryen.Module): void {
  const f = new Fn(mod, 2);
  const { gi, gv, set, k, splat } = f;
  const I = mod.i32x4;
  const F = mod.f32x4;
  const C = 0, N8 = 1;
  const J = f.local(i32);
  const LO = f.local(v128), HI = f.local(v128);
  const CV = [f.local(v128), f.local(v128)];
  const XV = [f.local(v128), f.local(v128)];
  const YV = [f.local(v128), f.local(v128)];
  const flo = () => mod.v128.const(bytesF32x4(F32_LO));
  const fhi = () => mod.v128.const(bytesF32x4(F32_HI));

  const body: number[] = [];
  for (let u = 0; u < 2; u++) body.push(set(XV[u]!, gv(CV[u]!)), set(YV[u]!, I.add(gv(CV[u]!), splat(PHI | 0))));
  const chains = [0, 1].flatMap((u) => [XV[u]!, YV[u]!]).map((v) => [...hashRounds12(f, v), hashRound3(f, v)]);
  body.push(...interleave(chains));
  for (let u = 0; u < 2; u++) {
    const x = XV[u]!, y = YV[u]!;
    body.push(set(x, F.convert_i32x4_s(gv(x))), set(y, F.convert_i32x4_s(gv(y))));
    body.push(set(x, F.add(F.mul(gv(x), gv(x)), F.mul(gv(y), gv(y))))); // d, in f32
    // Compare masks are -1: subtracting them counts up.
    body.push(set(LO, I.sub(gv(LO), F.lt(gv(x), flo()))));
    body.push(set(HI, I.sub(gv(HI), F.lt(gv(x), fhi()))));
  }
  for (let u = 0; u < 2; u++) body.push(set(CV[u]!, I.add(gv(CV[u]!), splat(samplesStep(8)))));
  body.push(set(J, mod.i32.sub(gi(J), k(1))), mod.br('iter', gi(J)));

  const fn = mod.block(null, [
    ...[0, 1].map((u) =>
      set(CV[u]!, I.add(I.splat(gi(C)), mod.v128.const(bytesI32x4([0, 1, 2, 3].map((l) => samplesStep(4 * u + l))))))),
    set(J, gi(N8)),
    mod.loop('iter', mod.block(null, body)),
    mod.if(
      mod.v128.any_true(mod.v128.xor(gv(LO), gv(HI))),
      // Some d fell within 2^27 of 2^48: recount these samples exactly.
      mod.call('scalar', [gi(C), mod.i32.shl(gi(N8), k(3))], i32),
      f.hsum(LO),
    ),
  ], i32);
  mod.addFunction('exact8', binaryen.createType([i32, i32]), i32, f.vars, fn);
}

/** count for simd: true (see top). Vector u, lane l of iteration i is sample 16i + 4u + l. */
function addSimdCount(mod: binaryen.Module): void {
  const f = new Fn(mod, 2);
  const { gi, gv, set, k, splat } = f;
  const I = mod.i32x4;
  const C0 = 0, M = 1;
  const TOTAL = f.local(i32), ITERS = f.local(i32), B = f.local(i32), J = f.local(i32), C = f.local(i32);
  const LO = f.local(v128), HI = f.local(v128), SNAP = f.local(v128);
  const CV: number[] = [], XV: number[] = [], YV: number[] = [];
  for (let u = 0; u < FILTER_VECTORS; u++) {
    CV.push(f.local(v128));
    XV.push(f.local(v128));
    YV.push(f.local(v128));
  }
  // 16-bit words: low word of each i32 lane from the 1st operand, high word from the 2nd
  // (V8 emits a single pblendw).
  const blendMask: number[] = [];
  for (let l = 0; l < 4; l++) blendMask.push(4 * l, 4 * l + 1, 16 + 4 * l + 2, 16 + 4 * l + 3);

  const body: number[] = [];
  for (let u = 0; u < FILTER_VECTORS; u++) {
    body.push(set(XV[u]!, gv(CV[u]!)), set(YV[u]!, I.add(gv(CV[u]!), splat(PHI | 0))));
  }
  body.push(...interleave(CV.flatMap((_, u) => [hashRounds12(f, XV[u]!), hashRounds12(f, YV[u]!)])));
  for (let u = 0; u < FILTER_VECTORS; u++) {
    const x = XV[u]!, y = YV[u]!;
    // lane = Xh | Yh << 16 with Xh = x2 >>> 17, Yh = y2 >>> 17 (15 bits each: i16-positive).
    body.push(set(x, mod.i8x16.shuffle(I.shr_u(gv(x), k(32 - FILTER_BITS)), I.shr_u(gv(y), k(16 - FILTER_BITS)), blendMask)));
    body.push(set(x, I.dot_i16x8_s(gv(x), gv(x)))); // q = Xh^2 + Yh^2 < 2^31
  }
  for (let u = 0; u < FILTER_VECTORS; u++) {
    // Masks are -1: LO counts sure hits, HI counts sure hits + band.
    body.push(set(LO, I.sub(gv(LO), I.lt_s(gv(XV[u]!), splat(FILTER_LO)))));
    body.push(set(HI, I.sub(gv(HI), I.lt_s(gv(XV[u]!), splat(FILTER_HI)))));
  }
  for (let u = 0; u < FILTER_VECTORS; u++) body.push(set(CV[u]!, I.add(gv(CV[u]!), splat(samplesStep(FILTER_SAMPLES)))));
  body.push(set(J, mod.i32.sub(gi(J), k(1))), mod.br('iter', gi(J)));

  const blockLoop = mod.loop('block', mod.block(null, [
    set(B, f.minU(ITERS, BLOCK_ITERS)),
    set(ITERS, mod.i32.sub(gi(ITERS), gi(B))),
    set(J, gi(B)),
    set(SNAP, gv(LO)),
    set(HI, gv(LO)),
    mod.loop('iter', mod.block(null, body)),
    mod.if(
      mod.v128.any_true(mod.v128.xor(gv(LO), gv(HI))),
      // Some lane of this block was in the filter's band: drop the block's filter counts and
      // recount its 16*B samples exactly (B*2 iterations of exact8).
      mod.block(null, [
        set(LO, gv(SNAP)),
        set(TOTAL, mod.i32.add(gi(TOTAL), mod.call('exact8', [gi(C), mod.i32.shl(gi(B), k(1))], i32))),
      ]),
    ),
    set(C, mod.i32.add(gi(C), mod.i32.mul(gi(B), k(samplesStep(FILTER_SAMPLES))))),
    mod.br('block', gi(ITERS)),
  ]));

  const fn = mod.block(null, [
    set(C, gi(C0)),
    set(ITERS, mod.i32.shr_u(gi(M), k(Math.log2(FILTER_SAMPLES)))),
    mod.if(gi(ITERS), mod.block(null, [
      ...CV.map((cv, u) =>
        set(cv, I.add(I.splat(gi(C)), mod.v128.const(bytesI32x4([0, 1, 2, 3].map((l) => samplesStep(4 * u + l))))))),
      blockLoop,
      // Each lane counts at most m/4 < 2^29 hits: no overflow, and the total fits in i32.
      set(TOTAL, mod.i32.add(gi(TOTAL), f.hsum(LO))),
    ])),
    set(TOTAL, mod.i32.add(gi(TOTAL), mod.call('scalar', [gi(C), mod.i32.and(gi(M), k(FILTER_SAMPLES - 1))], i32))),
    mod.f64.convert_u.i32(gi(TOTAL)),
  ], f64);
  mod.addFunction('count', binaryen.createType([i32, i32]), f64, f.vars, fn);
  mod.addFunctionExport('count', 'count');
}

/** count for simd: false. */
function addScalarCount(mod: binaryen.Module): void {
  const body = mod.f64.convert_u.i32(mod.call('scalar', [mod.local.get(0, i32), mod.local.get(1, i32)], i32));
  mod.addFunction('count', binaryen.createType([i32, i32]), f64, [], body);
  mod.addFunctionExport('count', 'count');
}

/** Builds, validates, optimizes (binaryen) and emits the pi kernel module. */
export function buildPiModule(opts: PiWasmOptions): PiWasmBuild {
  const t0 = performance.now();
  const mod = new binaryen.Module();
  // binaryen's optimize/shrink levels are process-global: restore them afterwards.
  const prevOptimize = binaryen.getOptimizeLevel();
  const prevShrink = binaryen.getShrinkLevel();
  try {
    mod.setFeatures(opts.simd ? binaryen.Features.SIMD128 : binaryen.Features.MVP);
    addScalar(mod);
    if (opts.simd) {
      addExact8(mod);
      addSimdCount(mod);
    } else {
      addScalarCount(mod);
    }
    const t1 = performance.now();

    // Validate the IR as built: binaryen's passes assume valid input.
    const valid = mod.validate();
    const t2 = performance.now();
    if (!valid) throw new Error('binaryen: the pi kernel module failed validation');

    binaryen.setOptimizeLevel(opts.optimizeLevel);
    binaryen.setShrinkLevel(opts.shrinkLevel ?? 0);
    mod.optimize();
    const t3 = performance.now();

    const binary = new Uint8Array(mod.emitBinary());
    return {
      binary,
      buildMs: t1 - t0,
      validateMs: t2 - t1,
      optimizeMs: t3 - t2,
      simd: opts.simd,
      optimizeLevel: opts.optimizeLevel,
    };
  } finally {
    binaryen.setOptimizeLevel(prevOptimize);
    binaryen.setShrinkLevel(prevShrink);
    mod.dispose();
  }
}
