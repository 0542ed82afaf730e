import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tsBackend } from '../backends/ts/index.js';
import { wasmBackend } from '../backends/wasm/index.js';
import { CellRecorder, useRecorder } from '../src/metrics/recorder.js';
import { countHitsReference } from '../scenarios/monte-carlo-pi/generator.js';
import { countSegments } from '../backends/ts/pi-kernel.js';
import { segments } from '../scenarios/monte-carlo-pi/generator.js';
import { hitsOf } from './helpers.js';
import { scenario } from './builtins.js';

const CASES: Array<{ seed: number; n: number }> = [
  { seed: 12345, n: 1 }, { seed: 12345, n: 1000 }, { seed: 0, n: 4099 }, { seed: 0xffffffff, n: 100_003 }, { seed: 42, n: 1_000_000 },
];

for (const backend of [tsBackend, wasmBackend]) {
  test(`${backend.id}: hits are identical to the reference for 1, 2 and 3 threads`, async () => {
    const probe = await backend.probe();
    assert.ok(probe.available, `${backend.id} unavailable: ${probe.reason}`);
    for (const threads of [1, 2, 3]) {
      const k = await backend.prepare(scenario('pi'), { n: 1, seed: 0, threads });
      try {
        for (const { seed, n } of CASES) {
          const rec = useRecorder(new CellRecorder());
          const expected = n <= 100_003 ? countHitsReference(seed, 0, n) : countSegments(segments(seed, 0, n));
          const out = await k.run({ n, seed, threads });
          assert.equal(hitsOf(out), expected, `${backend.id} threads=${threads} seed=${seed} n=${n}`);
          assert.equal(out.n, n);
          assert.equal(rec.checkedCalls, 1, 'the @accuracy decorator checked the answer');
          assert.equal(rec.series.length, 1, 'the @perfTime decorator timed the call');
        }
      } finally {
        await k.dispose();
      }
    }
  });
}

test('wasm: prepare reports its compile phases', async () => {
  const k = await wasmBackend.prepare(scenario('pi'), { n: 1000, seed: 1, threads: 1 });
  const info = k.info() as { compile: Record<string, number>; toolLoadMs: number; simd: boolean };
  for (const phase of ['buildMs', 'optimizeMs', 'v8CompileMs']) assert.ok(info.compile[phase]! >= 0, phase);
  assert.equal(typeof info.simd, 'boolean');
  await k.dispose();
});
