/**
 * Can a WebGL context be created here? Asked the way a cell would ask it: in a short child
 * process, on the display the cell would get (ours or an Xvfb started for the question), so
 * `jitbench list` tells the truth and a native crash cannot take the CLI down. One answer per
 * process (all gpujs variants share it); about 0.3 s with Xvfb on the development machine.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ENV_DISPLAY_SOURCE, displayEnv, releaseXvfb } from './display.js';
import { classifyRasterizer, type GlStrings } from './gl-context.js';
import { disabledParts } from './selection.js';

const CHILD = fileURLToPath(new URL('./gl-probe-child.js', import.meta.url));
const require = createRequire(import.meta.url);

export interface GlProbe {
  ok: boolean;
  reason?: string;
  strings?: GlStrings;
  displaySource: string;
  rasterizer?: string;
  ms: number;
}

/** gpu.js's version, or undefined when it is not installed. */
export function gpujsVersion(): string | undefined {
  try {
    return (require('gpu.js/package.json') as { version: string }).version;
  } catch {
    return undefined;
  }
}

function runChild(env: Record<string, string>, timeoutMs: number): Promise<{ ok: boolean; reason?: string; strings?: GlStrings }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-2000); });
    child.on('error', (e) => { clearTimeout(timer); resolve({ ok: false, reason: `cannot start the probe process: ${e.message}` }); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        try {
          resolve(JSON.parse(line) as { ok: boolean; reason?: string; strings?: GlStrings });
          return;
        } catch {
          /* fall through */
        }
      }
      const last = err.split('\n').map((l) => l.trim()).filter(Boolean).slice(-1)[0];
      const how = signal === 'SIGKILL' ? `timed out after ${timeoutMs} ms` : signal ? `killed by ${signal}` : `exited with code ${code}`;
      resolve({ ok: false, reason: `the WebGL probe process ${how}${last ? `: ${last.slice(0, 200)}` : ''}` });
    });
  });
}

let memo: Promise<GlProbe> | undefined;

/** Whether a cell of gpujs / gpujs:gl would get a WebGL context, with the renderer strings. */
export function probeGl(): Promise<GlProbe> {
  memo ??= (async (): Promise<GlProbe> => {
    const t0 = performance.now();
    const done = (p: Omit<GlProbe, 'ms'>): GlProbe => ({ ...p, ms: performance.now() - t0 });
    if (disabledParts().has('gl')) return done({ ok: false, reason: 'WebGL disabled by JITBENCH_GPUJS_DISABLE=gl', displaySource: 'none' });
    try {
      require.resolve('gl');
    } catch {
      return done({ ok: false, reason: 'headless-gl (the optional gl package) is not installed', displaySource: 'none' });
    }
    const { env, acquired } = await displayEnv();
    try {
      const r = await runChild(env, 5000);
      const source = env[ENV_DISPLAY_SOURCE] ?? 'none';
      return done({
        ok: r.ok, reason: r.reason, strings: r.strings, displaySource: source,
        rasterizer: r.strings ? classifyRasterizer(r.strings.unmaskedRenderer, source) : undefined,
      });
    } finally {
      if (acquired) await releaseXvfb();
    }
  })();
  return memo;
}

/** Forgets the memoized answer (tests change the environment between probes). */
export function resetGlProbe(): void {
  memo = undefined;
}
