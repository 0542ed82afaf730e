import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracy, perfTime } from '../src/metrics/decorators.js';
import { CellRecorder, useRecorder } from '../src/metrics/recorder.js';
import type { CellParams, KernelOutput } from '../src/core/types.js';
import { piAccuracy } from '../scenarios/monte-carlo-pi/accuracy.js';
import { hitsOf, statOf } from './helpers.js';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* spin */ }
}

class Fake {
  calls = 0;
  checkSawTimed = -1;
  constructor(private readonly hits: number, private readonly ms: number) {}

  @accuracy((out: KernelOutput, p: CellParams) => piAccuracy(out, p))
  @perfTime()
  run(p: CellParams): KernelOutput {
    this.calls++;
    busy(this.ms);
    return { hits: this.hits, n: p.n };
  }

  @accuracy(piAccuracy)
  @perfTime()
  async runAsync(p: CellParams): Promise<KernelOutput> {
    this.calls++;
    await new Promise((r) => setTimeout(r, this.ms));
    return { hits: this.hits, n: p.n };
  }
}

test('@perfTime records the time of the call and @accuracy the check of its answer', () => {
  const rec = useRecorder(new CellRecorder());
  const k = new Fake(785067, 2);
  const t0 = performance.now();
  const out = k.run({ n: 1_000_000, seed: 1, threads: 1 });
  const wall = performance.now() - t0;
  assert.equal(hitsOf(out), 785067);
  assert.equal(rec.series.length, 1);
  // the 2 ms busy call, within the wall time around it (no upper bound in ms: CI machines are noisy)
  assert.ok(rec.lastCallMs >= 2 && rec.lastCallMs <= wall, `perf_time ${rec.lastCallMs}, wall ${wall}`);
  assert.equal(rec.checkedCalls, 1);
  assert.equal(statOf(rec.lastAccuracy).estimate, 3.140268);
  assert.ok(!rec.lastAccuracy!.suspect);
});

test('a batch repeats the call inside one timed region and records the per-call mean', () => {
  const rec = useRecorder(new CellRecorder());
  rec.batch = 5;
  const k = new Fake(785067, 1);
  k.run({ n: 1_000_000, seed: 1, threads: 1 });
  assert.equal(k.calls, 5);
  assert.equal(rec.series.length, 1);
  assert.ok(rec.lastRegionMs >= 5, `region ${rec.lastRegionMs}`);
  assert.ok(Math.abs(rec.lastCallMs - rec.lastRegionMs / 5) < 1e-9);
  assert.equal(rec.checkedCalls, 1);
});

test('async entry points are timed to settlement', async () => {
  const rec = useRecorder(new CellRecorder());
  const k = new Fake(785067, 20);
  const out = await k.runAsync({ n: 1_000_000, seed: 1, threads: 1 });
  assert.equal(hitsOf(out), 785067);
  assert.ok(rec.lastCallMs >= 19, `async perf_time ${rec.lastCallMs}`);
  assert.equal(rec.checkedCalls, 1);
});

test('the accuracy check runs outside the timed region', () => {
  const rec = useRecorder(new CellRecorder());
  class SlowCheck {
    @accuracy((o: KernelOutput, p: CellParams) => { busy(20); return piAccuracy(o, p); })
    @perfTime()
    run(p: CellParams): KernelOutput { return { hits: 785, n: p.n }; }
  }
  new SlowCheck().run({ n: 1000, seed: 1, threads: 1 });
  // the check busy-waits 20 ms: had it been timed, perf_time would be at least that
  assert.ok(rec.lastCallMs < 20, `the 20 ms check leaked into perf_time: ${rec.lastCallMs}`);
});

test('a far-off answer is flagged suspect', () => {
  const rec = useRecorder(new CellRecorder());
  const k = new Fake(700_000, 0); // estimate 2.8 at n = 1e6: z ~ -210
  k.run({ n: 1_000_000, seed: 1, threads: 1 });
  assert.ok(rec.lastAccuracy!.suspect);
  assert.ok(statOf(rec.worstAccuracy).z < -200);
});
