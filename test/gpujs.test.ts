import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { gpujsBackends, newGpu, prepareGpujs, type GpujsPiKernel } from '../backends/gpujs/index.js';
import { exactHit, hash24, mulHi, mulLo } from '../backends/gpujs/kernel-source.js';
import { DEFAULT_GRID, FLOAT32_EXACT_LIMIT, MAX_STRIP, launches, validateGrid } from '../backends/gpujs/launch-plan.js';
import { chooseMode, disabledParts, type Availability } from '../backends/gpujs/selection.js';
import { classifyRasterizer, createContext, destroyContext, loadGl } from '../backends/gpujs/gl-context.js';
import { ENV_DISPLAY_NOTE, ENV_DISPLAY_SOURCE, xvfbPath, xvfbRunning, xvfbUsers } from '../backends/gpujs/display.js';
import { probeGl, resetGlProbe } from '../backends/gpujs/probe.js';
import { BLOCK_SAMPLES, countHitsReference, lowbias32, segments } from '../scenarios/monte-carlo-pi/generator.js';
import { piAccuracy } from '../scenarios/monte-carlo-pi/accuracy.js';
import { CellRecorder, useRecorder } from '../src/metrics/recorder.js';
import type { Backend } from '../src/core/types.js';
import { HIDE_ENV } from './hide-modules.js';
import { hitsOf } from './helpers.js';
import { scenario } from './builtins.js';

/** Node options that run a child with the packages in JITBENCH_TEST_HIDE_MODULES hidden. */
const HIDE_PRELOAD = ['--import', new URL('./hide-modules.js', import.meta.url).href];

const backend = (id: string): Backend => {
  const b = gpujsBackends.find((x) => x.id === id);
  assert.ok(b, `backend ${id} exists`);
  return b;
};

/** A deterministic stream of uint32 for the property checks. */
function* uint32s(count: number, seed = 7): Generator<number> {
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (s + 0x9e3779b9) >>> 0;
    yield lowbias32(s);
  }
}

/** Sets environment variables for the duration of fn (undefined deletes), then restores them. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>) => {
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined) delete process.env[k];
      else process.env[k] = val;
    }
  };
  apply(vars);
  try {
    return await fn();
  } finally {
    apply(saved);
  }
}

/** One call through the decorated entry point: n = 1e5, exact and within 6 sigma. */
function checkEstimate(k: GpujsPiKernel, label: string): void {
  const n = 100_000;
  const seed = 12345;
  const rec = useRecorder(new CellRecorder());
  const out = k.run({ n, seed, threads: 1 });
  const acc = piAccuracy(out, { n, seed, threads: 1 });
  assert.ok(Math.abs(acc.z) <= 6, `${label}: estimate ${acc.estimate} is ${acc.z.toFixed(2)} sigma from pi`);
  assert.equal(hitsOf(out), countHitsReference(seed, 0, n), `${label}: hits equal the reference generator's`);
  assert.equal(rec.checkedCalls, 1, 'the @accuracy decorator checked the answer');
  assert.equal(rec.series.length, 1, 'the @perfTime decorator timed the call');
}

test('gpujs backends: ids, default run, threads, tiers, display hooks', () => {
  assert.deepEqual(gpujsBackends.map((b) => b.id), ['gpujs', 'gpujs:gl', 'gpujs:cpu', 'gpujs:webasm']);
  assert.deepEqual(gpujsBackends.map((b) => b.inDefaultRun), [true, false, false, false]);
  for (const b of gpujsBackends) {
    assert.equal(b.maxThreads, 1);
    assert.deepEqual(b.tiers, { default: [] });
    assert.equal(b.deterministic, true, 'every mode runs the exact generator');
    assert.ok(b.supports(scenario('pi')));
  }
  assert.ok(backend('gpujs').childEnv && backend('gpujs:gl').childEnv && backend('gpujs').release);
  assert.equal(backend('gpujs:cpu').childEnv, undefined, 'cpu mode needs no display');
});

