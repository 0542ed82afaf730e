import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Backend } from '../src/core/types.js';
import { tfjsBackends, chooseTfjsBackend } from '../backends/tfjs/index.js';
import { CarefulCounter, NaiveCounter, carefulConfig, chunkSeed, chunksOf, SHEAR_K1, SHEAR_K2 } from '../backends/tfjs/kernels.js';
import { EXACT_CHUNK, ExactCounter, measureIntCapabilities } from '../backends/tfjs/exact.js';
import { DISABLE_ENV, NODE_NOT_INSTALLED, loadEngine, probeEngine, type TfjsEngine } from '../backends/tfjs/runtime.js';
import { CellRecorder, useRecorder } from '../src/metrics/recorder.js';
import { piSigma } from '../scenarios/monte-carlo-pi/accuracy.js';
import { countHitsReference } from '../scenarios/monte-carlo-pi/generator.js';
import { countSegments } from '../backends/ts/pi-kernel.js';
import { segments } from '../scenarios/monte-carlo-pi/generator.js';
import { hitsOf } from './helpers.js';
import { scenario } from './builtins.js';

const byId = (id: string): Backend => {
  const b = tfjsBackends.find((x) => x.id === id);
  assert.ok(b, `backend ${id} exists`);
  return b;
};
const z = (hits: number, n: number) => ((4 * hits) / n - Math.PI) / piSigma(n);

/** Runs fn with JITBENCH_TFJS_DISABLE set, restoring the variable afterwards. */
async function withDisabled<T>(value: string, fn: () => Promise<T>): Promise<T> {
  const old = process.env[DISABLE_ENV];
  process.env[DISABLE_ENV] = value;
  try {
    return await fn();
  } finally {
    if (old === undefined) delete process.env[DISABLE_ENV];
    else process.env[DISABLE_ENV] = old;
  }
}

