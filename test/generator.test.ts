import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BLOCK_SAMPLES, countHitsReference, lowbias32, sampleAt, segments, splitRange } from '../scenarios/monte-carlo-pi/generator.js';
import { countSegments } from '../backends/ts/pi-kernel.js';
import { referenceHits } from '../scenarios/monte-carlo-pi/reference.js';

// Known answers computed by an independent C implementation (shared/anchors/pi/pi_common.h mix32).
test('lowbias32 matches the C reference', () => {
  const cases: Array<[number, number]> = [[0, 0], [1, 1753845952], [2, 3507691905], [12345, 2435775735], [0xdeadbeef, 3861431939], [0xffffffff, 1734902346]];
  for (const [x, want] of cases) assert.equal(lowbias32(x), want, `lowbias32(${x})`);
});

test('samples of seed 12345 match the C reference, including past the first block', () => {
  assert.deepEqual(sampleAt(12345, 0), [15850480, 6174593]);
  assert.deepEqual(sampleAt(12345, 1), [5176450, 11418405]);
  assert.deepEqual(sampleAt(12345, 2), [12946299, 508684]);
  assert.deepEqual(sampleAt(12345, BLOCK_SAMPLES + 5), [15035186, 3968268]);
  assert.equal(countHitsReference(12345, 0, 1_000_000), 785067);
});

test('segments split ranges at block boundaries and cover every sample once', () => {
  const s = segments(7, BLOCK_SAMPLES - 3, 10);
  assert.deepEqual(s.map((x) => x.count), [3, 7]);
  for (let k = 0; k < 10; k++) {
    const i = BLOCK_SAMPLES - 3 + k;
    const seg = k < 3 ? s[0]! : s[1]!;
    const off = k < 3 ? k : k - 3;
    const c = (seg.counter0 + Math.imul(2 * off, 0x9e3779b9)) >>> 0;
    assert.deepEqual([lowbias32(c) >>> 8, lowbias32((c + 0x9e3779b9) >>> 0) >>> 8], sampleAt(7, i));
  }
  assert.deepEqual(splitRange(10, 3), [{ start: 0, count: 4 }, { start: 4, count: 3 }, { start: 7, count: 3 }]);
  assert.deepEqual(splitRange(2, 4).map((p) => p.count), [1, 1, 0, 0]);
});

test('the ts kernel counts exactly the reference hits', () => {
  for (const seed of [0, 1, 12345, 0xffffffff]) {
    for (const [start, count] of [[0, 0], [0, 1], [0, 7], [3, 1000], [BLOCK_SAMPLES - 500, 1000], [123456789, 20000]] as const) {
      assert.equal(countSegments(segments(seed, start, count)), countHitsReference(seed, start, count), `seed ${seed} [${start}, +${count})`);
    }
  }
});

/** z-score of a chi-square statistic with df degrees of freedom (normal approximation). */
const chiZ = (chi2: number, df: number) => (chi2 - df) / Math.sqrt(2 * df);

function chiSquare(counts: number[], expected: number): number {
  return counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
}

test('uniformity: 1-D and 2-D chi-square, within-sample and serial correlation', () => {
  const n = 400_000;
  for (const seed of [1, 12345, 0x9e3779b9]) {
    const bins1 = new Array(64).fill(0);
    const bins2 = new Array(256).fill(0);
    const serial = new Array(256).fill(0);
    let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, sxn = 0;
    let prevX = -1;
    for (let i = 0; i < n; i++) {
      const [X, Y] = sampleAt(seed, i);
      const x = X / 2 ** 24, y = Y / 2 ** 24;
      bins1[X >>> 18]++;
      bins1[Y >>> 18]++;
      bins2[(X >>> 20) * 16 + (Y >>> 20)]++;
      if (prevX >= 0) serial[(prevX >>> 20) * 16 + (X >>> 20)]++;
      if (prevX >= 0) sxn += (prevX / 2 ** 24 - 0.5) * (x - 0.5);
      prevX = X;
      sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y;
    }
    // |z| < 5: a true uniform source fails this with probability below ~1e-6.
    assert.ok(Math.abs(chiZ(chiSquare(bins1, (2 * n) / 64), 63)) < 5, `seed ${seed}: 1-D chi-square`);
    assert.ok(Math.abs(chiZ(chiSquare(bins2, n / 256), 255)) < 5, `seed ${seed}: 2-D chi-square of (x, y)`);
    assert.ok(Math.abs(chiZ(chiSquare(serial, (n - 1) / 256), 255)) < 5, `seed ${seed}: 2-D chi-square of (x_i, x_i+1)`);
    const r = (sxy / n - (sx / n) * (sy / n)) / Math.sqrt((sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2));
    assert.ok(Math.abs(r) < 5 / Math.sqrt(n), `seed ${seed}: corr(x, y) = ${r}`);
    const rs = sxn / (n - 1) / (1 / 12);
    assert.ok(Math.abs(rs) < 5 / Math.sqrt(n), `seed ${seed}: serial corr = ${rs}`);
    assert.ok(Math.abs(sx / n - 0.5) < 5 * Math.sqrt(1 / 12 / n), `seed ${seed}: mean x`);
  }
});

test('different seeds give different streams', () => {
  assert.notDeepEqual(sampleAt(1, 0), sampleAt(2, 0));
  assert.notEqual(countHitsReference(1, 0, 10000), countHitsReference(2, 0, 10000));
});

test('an independent C implementation of the spec counts the same hits as the scenario\'s reference (and the ts kernel)', async (t) => {
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { ROOT } = await import('./helpers.js');
  const exe = join(mkdtempSync(join(tmpdir(), 'jitbench-c-')), 'pi_weylhash');
  try {
    execFileSync('gcc', ['-O2', '-o', exe, `${ROOT}scenarios/monte-carlo-pi/reference-c/pi_weylhash.c`], { stdio: 'pipe' });
  } catch (e) {
    t.skip(`gcc not available to build the C reference: ${(e as Error).message.split('\n')[0]}`);
    return;
  }
  for (const [n, seed] of [[1000, 1], [123457, 12345], [1_000_000, 0xffffffff]] as const) {
    const out = JSON.parse(execFileSync(exe, [String(n), String(seed)], { encoding: 'utf8' })) as { hits: number };
    assert.equal(referenceHits(seed, n), out.hits, `the scenario's reference, n=${n} seed=${seed}`);
    assert.equal(countSegments(segments(seed, 0, n)), out.hits, `the ts kernel, n=${n} seed=${seed}`);
  }
});
