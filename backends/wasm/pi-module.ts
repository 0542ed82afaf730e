/**
 * Builds, at run time, the WebAssembly kernel of the Monte Carlo pi scenario with binaryen's
 * JS API (IR built in memory, optimized by binaryen, emitted as a binary).
 *
 * The module has no imports and no memory; it exports
 *     count(counter0: i32, m: i32) -> f64
 * = the number of hits among the m samples of one segment (see `segments()` in
 * scenarios/monte-carlo-pi/generator.ts): sample k uses counter c = counter0 + k*2*PHI,
 * X = lowbias32(c) >>> 8, Y = lowbias32(c + PHI) >>> 8, hit iff X^2 + Y^2 < 2^48 exactly.
 *
 * simd: false -> a scalar loop (exact f64 test).
 * simd: true  -> a 128-bit SIMD loop (2 vectors = 8 samples per iteration) with an f32 test
 *                that is made exact by a per-block fallback (see "Exactness" below), and the
 *                scalar loop for the last m mod 8 samples.
 *
 * Exactness of the SIMD test. X, Y < 2^24 convert exactly to f32. In f32,
 *   d = fl(fl(X*X) + fl(Y*Y)).
 * Near the decision point (X^2 + Y^2 ~ 2^48) each square is < 2^48, so its rounding error is
 * at most half an ulp of [2^47, 2^48), i.e. 2^23; the sum is < 2^49 and its rounding error is
 * at most half an ulp of [2^48, 2^49), i.e. 2^24. Hence |d - (X^2 + Y^2)| <= 2^25 (no FMA
 * contraction exists in wasm, every op is an IEEE round-to-nearest). With MARGIN = 2^27 (4x
 * the bound; LO = 2^48 - 2^27 and HI = 2^48 + 2^27 are exact in f32):
 *   d <  LO  =>  X^2 + Y^2 < 2^48  (sure hit),
 *   d >= HI  =>  X^2 + Y^2 > 2^48  (sure miss).
 * Each lane counts both `d < LO` and `d < HI`. If the two counts of a block agree, no lane of
 * the block fell in [LO, HI) and the LO count is exact; otherwise the whole block is counted
 * again with the exact scalar loop. The band has probability ~ (pi/4) * 2^28 / 2^48 ~ 7.5e-7
 * per sample, so ~0.6% of 8192-sample blocks are recounted: ~0.01 ns/sample on average.
 */
import binaryen from 'binaryen';
import { PHI } from '../../scenarios/monte-carlo-pi/generator.js';

export interface PiWasmOptions {
  simd: boolean;
  optimizeLevel: number;
  shrinkLevel?: number;
}

export interface PiWasmBuild {
  binary: Uint8Array;
  buildMs: number;
  optimizeMs: number;
  validateMs: number;
  simd: boolean;
  optimizeLevel: number;
}

/** lowbias32 multipliers, as signed i32 literals (binaryen takes i32 constants signed). */
const K1 = 0x7feb352d | 0;
const K2 = 0x846ca68b | 0;
const PHI_I32 = PHI | 0;
/** 2^48 - 2^27 and 2^48 + 2^27: the f32 "sure hit" / "maybe hit" thresholds (see top). */
const F32_LO = 2 ** 48 - 2 ** 27;
const F32_HI = 2 ** 48 + 2 ** 27;
/** SIMD loop iterations (8 samples each) per exactness block: 1024 -> 8192 samples. Per-lane
 * block counters reach at most 2 * 1024, far from i32 overflow. */
const BLOCK_ITERS = 1024;

const i32 = binaryen.i32;
const f64 = binaryen.f64;
const v128 = binaryen.v128;

/** i32 constant from an unsigned/any JS number (mod 2^32). */
function wrap32(x: number): number {
  return Number(BigInt.asIntN(32, BigInt(Math.round(x))));
}

function v128I32(lanes: readonly number[]): number[] {
  const bytes: number[] = [];
  for (const l of lanes) {
    const u = l >>> 0;
    bytes.push(u & 0xff, (u >>> 8) & 0xff, (u >>> 16) & 0xff, (u >>> 24) & 0xff);
  }
  return bytes;
}

function v128F32(value: number): number[] {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  for (let l = 0; l < 4; l++) dv.setFloat32(4 * l, value, true);
  return Array.from(b);
}

/**
 * Adds the internal function `scalar(c: i32, n: i32) -> i32`: hits among n samples whose
 * first counter is c (exact: X, Y -> f64, X^2 + Y^2 < 2^49 is exact in f64). n is treated
 * as unsigned. Two samples per iteration so the two hash chains of each overlap better.
 */
