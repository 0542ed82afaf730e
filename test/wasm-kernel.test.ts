/**
 * The binaryen-built pi kernels (backends/wasm/pi-module.ts) must count exactly the hits of the
 * reference generator, for the scalar and the SIMD module, on every path: SIMD filter loop,
 * its block recount (exact8), exact8's own scalar fallback, and the scalar tail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPiModule } from '../backends/wasm/pi-module.js';
import {
  BLOCK_SAMPLES,
  PHI,
  countHitsReference,
  lowbias32,
  segments,
} from '../scenarios/monte-carlo-pi/generator.js';

type CountFn = (counter0: number, m: number) => number;

function instantiate(simd: boolean): CountFn {
  const build = buildPiModule({ simd, optimizeLevel: 3 });
  // No imports: instantiating with an empty import object must succeed.
  const instance = new WebAssembly.Instance(new WebAssembly.Module(build.binary), {});
  assert.deepEqual(Object.keys(instance.exports), ['count']);
  return instance.exports['count'] as CountFn;
}

const kernels: Array<[string, CountFn]> = [
  ['scalar', instantiate(false)],
  ['simd', instantiate(true)],
];
const scalarCount = kernels[0]![1];
const simdCount = kernels[1]![1];

/** Hits of samples [start, start + count) of seed, through the kernel, segment by segment. */
function wasmHits(count: CountFn, seed: number, start: number, n: number): number {
  let hits = 0;
  for (const s of segments(seed, start, n)) hits += count(s.counter0, s.count);
  return hits;
}

/** Reference hits of m samples from a raw counter (same formula as the generator). */
function referenceFromCounter(counter0: number, m: number): number {
  let hits = 0;
  for (let k = 0; k < m; k++) {
    const c = (counter0 + Math.imul(2 * k, PHI)) >>> 0;
    const x = lowbias32(c) >>> 8;
    const y = lowbias32((c + PHI) >>> 0) >>> 8;
    if (x * x + y * y < 2 ** 48) hits++;
  }
  return hits;
}

/** The counter of sample i of seed (inside one generator block). */
function counterOf(seed: number, i: number): number {
  return segments(seed, i, 1)[0]!.counter0;
}

const SEEDS = [0, 1, 42, 0xdeadbeef];
const COUNTS = [0, 1, 3, 4, 5, 7, 1000, 4097, 100003];
const STARTS = [0, 5, 123_456_789];

test('build result: timings and flags', () => {
  for (const simd of [false, true]) {
    const b = buildPiModule({ simd, optimizeLevel: 3, shrinkLevel: 0 });
    assert.equal(b.simd, simd);
    assert.equal(b.optimizeLevel, 3);
    assert.ok(b.binary.length > 0);
    assert.ok(WebAssembly.validate(b.binary));
    for (const ms of [b.buildMs, b.optimizeMs, b.validateMs]) assert.ok(Number.isFinite(ms) && ms >= 0);
  }
});

for (const [name, count] of kernels) {
  test(`${name}: equals countHitsReference on small ranges`, () => {
    for (const seed of SEEDS) {
      for (const start of STARTS) {
        for (const n of COUNTS) {
          if (n > 5000 && start !== 0) continue; // keep the slow reference cheap
          assert.equal(wasmHits(count, seed, start, n), countHitsReference(seed, start, n), `seed ${seed} start ${start} n ${n}`);
        }
      }
    }
  });

  test(`${name}: counts around the SIMD loop granularity (16 samples, 128-sample blocks)`, () => {
    const c0 = counterOf(9, 77);
    for (const m of [15, 16, 17, 31, 32, 33, 127, 128, 129, 143, 144, 145, 255, 256, 257, 2047, 2048, 2049, 2063]) {
      assert.equal(count(c0, m), referenceFromCounter(c0, m), `m ${m}`);
    }
  });

  test(`${name}: counter wrap-around (counter0 near 2^32)`, () => {
    for (const c0 of [0xffffffff, 0xfffffff0, 0x80000000, 0]) {
      assert.equal(count(c0 | 0, 3001), referenceFromCounter(c0, 3001), `c0 ${c0}`);
    }
  });

  test(`${name}: range crossing the generator block boundary at 2^31 samples`, () => {
    const start = BLOCK_SAMPLES - 50_001;
    assert.equal(segments(3, start, 100_003).length, 2);
    for (const seed of [3, 0xdeadbeef]) {
      assert.equal(wasmHits(count, seed, start, 100_003), countHitsReference(seed, start, 100_003), `seed ${seed}`);
    }
  });
}

