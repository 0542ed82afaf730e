import { test } from 'node:test';
import assert from 'node:assert/strict';
import { piAccuracy, piSigma, SUSPECT_Z } from '../scenarios/monte-carlo-pi/accuracy.js';
import { countSegments } from '../backends/ts/pi-kernel.js';
import { segments } from '../scenarios/monte-carlo-pi/generator.js';
import { classifyWarmup, describe, forkSpread } from '../src/metrics/stats.js';

test('sigma is sqrt(pi(4-pi)/n)', () => {
  assert.ok(Math.abs(piSigma(1) - 1.6421) < 1e-4);
  assert.ok(Math.abs(piSigma(1e6) - 1.6421e-3) < 1e-7);
});

test('z-scores of the generator across seeds behave like a standard normal', () => {
  const n = 100_000;
  const zs: number[] = [];
  for (let seed = 1; seed <= 60; seed++) zs.push(piAccuracy({ hits: countSegments(segments(seed, 0, n)), n }, { n, seed, threads: 1 }).z);
  const mean = zs.reduce((a, b) => a + b, 0) / zs.length;
  const sd = Math.sqrt(zs.reduce((a, b) => a + (b - mean) ** 2, 0) / (zs.length - 1));
  // For 60 draws of N(0,1): mean within +-0.65 (5 sigma of the mean), sd within [0.5, 1.6].
  assert.ok(Math.abs(mean) < 0.65, `mean z ${mean}`);
  assert.ok(sd > 0.5 && sd < 1.6, `sd of z ${sd}`);
  assert.ok(zs.every((z) => Math.abs(z) < SUSPECT_Z));
});

test('suspect exactly when |z| > 6', () => {
  const n = 1e6;
  const at = (z: number) => Math.round(((Math.PI + z * piSigma(n)) * n) / 4);
  assert.equal(piAccuracy({ hits: at(5.9), n }, { n, seed: 0, threads: 1 }).suspect, false);
  assert.equal(piAccuracy({ hits: at(6.1), n }, { n, seed: 0, threads: 1 }).suspect, true);
  assert.equal(piAccuracy({ hits: at(-6.1), n }, { n, seed: 0, threads: 1 }).suspect, true);
  assert.equal(piAccuracy({ hits: at(0), n: n - 1 }, { n, seed: 0, threads: 1 }).suspect, true, 'an answer for another n is wrong');
});

test('describe: quantiles, sd and rme of known samples', () => {
  const s = describe([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(s.count, 10);
  assert.equal(s.mean, 5.5);
  assert.equal(s.p50, 5.5);
  assert.equal(s.p75, 7.75);
  assert.equal(s.min, 1);
  assert.equal(s.max, 10);
  assert.ok(Math.abs(s.sd - 3.02765) < 1e-5);
  assert.ok(Math.abs(s.rme - (2.262 * 3.02765) / Math.sqrt(10) / 5.5 * 100) < 1e-3);
  const f = forkSpread([10, 11, 12]);
  assert.ok(Math.abs(f.rangePct - (2 / 11) * 100) < 1e-9);
});

test('warm-up classification', () => {
  const flat = Array.from({ length: 40 }, () => 1);
  assert.equal(classifyWarmup(flat), 'flat');
  assert.equal(classifyWarmup([5, 5, 5, 4, ...flat]), 'warmup');
  assert.equal(classifyWarmup([...Array(20).fill(1), ...Array(10).fill(1.5), ...Array(10).fill(3)]), 'no steady state');
  assert.equal(classifyWarmup([0.5, 0.5, 0.5, 0.5, ...Array(36).fill(1)]), 'slowdown');
  assert.equal(classifyWarmup([1, 2, 3]), 'too few samples');
});