function addScalar(mod: binaryen.Module): void {
  const C = 0, N = 1, HITS = 2, T = 3, U = 4;
  const g = (i: number) => mod.local.get(i, i32);
  const k = (x: number) => mod.i32.const(x);
  const s = (i: number, e: number) => mod.local.set(i, e);

  // t <- lowbias32(t) >>> 8, as statements (t is a local index).
  const hash = (t: number): number[] => [
    s(t, mod.i32.mul(mod.i32.xor(g(t), mod.i32.shr_u(g(t), k(16))), k(K1))),
    s(t, mod.i32.mul(mod.i32.xor(g(t), mod.i32.shr_u(g(t), k(15))), k(K2))),
    s(t, mod.i32.shr_u(mod.i32.xor(g(t), mod.i32.shr_u(g(t), k(16))), k(8))),
  ];
  // Interleave the X and Y hashes so their dependency chains overlap.
  const body: number[] = [
    s(T, g(C)),
    s(U, mod.i32.add(g(C), k(PHI_I32))),
    ...interleave(hash(T), hash(U)),
  ];
  const sq = (i: number) => {
    const f = mod.f64.convert_s.i32(g(i));
    return mod.f64.mul(f, mod.f64.convert_s.i32(g(i)));
  };
  const hit = mod.f64.lt(mod.f64.add(sq(T), sq(U)), mod.f64.const(2 ** 48));

  const fn = mod.block(null, [
    s(HITS, k(0)),
    mod.if(
      g(N),
      mod.loop(
        'sloop',
        mod.block(null, [
          ...body,
          s(HITS, mod.i32.add(g(HITS), hit)),
          s(C, mod.i32.add(g(C), k(wrap32(2 * PHI)))),
          s(N, mod.i32.sub(g(N), k(1))),
          mod.br('sloop', g(N)),
        ]),
      ),
    ),
    g(HITS),
  ], i32);
  mod.addFunction('scalar', binaryen.createType([i32, i32]), i32, [i32, i32, i32], fn);
}

function interleave(a: number[], b: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]!);
    if (i < b.length) out.push(b[i]!);
  }
  return out;
}

/** Exported `count` for simd: false: the scalar loop over all m samples. */
function addScalarCount(mod: binaryen.Module): void {
  const body = mod.f64.convert_u.i32(
    mod.call('scalar', [mod.local.get(0, i32), mod.local.get(1, i32)], i32),
  );
  mod.addFunction('count', binaryen.createType([i32, i32]), f64, [], body);
  mod.addFunctionExport('count', 'count');
}

/**
 * Exported `count` for simd: true.
 *   for each block of up to BLOCK_ITERS iterations (8 samples each):
 *     vectors A (samples 0..3 of the iteration) and B (samples 4..7), counters advance 16*PHI
 *     lo -= (d < LO), hi -= (d < HI) per lane (compare masks are -1, so lo/hi count up)
 *     block exact unless some lane differs -> recount block with `scalar`
 *   tail (m mod 8 samples) with `scalar`
 */