/** Engines that load in this process (each test skips the others with the reason). */
async function engineStatus(engine: TfjsEngine): Promise<{ ok: boolean; reason?: string }> {
  try {
    await loadEngine(engine);
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

test('the tfjs families: ids, flags, exports', () => {
  const ids = tfjsBackends.map((b) => b.id);
  for (const family of ['tfjs', 'tfjs-naive', 'tfjs-exact']) {
    for (const suffix of ['', ':node', ':wasm', ':cpu']) assert.ok(ids.includes(family + suffix), `${family + suffix} is exported`);
  }
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  for (const b of tfjsBackends) {
    assert.equal(b.maxThreads, 1, `${b.id} maxThreads`);
    assert.deepEqual(Object.keys(b.tiers), ['default']);
    assert.equal(b.deterministic, b.id.startsWith('tfjs-exact'), `${b.id} deterministic`);
    assert.equal(b.inDefaultRun, b.id === 'tfjs' || b.id === 'tfjs-naive', `${b.id} inDefaultRun`);
    assert.ok(b.supports(scenario('pi')));
  }
});

for (const backend of tfjsBackends) {
  test(`${backend.id}: estimates pi within 6 sigma at n = 1e5 (exact variants: the reference hits)`, async (t) => {
    const probe = await backend.probe();
    if (!probe.available) {
      assert.ok(probe.reason, 'an unavailable backend says why');
      t.skip(`${backend.id} not available: ${probe.reason}`);
      return;
    }
    const n = 100_000;
    const seed = 20_240_601;
    const k = await backend.prepare(scenario('pi'), { n, seed, threads: 1 });
    try {
      const info = k.info() as { tfjsBackend: string; flags: Record<string, unknown>; tfjsVersions: Record<string, string>; variant: string; compile: Record<string, number>; liveTensorsAfterPrepare: number };
      assert.ok(['node', 'wasm', 'cpu'].includes(info.tfjsBackend), 'info names the engine');
      assert.ok(info.tfjsVersions['tfjs-core'], 'info records the tfjs version');
      if (info.tfjsBackend === 'wasm') assert.equal(typeof info.flags.simd, 'boolean', 'wasm: SIMD flag recorded');
      assert.ok(info.compile.warmRunMs >= 0 && info.compile.kernelSetupMs >= 0);
      const rec = useRecorder(new CellRecorder());
      const out = await k.run({ n, seed, threads: 1 });
      assert.equal(out.n, n);
      assert.equal(rec.checkedCalls, 1, 'the @accuracy decorator checked the answer');
      assert.equal(rec.series.length, 1, 'the @perfTime decorator timed the call');
      assert.ok(Number.isInteger(hitsOf(out)) && hitsOf(out) >= 0 && hitsOf(out) <= n);
      assert.ok(Math.abs(z(hitsOf(out), n)) <= 6, `${backend.id}: z = ${z(hitsOf(out), n)}`);
      if (backend.deterministic) assert.equal(hitsOf(out), countHitsReference(seed, 0, n), `${backend.id} counts the reference hits`);
    } finally {
      await k.dispose();
    }
  });
}

test('chooseTfjsBackend: node > wasm > cpu, with the reason for each one passed over', () => {
  assert.deepEqual(chooseTfjsBackend({ node: true, wasm: true }), { engine: 'node', whyNot: {} });
  const noNode = chooseTfjsBackend({ node: { available: false, reason: NODE_NOT_INSTALLED }, wasm: true });
  assert.equal(noNode.engine, 'wasm');
  assert.equal(noNode.whyNot.node, NODE_NOT_INSTALLED);
  const cpuOnly = chooseTfjsBackend({ node: false, wasm: { available: false, reason: 'tfjs-wasm: broken' } });
  assert.equal(cpuOnly.engine, 'cpu');
  assert.ok(cpuOnly.whyNot.node);
  assert.equal(cpuOnly.whyNot.wasm, 'tfjs-wasm: broken');
  assert.equal(chooseTfjsBackend({ node: false, wasm: false, cpu: false }).engine, undefined);
});

test(`${DISABLE_ENV}=node,wasm: tfjs probes and runs on cpu and records why`, async () => {
  await withDisabled('node,wasm', async () => {
    assert.match((await probeEngine('wasm')).reason ?? '', /disabled by JITBENCH_TFJS_DISABLE/);
    const wasmProbe = await byId('tfjs:wasm').probe();
    assert.equal(wasmProbe.available, false);
    assert.match(wasmProbe.reason ?? '', /disabled/);
    const probe = await byId('tfjs').probe();
    assert.equal(probe.available, true);
    assert.match(probe.detail, /tfjs-backend-cpu/);
    assert.match(probe.detail, /tfjs-wasm: disabled by JITBENCH_TFJS_DISABLE/);
    for (const id of ['tfjs', 'tfjs-naive']) {
      const k = await byId(id).prepare(scenario('pi'), { n: 10_000, seed: 1, threads: 1 });
      try {
        const info = k.info() as { tfjsBackend: string; whyNotBetter: Record<string, string> };
        assert.equal(info.tfjsBackend, 'cpu', `${id} fell back to cpu`);
        assert.match(info.whyNotBetter.node!, /disabled/);
        assert.match(info.whyNotBetter.wasm!, /disabled/);
        useRecorder(new CellRecorder());
        const out = await k.run({ n: 10_000, seed: 1, threads: 1 });
        assert.ok(Math.abs(z(hitsOf(out), 10_000)) <= 6);
      } finally {
        await k.dispose();
      }
    }
  });
});

test(`${DISABLE_ENV}=node: tfjs picks wasm (when it loads) and records why not node`, async (t) => {
  const wasm = await engineStatus('wasm');
  if (!wasm.ok) {
    t.skip(`tfjs-wasm does not load here: ${wasm.reason}`);
    return;
  }
  await withDisabled('node', async () => {
    const k = await byId('tfjs').prepare(scenario('pi'), { n: 1000, seed: 1, threads: 1 });
    try {
      const info = k.info() as { tfjsBackend: string; whyNotBetter: Record<string, string> };
      assert.equal(info.tfjsBackend, 'wasm');
      assert.match(info.whyNotBetter.node!, /disabled/);
      assert.equal(info.whyNotBetter.wasm, undefined);
    } finally {
      await k.dispose();
    }
  });
});

test('tfjs without tfjs-node installed says so in probe and info', async (t) => {
  const node = await probeEngine('node');
  if (node.available || node.reason !== NODE_NOT_INSTALLED) {
    t.skip(`tfjs-node is installed here (${node.available ? 'loads' : node.reason})`);
    return;
  }
  const probe = await byId('tfjs:node').probe();
  assert.equal(probe.available, false);
  assert.equal(probe.reason, NODE_NOT_INSTALLED);
  assert.match((await byId('tfjs').probe()).detail, /tfjs-node: not installed \(optional dependency; its install script downloads libtensorflow\)/);
  const k = await byId('tfjs').prepare(scenario('pi'), { n: 1000, seed: 1, threads: 1 });
  try {
    assert.equal((k.info() as { whyNotBetter: Record<string, string> }).whyNotBetter.node, NODE_NOT_INSTALLED);
  } finally {
    await k.dispose();
  }
});

for (const engine of ['wasm', 'cpu'] as const) {
  test(`tfjs-${engine}: no tensor outlives a run (careful, naive, exact) or the kernel`, async (t) => {
    const st = await engineStatus(engine);
    if (!st.ok) {
      t.skip(`tfjs-${engine} does not load here: ${st.reason}`);
      return;
    }
    const { tf } = await loadEngine(engine);
    const { rows, cols } = carefulConfig(engine);
    const cases: Array<[string, number]> = [[`tfjs:${engine}`, 2 * rows * cols + 54_321], [`tfjs-naive:${engine}`, 100_000], [`tfjs-exact:${engine}`, 20_000]];
    for (const [id, n] of cases) {
      const start = tf.memory().numTensors;
      const k = await byId(id).prepare(scenario('pi'), { n, seed: 3, threads: 1 });
      useRecorder(new CellRecorder());
      const before = tf.memory().numTensors;
      await k.run({ n, seed: 3, threads: 1 });
      await k.run({ n: 777, seed: 4, threads: 1 });
      assert.equal(tf.memory().numTensors, before, `${id}: live tensors after two runs`);
      await k.dispose();
      assert.equal(tf.memory().numTensors, start, `${id}: live tensors after dispose`);
    }
  });

  test(`tfjs-${engine}: the careful kernel over several chunks: count in [0, n], same seed same count, other seed other count`, async (t) => {
    const st = await engineStatus(engine);
    if (!st.ok) {
      t.skip(`tfjs-${engine} does not load here: ${st.reason}`);
      return;
    }
    const { tf, backendName } = await loadEngine(engine);
    const cfg = carefulConfig(engine);
    const n = 2 * cfg.rows * cfg.cols + 12_345; // two full chunks, a tail grid, a tail row
    assert.ok([...chunksOf(n, cfg.rows, cfg.cols)].length >= 3);
    const c = new CarefulCounter(tf, backendName, cfg);
    try {
      const a = c.count(42, n);
      const b = c.count(42, n);
      const other = c.count(43, n);
      for (const h of [a, other]) {
        assert.ok(Number.isInteger(h) && h >= 0 && h <= n, `count ${h}`);
        assert.ok(Math.abs(z(h, n)) <= 6, `z ${z(h, n)}`);
      }
      assert.equal(a, b, 'same seed, same count');
      assert.notEqual(a, other, 'another seed, another count');
    } finally {
      c.dispose();
    }
  });

  test(`tfjs-${engine}: the exact kernel counts the reference hits across a chunk boundary and a 2^31 block boundary`, async (t) => {
    const st = await engineStatus(engine);
    if (!st.ok) {
      t.skip(`tfjs-${engine} does not load here: ${st.reason}`);
      return;
    }
    const { tf, backendName } = await loadEngine(engine);
    const caps = measureIntCapabilities(tf);
    const c = new ExactCounter(tf, backendName, caps, 4096);
    try {
      assert.equal(c.count(99, 3 * 4096 + 5), countHitsReference(99, 0, 3 * 4096 + 5));
      assert.equal(c.countRange(5, 2 ** 31 - 5000, 9000), countHitsReference(5, 2 ** 31 - 5000, 9000));
    } finally {
      c.dispose();
    }
    const full = new ExactCounter(tf, backendName, caps);
    try {
      const n = EXACT_CHUNK + 5;
      assert.equal(full.count(12345, n), countSegments(segments(12345, 0, n)));
    } finally {
      full.dispose();
    }
  });
}

test('chunksOf covers exactly n samples with bounded chunks', () => {
  for (const n of [1, 7, 1000, 6143, 6144, 100_000, 524_288, 524_289, 10_000_000, 123_456_789]) {
    let total = 0;
    for (const c of chunksOf(n, 512, 1024)) {
      assert.ok(c.rows >= 1 && c.cols >= 1 && c.rows <= 512 && c.cols <= 1024, `chunk ${c.rows}x${c.cols}`);
      total += c.rows * c.cols;
    }
    assert.equal(total, n);
  }
  assert.notEqual(chunkSeed(1, 0), chunkSeed(1, 1));
  assert.notEqual(chunkSeed(1, 0), chunkSeed(2, 0));
});

/** float32 emulation of one 'tables' chunk (the spec in kernels.ts), from the same randomUniform table. */
function emulateTablesMisses(tab: Float32Array, rows: number, cols: number): number {
  const f = Math.fround;
  const k1 = f(SHEAR_K1);
  const k2 = f(SHEAR_K2);
  let misses = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const x0 = f(tab[i]! + tab[2 * rows + j]!);
      const y0 = f(tab[rows + i]! + tab[2 * rows + cols + j]!);
      const t1 = f(f(x0 * x0) * k1);
      const u1 = f(y0 + (t1 - Math.floor(t1)));
      const y = u1 - Math.floor(u1);
      const ysq = f(y * y);
      const t2 = f(ysq * k2);
      const u2 = f(x0 + (t2 - Math.floor(t2)));
      const x = u2 - Math.floor(u2);
      if (Math.floor(f(f(x * x) + ysq)) >= 1) misses++;
    }
  }
  return misses;
}