test('childEnv: one shared Xvfb for the run, gone after release', async (t) => {
  // First in the file: later tests open GL contexts on the display in this process, which keeps it until exit.
  if (process.platform !== 'linux' || process.env.DISPLAY || !xvfbPath().path || xvfbRunning()) {
    t.skip(process.platform !== 'linux' ? 'not Linux' : process.env.DISPLAY ? 'DISPLAY is set: it is used as is' : xvfbRunning() ? 'an Xvfb is already running in this process' : `${xvfbPath().reason}`);
    return;
  }
  const a = backend('gpujs');
  const b = backend('gpujs:gl');
  const ea = await a.childEnv!();
  const eb = await b.childEnv!();
  assert.match(ea.DISPLAY!, /^:\d+$/);
  assert.equal(ea.DISPLAY, eb.DISPLAY, 'both variants share one virtual display');
  assert.equal(ea[ENV_DISPLAY_SOURCE], 'xvfb');
  assert.equal(xvfbUsers(), 2);
  const display = Number(ea.DISPLAY!.slice(1));
  const { existsSync } = await import('node:fs');
  assert.ok(existsSync(`/tmp/.X11-unix/X${display}`), 'the X socket exists');
  await a.release!();
  assert.equal(xvfbUsers(), 1, 'still held by the other variant');
  await b.release!();
  assert.equal(xvfbUsers(), 0);
  for (let i = 0; i < 50 && existsSync(`/tmp/.X11-unix/X${display}`); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(existsSync(`/tmp/.X11-unix/X${display}`), false, 'Xvfb is gone after release');
});

test('kernel source: limb arithmetic equals the scenario generator in JavaScript', () => {
  const it = uint32s(40_000);
  for (let i = 0; i < 20_000; i++) {
    const x = it.next().value as number;
    const c = it.next().value as number;
    const p = Math.imul(x, c) >>> 0;
    assert.equal(mulHi(x >>> 16, x & 0xffff, c >>> 16, c & 0xffff) * 65536 + mulLo(x & 0xffff, c & 0xffff), p, `imul(${x}, ${c})`);
    assert.equal(hash24(x >>> 16, x & 0xffff), lowbias32(x) >>> 8, `lowbias32(${x}) >>> 8`);
  }
  for (const x of [0, 1, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff]) assert.equal(hash24(x >>> 16, x & 0xffff), lowbias32(x) >>> 8);
});

/** Points on both sides of the circle X^2 + Y^2 = 2^48, at distance 1 in Y. */
function circlePoints(count: number): Array<{ x: number; y: number; hit: number }> {
  const out: Array<{ x: number; y: number; hit: number }> = [];
  const R2 = 2n ** 48n;
  for (const x of uint32s(count, 99)) {
    const X = x >>> 8;
    let Y = Math.floor(Math.sqrt(2 ** 48 - X * X));
    while (BigInt(Y) * BigInt(Y) + BigInt(X) * BigInt(X) >= R2) Y--;
    for (const y of [Y, Y + 1]) if (y < 2 ** 24) out.push({ x: X, y, hit: BigInt(X) * BigInt(X) + BigInt(y) * BigInt(y) < R2 ? 1 : 0 });
  }
  return out;
}

test('kernel source: the exact hit test decides points next to the circle', () => {
  for (const p of circlePoints(5000)) assert.equal(exactHit(p.x, p.y), p.hit, `(${p.x}, ${p.y})`);
  assert.equal(exactHit(2 ** 24 - 1, 0), 1);
  assert.equal(exactHit(2 ** 24 - 1, 5793), 0);
  assert.equal(exactHit(0, 0), 1);
});

test('2^24: a strip that could count 2^24 hits is refused, long ranges are split into exact strips', () => {
  // A strip of 2^25 samples could count up to 2^25 hits: float32 cannot hold that count exactly.
  assert.throws(() => validateGrid({ threads: 1, maxStrip: 2 ** 25 }), /2\^24/);
  assert.throws(() => launches(1, 2 ** 25, { threads: 64, maxStrip: 2 ** 25 }).next(), RangeError);
  assert.throws(() => validateGrid({ threads: 1, maxStrip: FLOAT32_EXACT_LIMIT }), RangeError, 'exactly 2^24 is refused too');
  assert.throws(() => validateGrid({ threads: 2 ** 16 + 1, maxStrip: 16 }), RangeError, 'the thread index is one 16-bit limb');
  assert.equal(MAX_STRIP, 2 ** 24 - 1);
  assert.ok(DEFAULT_GRID.maxStrip <= MAX_STRIP);

  // 2^25 + 3 samples on one thread: the plan splits them into launches whose strips stay below 2^24.
  for (const grid of [{ threads: 1, maxStrip: MAX_STRIP }, { threads: 3, maxStrip: MAX_STRIP }, DEFAULT_GRID]) {
    const n = 2 ** 25 + 3;
    let covered = 0;
    let next = 0;
    for (const l of launches(42, n, grid)) {
      assert.equal(l.start, next, 'launches are contiguous');
      assert.ok(l.strip <= MAX_STRIP && l.strip < FLOAT32_EXACT_LIMIT, `strip ${l.strip} < 2^24`);
      assert.ok(l.lastLen < l.strip || (l.lastLen === 0));
      assert.ok(l.full <= grid.threads && (l.full < grid.threads || l.lastLen === 0));
      assert.equal(l.full * l.strip + l.lastLen, l.count, 'the strips cover the launch');
      covered += l.count;
      next = l.start + l.count;
    }
    assert.equal(covered, n);
  }
});

test('launch plan: counters match the generator, no launch crosses a block', () => {
  const grid = { threads: 4096, maxStrip: 1024 };
  const first = BLOCK_SAMPLES - 5_000_000;
  let sawBoundary = false;
  for (const l of launches(7, 10_000_000, grid, first)) {
    const [seg] = segments(7, l.start, 1);
    assert.equal(l.cHi * 65536 + l.cLo, seg!.counter0, `counter of sample ${l.start}`);
    assert.equal(Math.floor(l.start / BLOCK_SAMPLES), Math.floor((l.start + l.count - 1) / BLOCK_SAMPLES), 'inside one block');
    if (l.start === BLOCK_SAMPLES) sawBoundary = true;
    for (const v of [l.cHi, l.cLo, l.sHi, l.sLo, l.full, l.strip, l.lastLen]) assert.ok(Number.isInteger(v) && v >= 0 && v < 2 ** 24);
  }
  assert.ok(sawBoundary, 'a launch starts at the block boundary');
});

test('selection: best takes WebGL when there is a context, else cpu with the reason; named modes never substitute', () => {
  const avail = (gl: boolean, why = 'no display'): Availability => ({
    headlessgl: { ok: gl, reason: gl ? 'llvmpipe' : why }, cpu: { ok: true, reason: 'JavaScript' }, webasm: { ok: true, reason: 'wasm' },
  });
  assert.equal(chooseMode('best', avail(true)).mode, 'headlessgl');
  const fb = chooseMode('best', avail(false, 'Xvfb is not installed'));
  assert.equal(fb.mode, 'cpu');
  assert.match(fb.reason, /fallback to cpu.*Xvfb is not installed/);
  assert.throws(() => chooseMode('headlessgl', avail(false, 'no X display')), /headlessgl is not available: no X display/);
  assert.equal(chooseMode('cpu', avail(true)).mode, 'cpu');
  assert.equal(chooseMode('webasm', avail(false)).mode, 'webasm');
  assert.deepEqual([...disabledParts('gl, xvfb bogus')].sort(), ['gl', 'xvfb']);
  assert.equal(disabledParts('').size, 0);
});

test('rasterizer: software renderers and our Xvfb are never reported as a GPU', () => {
  const llvmpipe = 'ANGLE (Mesa/X.org llvmpipe (LLVM 15.0.6, 256 bits) OpenGL 4.5 core)';
  assert.equal(classifyRasterizer(llvmpipe, 'xvfb'), 'software (Xvfb + Mesa llvmpipe)');
  assert.equal(classifyRasterizer(llvmpipe, 'inherited'), 'software (Mesa llvmpipe)');
  assert.equal(classifyRasterizer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)', 'not needed'), 'software (SwiftShader)');
  assert.equal(classifyRasterizer('Mesa softpipe', 'inherited'), 'software (Mesa softpipe)');
  assert.equal(classifyRasterizer(null, 'xvfb'), 'software (Xvfb + Mesa)', 'a virtual X server has no GPU whatever the strings say');
  assert.equal(classifyRasterizer('ANGLE (NVIDIA Corporation, NVIDIA GeForce RTX 3060/PCIe/SSE2, OpenGL 4.5.0)', 'inherited'), 'hardware GPU (ANGLE (NVIDIA Corporation, NVIDIA GeForce RTX 3060/PCIe/SSE2, OpenGL 4.5.0))');
  assert.match(classifyRasterizer(null, 'inherited'), /^unknown/);
});

for (const mode of ['cpu', 'webasm'] as const) {
  test(`gpujs:${mode}: pi within 6 sigma at n = 1e5, hits exact, across a block boundary too`, async () => {
    const k = await prepareGpujs(mode);
    try {
      const info = k.info() as { mode: string; compile: Record<string, number>; rasterizer: string };
      assert.equal(info.mode, mode);
      assert.match(info.rasterizer, /^none/);
      for (const phase of ['kernelBuildMs', 'selfCheckMs']) assert.ok(info.compile[phase]! >= 0, phase);
      checkEstimate(k, `gpujs:${mode}`);
      assert.equal(k.count(3, 100, BLOCK_SAMPLES - 50), countHitsReference(3, BLOCK_SAMPLES - 50, 100));
    } finally {
      await k.dispose();
    }
  });
}

/** Runs `fn` with a display for WebGL (the backend's childEnv, as the runner does), or skips. */
async function withDisplay(t: { skip(reason: string): void }, fn: (env: Record<string, string>) => Promise<void>): Promise<void> {
  const gl = backend('gpujs:gl');
  const env = await gl.childEnv!();
  try {
    if (process.platform === 'linux' && !env.DISPLAY) {
      t.skip(`no WebGL display: ${env[ENV_DISPLAY_NOTE] ?? 'DISPLAY unset'}`);
      return;
    }
    await withEnv(env, async () => {
      const probe = createContext();
      destroyContext(probe.gl);
      if (!probe.gl) {
        t.skip(`no WebGL context: ${probe.reason}`);
        return;
      }
      await fn(env);
    });
  } finally {
    await gl.release!();
  }
}

test('gpujs:gl: pi within 6 sigma at n = 1e5 on WebGL (under Xvfb when there is no display), renderer recorded', async (t) => {
  await withDisplay(t, async (env) => {
    const k = await prepareGpujs('headlessgl');
    try {
      const info = k.info() as {
        mode: string; rasterizer: string; display: { source: string; DISPLAY: string };
        gl: { version: string; renderer: string; vendor: string; unmaskedRenderer: string | null; unmaskedVersion: string | null; highpFloatPrecision: number };
        compile: Record<string, number>;
      };
      t.diagnostic(`renderer: ${info.gl.unmaskedRenderer}; rasterizer: ${info.rasterizer}; compile ${JSON.stringify(info.compile)}`);
      assert.equal(info.mode, 'headlessgl');
      assert.match(info.gl.version, /^WebGL 1\.0/);
      assert.equal(typeof info.gl.renderer, 'string');
      assert.equal(typeof info.gl.vendor, 'string');
      assert.equal(info.gl.highpFloatPrecision, 23);
      assert.equal(info.display.source, env[ENV_DISPLAY_SOURCE] ?? info.display.source);
      if (env[ENV_DISPLAY_SOURCE] === 'xvfb') assert.match(info.rasterizer, /^software \(Xvfb \+ Mesa/);
      if (/llvmpipe|swiftshader|softpipe/i.test(info.gl.unmaskedRenderer ?? '')) assert.match(info.rasterizer, /^software/);
      assert.ok(info.compile.kernelBuildMs! > 0, 'the shader compile is timed in prepare');
      checkEstimate(k, 'gpujs:gl');
      assert.equal(k.count(3, 100, BLOCK_SAMPLES - 50), countHitsReference(3, BLOCK_SAMPLES - 50, 100), 'across a block boundary');
    } finally {
      await k.dispose();
    }
    const best = await prepareGpujs('best');
    try {
      assert.equal((best.info() as { mode: string }).mode, 'headlessgl', 'gpujs picks WebGL when a context exists');
      checkEstimate(best, 'gpujs');
    } finally {
      await best.dispose();
    }
  });
});

test('gpujs:gl: hash and hit test in GLSL equal the JavaScript reference bit for bit', async (t) => {
  await withDisplay(t, async () => {
    const { gl } = createContext();
    const gpu = newGpu('headlessgl', gl);
    try {
      const xs = [...uint32s(4096, 5)];
      const hashK = gpu.createKernel(function (this: { thread: { x: number } }, h: number[], l: number[]) {
        return hash24(h[this.thread.x]!, l[this.thread.x]!);
      }, { output: [xs.length], precision: 'single', tactic: 'precision' });
      const got = hashK(xs.map((x) => x >>> 16), xs.map((x) => x & 0xffff));
      xs.forEach((x, i) => assert.equal(got[i], lowbias32(x) >>> 8, `hash24 of ${x} in GLSL`));
      const pts = circlePoints(2048);
      const hitK = gpu.createKernel(function (this: { thread: { x: number } }, x: number[], y: number[]) {
        return exactHit(x[this.thread.x]!, y[this.thread.x]!);
      }, { output: [pts.length], precision: 'single', tactic: 'precision' });
      const hits = hitK(pts.map((p) => p.x), pts.map((p) => p.y));
      pts.forEach((p, i) => assert.equal(hits[i], p.hit, `(${p.x}, ${p.y}) in GLSL`));
    } finally {
      await gpu.destroy();
    }
  });
});

/** Prepares a variant in a fresh process with the given environment and node options (as a cell would) and returns its info. */
function infoInChild(request: string, env: Record<string, string | undefined>, execArgv: string[] = []): Promise<Record<string, unknown>> {
  const url = new URL('../backends/gpujs/index.js', import.meta.url).href;
  const code = `const m = await import(${JSON.stringify(url)}); const k = await m.prepareGpujs(${JSON.stringify(request)}); process.stdout.write(JSON.stringify(k.info())); await k.dispose(); process.exit(0);`;
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) childEnv[k] = v;
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [...execArgv, '--input-type=module', '-e', code], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => { out += d; });
    c.stderr.on('data', (d) => { err += d; });
    c.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Record<string, unknown>) : reject(new Error(`child exited ${code}: ${err.slice(-500)}`))));
  });
}