test('simd equals scalar on large segments', () => {
  for (const [seed, start, n] of [
    [1, 0, 1_000_000],
    [2, 987_654_321, 3_000_017],
    [0xdeadbeef, BLOCK_SAMPLES - 1_000_000, 2_500_003],
  ] as const) {
    const simd = wasmHits(simdCount, seed, start, n);
    const scalar = wasmHits(scalarCount, seed, start, n);
    assert.equal(simd, scalar, `seed ${seed} start ${start} n ${n}`);
    // Sanity: pi/4 of the samples, within 6 standard deviations.
    const sd = Math.sqrt(n * (Math.PI / 4) * (1 - Math.PI / 4));
    assert.ok(Math.abs(simd - (n * Math.PI) / 4) < 6 * sd);
  }
});

test('simd: the largest segment (m = 2^31 - 1) is additive over a split', () => {
  // Guards the lane accumulators and the i32 total against overflow (~2 s).
  const m = 2 ** 31 - 1;
  const a = 1_000_000_007;
  const c0 = counterOf(5, 0);
  const whole = simdCount(c0, m);
  const split = simdCount(c0, a) + simdCount((c0 + Math.imul(2 * a, PHI)) >>> 0, m - a);
  assert.equal(whole, split);
  const sd = Math.sqrt(m * (Math.PI / 4) * (1 - Math.PI / 4));
  assert.ok(Math.abs(whole - (m * Math.PI) / 4) < 6 * sd);
});

/**
 * Mirrors the SIMD module's first test (top 15 bits of X and Y, see pi-module.ts) so the
 * fallback test can pick a sample that the filter cannot decide: the sample then goes
 * filter -> exact8 (f32 band) -> scalar.
 */
function filterAmbiguous(c: number): boolean {
  const top15 = (x: number) => {
    x = Math.imul((x ^ (x >>> 16)) >>> 0, 0x7feb352d);
    x = Math.imul((x ^ (x >>> 15)) >>> 0, 0x846ca68b);
    return (x >>> 0) >>> 17;
  };
  const xh = top15(c);
  const yh = top15((c + PHI) >>> 0);
  const q = xh * xh + yh * yh;
  return q >= 2 ** 30 - 92681 && q < 2 ** 30;
}

test('simd fallback: samples within 2^27 of the circle are counted exactly', () => {
  // Search the reference generator for points with |X^2 + Y^2 - 2^48| < 2^27 (~1 in 1.3e6),
  // inside and outside the circle, that the SIMD filter cannot decide either.
  const found: Array<{ seed: number; index: number; inside: boolean }> = [];
  for (const seed of [7, 8]) {
    const c0 = counterOf(seed, 0);
    let inside = false, outside = false;
    for (let k = 0; k < 40_000_000 && !(inside && outside); k++) {
      const c = (c0 + Math.imul(2 * k, PHI)) >>> 0;
      const x = lowbias32(c) >>> 8;
      const y = lowbias32((c + PHI) >>> 0) >>> 8;
      const e = x * x + y * y - 2 ** 48;
      if (Math.abs(e) >= 2 ** 27 || !filterAmbiguous(c)) continue;
      if (e < 0 && !inside) { inside = true; found.push({ seed, index: k, inside: true }); }
      if (e >= 0 && !outside) { outside = true; found.push({ seed, index: k, inside: false }); }
    }
  }
  assert.ok(found.some((p) => p.inside), 'no near-circle hit found');
  assert.ok(found.some((p) => p.inside === false), 'no near-circle miss found');

  for (const p of found) {
    // The point at every position of the 16-sample SIMD iteration and of the block.
    for (let offset = 0; offset < 160; offset += offset < 32 ? 1 : 17) {
      const start = p.index - offset;
      if (start < 0) continue;
      const expected = countHitsReference(p.seed, start, 300);
      assert.equal(wasmHits(simdCount, p.seed, start, 300), expected, `seed ${p.seed} index ${p.index} offset ${offset}`);
    }
    // Alone: the point's own hit/miss.
    assert.equal(wasmHits(simdCount, p.seed, p.index, 1), p.inside ? 1 : 0);
  }
});

test('simd fallback: points that a plain f32 test misclassifies', () => {
  // Found offline with the reference generator: exactly inside the circle (X^2 + Y^2 < 2^48),
  // but fl(fl(X^2) + fl(Y^2)) rounds to 2^48 in f32.
  const f = Math.fround;
  for (const [seed, index] of [[1, 12_661_162], [1, 48_692_401]] as const) {
    const c = counterOf(seed, index);
    const x = lowbias32(c) >>> 8;
    const y = lowbias32((c + PHI) >>> 0) >>> 8;
    assert.ok(x * x + y * y < 2 ** 48, 'exact: inside');
    assert.ok(!(f(f(x * x) + f(y * y)) < 2 ** 48), 'plain f32: outside');
    for (let offset = 0; offset < 40; offset++) {
      const start = index - offset;
      assert.equal(wasmHits(simdCount, seed, start, 200), countHitsReference(seed, start, 200), `index ${index} offset ${offset}`);
    }
  }
});