test('the tables generator computes exactly its float32 spec, identically on every engine', async (t) => {
  const rows = 64;
  const cols = 96;
  const seed = 777;
  let checked = 0;
  for (const engine of ['wasm', 'cpu'] as const) {
    const st = await engineStatus(engine);
    if (!st.ok) continue;
    const { tf, backendName } = await loadEngine(engine);
    const c = new CarefulCounter(tf, backendName, { generator: 'tables', rows, cols, smallChunk: 0 });
    try {
      const tab = tf.tidy(() => Float32Array.from(tf.randomUniform([2 * (rows + cols)], 0, 1, 'float32', chunkSeed(seed, 0)).dataSync()));
      const want = rows * cols - emulateTablesMisses(tab, rows, cols);
      assert.equal(c.count(seed, rows * cols), want, `tfjs-${engine} tables chunk vs float32 emulation`);
      checked++;
    } finally {
      c.dispose();
    }
  }
  if (checked === 0) t.skip('neither tfjs-wasm nor tfjs-cpu loads here');
});

test('the tables generator passes statistical checks (z over seeds, 1-D and 2-D chi-square, correlations)', async (t) => {
  const st = await engineStatus('wasm');
  const engine: TfjsEngine = st.ok ? 'wasm' : 'cpu';
  const { tf, backendName } = await loadEngine(engine);
  // On tfjs-cpu the grid's broadcast ops are slow: smaller chunks there.
  const cfg = engine === 'wasm' ? carefulConfig('wasm') : { generator: 'tables' as const, rows: 128, cols: 256, smallChunk: 0 };
  if (!st.ok) t.diagnostic(`tfjs-wasm does not load (${st.reason}); checking on tfjs-cpu with ${cfg.rows}x${cfg.cols} chunks`);
  const c = new CarefulCounter(tf, backendName, cfg);
  try {
    // z of one full chunk over 64 seeds: mean ~ N(0, 1/64), sample variance ~ chi2(63)/63.
    const m = cfg.rows * cfg.cols;
    const zs = Array.from({ length: 64 }, (_, s) => z(c.count(1000 + s, m), m));
    const mean = zs.reduce((a, b) => a + b, 0) / zs.length;
    const variance = zs.reduce((a, b) => a + (b - mean) ** 2, 0) / (zs.length - 1);
    assert.ok(Math.abs(mean) < 0.6, `mean z over 64 seeds ${mean}`);
    assert.ok(variance > 0.4 && variance < 1.9, `variance of z over 64 seeds ${variance}`);
    assert.ok(zs.every((v) => Math.abs(v) <= 6));

    const { x, y } = c.tablesPoints({ rows: cfg.rows, cols: cfg.cols }, chunkSeed(2024, 0));
    assert.equal(x.length, m);
    assert.ok(x.every((v) => v >= 0 && v < 1) && y.every((v) => v >= 0 && v < 1), 'points in [0, 1)^2');
    const chi2 = (counts: number[], expected: number) => counts.reduce((a, o) => a + (o - expected) ** 2 / expected, 0);
    const within = (stat: number, dof: number) => Math.abs(stat - dof) < 6 * Math.sqrt(2 * dof);
    for (const [name, v] of [['x', x], ['y', y]] as const) {
      const bins = new Array<number>(256).fill(0);
      for (const u of v) bins[Math.floor(u * 256)]!++;
      const s = chi2(bins, m / 256);
      assert.ok(within(s, 255), `1-D chi-square of ${name}: ${s} (dof 255)`);
    }
    const grid = new Array<number>(32 * 32).fill(0);
    for (let k = 0; k < m; k++) grid[Math.floor(x[k]! * 32) * 32 + Math.floor(y[k]! * 32)]!++;
    const s2 = chi2(grid, m / 1024);
    assert.ok(within(s2, 1023), `2-D chi-square: ${s2} (dof 1023)`);
    const corr = (a: Float32Array, b: Float32Array, shift: number) => {
      let sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
      const len = a.length - shift;
      for (let k = 0; k < len; k++) {
        const u = a[k]!, w = b[k + shift]!;
        sa += u; sb += w; sab += u * w; saa += u * u; sbb += w * w;
      }
      const cov = sab / len - (sa / len) * (sb / len);
      return cov / Math.sqrt((saa / len - (sa / len) ** 2) * (sbb / len - (sb / len) ** 2));
    };
    const limit = 6 / Math.sqrt(m);
    for (const [name, r] of [
      ['x,y of a point', corr(x, y, 0)],
      ['x of row neighbours', corr(x, x, 1)],
      ['y of row neighbours', corr(y, y, 1)],
      ['x of column neighbours', corr(x, x, cfg.cols)],
      ['y of column neighbours', corr(y, y, cfg.cols)],
      ['x, y of row neighbours', corr(x, y, 1)],
    ] as const) {
      assert.ok(Math.abs(r) < limit, `correlation of ${name}: ${r} (limit ${limit})`);
    }
  } finally {
    c.dispose();
  }
});

test('the naive kernel is seeded: same seed same count, another seed another count', async (t) => {
  const st = await engineStatus('cpu');
  if (!st.ok) {
    t.skip(`tfjs-cpu does not load here: ${st.reason}`);
    return;
  }
  const { tf, backendName } = await loadEngine('cpu');
  const c = new NaiveCounter(tf, backendName);
  assert.equal(c.count(5, 50_000), c.count(5, 50_000));
  assert.notEqual(c.count(5, 50_000), c.count(6, 50_000));
});