test('fallback: gpujs runs cpu when a part is missing, and names the part (JITBENCH_GPUJS_DISABLE, the gl package, Xvfb)', async (t) => {
  const off = await infoInChild('best', { JITBENCH_GPUJS_DISABLE: 'gl' });
  assert.equal(off.mode, 'cpu');
  assert.match(String(off.selection), /fallback to cpu: no WebGL context \(WebGL disabled by JITBENCH_GPUJS_DISABLE=gl\)/);
  assert.match(String(off.fallbackReason), /JITBENCH_GPUJS_DISABLE=gl/);
  await assert.rejects(infoInChild('headlessgl', { JITBENCH_GPUJS_DISABLE: 'gl' }), /headlessgl is not available: WebGL disabled/);

  // The gl package missing (hidden from the cell, as where its native build failed): the reason names it.
  const noGl = await infoInChild('best', { [HIDE_ENV]: 'gl' }, HIDE_PRELOAD);
  assert.equal(noGl.mode, 'cpu');
  assert.match(String(noGl.fallbackReason), /cannot load headless-gl \(the optional gl package.*Cannot find module 'gl'/);

  // No display and no Xvfb: what the runner's childEnv hands the cell, and what the cell records.
  await withEnv({ DISPLAY: undefined, JITBENCH_GPUJS_DISABLE: 'xvfb' }, async () => {
    const b = backend('gpujs');
    const env = await b.childEnv!();
    try {
      if (process.platform !== 'linux') return;
      assert.equal(env.DISPLAY, undefined);
      assert.match(env[ENV_DISPLAY_NOTE]!, /DISPLAY is unset.*Xvfb disabled/);
      const info = await infoInChild('best', { ...env, DISPLAY: undefined });
      assert.equal(info.mode, 'cpu');
      assert.match(String(info.displayNote), /DISPLAY is unset.*Xvfb disabled/);
      // headless-gl is loaded before the display is looked at: the first missing part is the reason.
      const gl = loadGl();
      if (gl.createGL) assert.match(String(info.fallbackReason), /DISPLAY is unset.*Xvfb disabled/);
      else {
        t.diagnostic(`the gl package does not load here, so it is the reason before the display: ${gl.reason}`);
        assert.match(String(info.fallbackReason), /cannot load headless-gl \(the optional gl package/);
      }
    } finally {
      await b.release!();
    }
  });
});

test('fallback: with a display from childEnv, gpujs picks WebGL in the cell process', async (t) => {
  const b = backend('gpujs');
  const env = await b.childEnv!();
  try {
    if (process.platform === 'linux' && !env.DISPLAY) {
      t.skip(`no display: ${env[ENV_DISPLAY_NOTE]}`);
      return;
    }
    const info = await infoInChild('best', env);
    if (info.mode !== 'headlessgl') {
      t.skip(`no WebGL context here: ${String(info.fallbackReason)}`);
      return;
    }
    assert.match(String(info.selection), /best available: WebGL/);
    if (env[ENV_DISPLAY_SOURCE] === 'xvfb') assert.match(String(info.rasterizer), /^software \(Xvfb \+ Mesa/);
  } finally {
    await b.release!();
  }
});

test('probe: gl tries a real context (fast) and list shows why a variant is out', async (t) => {
  await withEnv({ JITBENCH_GPUJS_DISABLE: 'gl' }, async () => {
    resetGlProbe();
    const gl = await backend('gpujs:gl').probe();
    assert.equal(gl.available, false);
    assert.match(gl.reason!, /JITBENCH_GPUJS_DISABLE=gl/);
    const best = await backend('gpujs').probe();
    assert.equal(best.available, true);
    assert.match(best.detail, /cpu mode \(fallback: no WebGL context: WebGL disabled/);
  });
  resetGlProbe();
  const p = await probeGl();
  t.diagnostic(`gl probe: ${p.ok ? `ok, ${p.strings?.unmaskedRenderer}, ${p.rasterizer}` : p.reason} in ${p.ms.toFixed(0)} ms (display: ${p.displaySource})`);
  const gl = await backend('gpujs:gl').probe();
  assert.equal(gl.available, p.ok);
  if (p.ok) assert.match(gl.detail, /rasterizer: /);
  else assert.ok(gl.reason);
  assert.equal(xvfbUsers(), 0, 'the probe released its display');
  assert.equal((await backend('gpujs:cpu').probe()).available, true);
  resetGlProbe();
});