function addSimdCount(mod: binaryen.Module): void {
  // Locals: params 0..1, then vars.
  const C0 = 0, M = 1;
  const TOTAL = 2, ITERS = 3, BI = 4, J = 5, C = 6;
  const CA = 7, CB = 8, LO = 9, HI = 10, XA = 11, YA = 12, XB = 13, YB = 14, DA = 15, DB = 16;
  const vars = [i32, i32, i32, i32, i32, v128, v128, v128, v128, v128, v128, v128, v128, v128, v128];

  const gi = (i: number) => mod.local.get(i, i32);
  const gv = (i: number) => mod.local.get(i, v128);
  const s = (i: number, e: number) => mod.local.set(i, e);
  const k = (x: number) => mod.i32.const(x);
  const splat = (x: number) => mod.v128.const(v128I32([x, x, x, x]));
  const I = mod.i32x4;

  // v <- lowbias32(v) >>> 8 lane-wise, as statements on local v.
  const hash = (v: number): number[] => [
    s(v, I.mul(mod.v128.xor(gv(v), I.shr_u(gv(v), k(16))), splat(K1))),
    s(v, I.mul(mod.v128.xor(gv(v), I.shr_u(gv(v), k(15))), splat(K2))),
    s(v, I.shr_u(mod.v128.xor(gv(v), I.shr_u(gv(v), k(16))), k(8))),
  ];
  // d <- fx^2 + fy^2 in f32 (x, y hold 24-bit ints; converted in place).
  const dist = (d: number, x: number, y: number): number[] => [
    s(x, mod.f32x4.convert_i32x4_s(gv(x))),
    s(y, mod.f32x4.convert_i32x4_s(gv(y))),
    s(d, mod.f32x4.add(mod.f32x4.mul(gv(x), gv(x)), mod.f32x4.mul(gv(y), gv(y)))),
  ];
  const tally = (d: number): number[] => [
    s(LO, I.sub(gv(LO), mod.f32x4.lt(gv(d), mod.v128.const(v128F32(F32_LO))))),
    s(HI, I.sub(gv(HI), mod.f32x4.lt(gv(d), mod.v128.const(v128F32(F32_HI))))),
  ];

  const inner = mod.loop(
    'vloop',
    mod.block(null, [
      s(XA, gv(CA)),
      s(YA, I.add(gv(CA), splat(PHI_I32))),
      s(XB, gv(CB)),
      s(YB, I.add(gv(CB), splat(PHI_I32))),
      // Four independent hash chains, interleaved step by step.
      ...interleave(interleave(hash(XA), hash(YA)), interleave(hash(XB), hash(YB))),
      ...dist(DA, XA, YA),
      ...dist(DB, XB, YB),
      ...tally(DA),
      ...tally(DB),
      s(CA, I.add(gv(CA), splat(wrap32(16 * PHI)))),
      s(CB, I.add(gv(CB), splat(wrap32(16 * PHI)))),
      s(J, mod.i32.sub(gi(J), k(1))),
      mod.br('vloop', gi(J)),
    ]),
  );

  const lane = (v: number, l: number) => I.extract_lane(gv(v), l);
  const hsum = mod.i32.add(
    mod.i32.add(lane(LO, 0), lane(LO, 1)),
    mod.i32.add(lane(LO, 2), lane(LO, 3)),
  );

  const outer = mod.loop(
    'bloop',
    mod.block(null, [
      // bi = min(iters, BLOCK_ITERS)
      s(BI, mod.select(mod.i32.lt_u(gi(ITERS), k(BLOCK_ITERS)), gi(ITERS), k(BLOCK_ITERS))),
      s(ITERS, mod.i32.sub(gi(ITERS), gi(BI))),
      s(J, gi(BI)),
      s(CA, I.add(I.splat(gi(C)), mod.v128.const(v128I32([0, 2 * PHI, 4 * PHI, 6 * PHI].map(wrap32))))),
      s(CB, I.add(gv(CA), splat(wrap32(8 * PHI)))),
      s(LO, mod.v128.const(v128I32([0, 0, 0, 0]))),
      s(HI, mod.v128.const(v128I32([0, 0, 0, 0]))),
      inner,
      s(
        TOTAL,
        mod.i32.add(
          gi(TOTAL),
          mod.if(
            mod.v128.any_true(mod.v128.xor(gv(LO), gv(HI))),
            // Some lane was within the f32 error band: recount the block exactly.
            mod.call('scalar', [gi(C), mod.i32.shl(gi(BI), k(3))], i32),
            hsum,
          ),
        ),
      ),
      s(C, mod.i32.add(gi(C), mod.i32.mul(gi(BI), k(wrap32(16 * PHI))))),
      mod.br('bloop', gi(ITERS)),
    ]),
  );

  const body = mod.block(null, [
    s(TOTAL, k(0)),
    s(C, gi(C0)),
    s(ITERS, mod.i32.shr_u(gi(M), k(3))),
    mod.if(gi(ITERS), outer),
    s(TOTAL, mod.i32.add(gi(TOTAL), mod.call('scalar', [gi(C), mod.i32.and(gi(M), k(7))], i32))),
    mod.f64.convert_u.i32(gi(TOTAL)),
  ], f64);
  mod.addFunction('count', binaryen.createType([i32, i32]), f64, vars, body);
  mod.addFunctionExport('count', 'count');
}

/** Builds, optimizes, validates and emits the pi kernel module. */
export function buildPiModule(opts: PiWasmOptions): PiWasmBuild {
  const t0 = performance.now();
  const mod = new binaryen.Module();
  try {
    mod.setFeatures(opts.simd ? binaryen.Features.MVP | binaryen.Features.SIMD128 : binaryen.Features.MVP);
    addScalar(mod);
    if (opts.simd) addSimdCount(mod);
    else addScalarCount(mod);
    const t1 = performance.now();

    // Validate the IR as built (before optimizing: binaryen's passes assume valid input).
    const ok = mod.validate();
    const t2 = performance.now();
    if (!ok) throw new Error('binaryen: pi kernel module failed validation');

    binaryen.setOptimizeLevel(opts.optimizeLevel);
    binaryen.setShrinkLevel(opts.shrinkLevel ?? 0);
    mod.optimize();
    const t3 = performance.now();

    const binary = mod.emitBinary();
    return {
      binary,
      buildMs: t1 - t0,
      validateMs: t2 - t1,
      optimizeMs: t3 - t2,
      simd: opts.simd,
      optimizeLevel: opts.optimizeLevel,
    };
  } finally {
    mod.dispose();
  }
}
