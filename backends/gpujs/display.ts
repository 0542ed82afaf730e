/**
 * A virtual X display for headless-gl on Linux machines without one: one `Xvfb` per process
 * that needs it (the runner, a probe, a test), shared by reference count, killed when the
 * last user releases it (unless this process itself draws on it, see noteDisplayClient) and
 * in any case when this process exits.
 *
 * headless-gl (gl 8) creates its WebGL context through ANGLE on GLX, so on Linux it needs an
 * X server even to render off-screen. Xvfb has no GPU: its GLX is Mesa's software rasterizer
 * (llvmpipe), which the results must say (classifyRasterizer in gl-context.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { disabledParts } from './selection.js';

/** Environment variables the backend passes to its cell processes besides DISPLAY. */
export const ENV_DISPLAY_SOURCE = 'JITBENCH_GPUJS_DISPLAY_SOURCE';
export const ENV_DISPLAY_NOTE = 'JITBENCH_GPUJS_DISPLAY_NOTE';

/** Where the DISPLAY of a process came from. */
export type DisplaySource = 'xvfb' | 'inherited' | 'none' | 'not needed';

/** Full path of an executable on PATH, or undefined. */
export function which(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** Whether Xvfb can be used: installed and not disabled by JITBENCH_GPUJS_DISABLE=xvfb. */
export function xvfbPath(): { path?: string; reason?: string } {
  if (disabledParts().has('xvfb')) return { reason: 'Xvfb disabled by JITBENCH_GPUJS_DISABLE' };
  const path = which('Xvfb');
  return path ? { path } : { reason: 'Xvfb is not installed (apt install xvfb)' };
}

export interface VirtualDisplay {
  display: string;
  pid: number;
  startMs: number;
}

/** Starts one Xvfb on a free display number (-displayfd), local connections only, a 1x1 screen. */
export function startXvfb(path: string, timeoutMs = 5000): Promise<{ display: VirtualDisplay; child: ChildProcess }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(path, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1x1x24', '-noreset'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      // Its own process group: Ctrl-C reaches the runner's process group, and the runner (not
      // the terminal) decides when the display goes, after the running fork.
      detached: true,
    });
    let stderr = '';
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      const last = stderr.split('\n').map((l) => l.trim()).filter(Boolean).slice(-2).join(' / ');
      reject(new Error(`Xvfb did not start: ${why}${last ? ` (${last.slice(0, 300)})` : ''}`));
    };
    const timer = setTimeout(() => fail(`no display number after ${timeoutMs} ms`), timeoutMs);
    child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4096); });
    let out = '';
    child.stdio[3]!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\n/.exec(out);
      if (!m || settled) return;
      settled = true;
      clearTimeout(timer);
      // Nothing else comes on this pipe; let it (and Xvfb's stderr) not keep us alive.
      (child.stdio[3] as NodeJS.ReadableStream & { destroy(): void }).destroy();
      child.stderr!.removeAllListeners('data');
      child.stderr!.resume();
      child.unref();
      (child.stderr as unknown as { unref?: () => void }).unref?.();
      resolve({ display: { display: `:${m[1]}`, pid: child.pid!, startMs: performance.now() - t0 }, child });
    });
    child.on('error', (e) => fail(e.message));
    child.on('exit', (code, signal) => fail(`exited (${signal ?? `code ${code}`})`));
  });
}

interface Shared {
  pending: Promise<VirtualDisplay>;
  child?: ChildProcess;
  users: number;
}
let shared: Shared | undefined;
let exitHook = false;

function onExit(): void {
  // 'exit' handlers run synchronously: kill directly, nothing can be awaited here.
  const c = shared?.child;
  if (c && c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
}

/** Takes a reference to this process's Xvfb, starting it on first use. */
export async function acquireXvfb(path: string): Promise<VirtualDisplay> {
  if (!shared) {
    const s: Shared = { pending: Promise.resolve(undefined as unknown as VirtualDisplay), users: 0 };
    s.pending = startXvfb(path).then(({ display, child }) => {
      s.child = child;
      child.once('exit', () => { if (shared === s) shared = undefined; });
      return display;
    });
    s.pending.catch(() => { if (shared === s) shared = undefined; });
    if (!exitHook) {
      exitHook = true;
      // A run that ends by an exception or process.exit must not leave the server behind.
      process.on('exit', onExit);
    }
    shared = s;
  }
  const s = shared;
  s.users++;
  try {
    return await s.pending;
  } catch (e) {
    s.users--;
    throw e;
  }
}

/** Displays this process itself has opened a GL context on (see noteDisplayClient). */
const ownClients = new Set<string>();

/**
 * Records that this process connects to `display` (createContext calls it). Killing an X server
 * under a live client makes Xlib end the client process ("XIO: fatal IO error"), and headless-gl
 * and gpu.js keep their connections until exit; so a display this process uses is stopped only
 * when the process exits (--isolate none, tests). Cell processes are separate: the runner's
 * release stops the server at once.
 */
export function noteDisplayClient(display: string | undefined): void {
  if (display) ownClients.add(display);
}

/** Drops a reference; the last one kills Xvfb and waits for it to exit (or, see noteDisplayClient, leaves it to process exit). */
export async function releaseXvfb(): Promise<void> {
  const s = shared;
  if (!s) return;
  s.users--;
  if (s.users > 0) return;
  let display: VirtualDisplay;
  try {
    display = await s.pending;
  } catch {
    if (shared === s) shared = undefined;
    return;
  }
  if (s.users > 0 || shared !== s) return; // taken again meanwhile, or already gone
  if (ownClients.has(display.display)) return; // kept (users 0) for reuse; the exit hook stops it
  shared = undefined;
  const child = s.child!;
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(); }, 2000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

/** References held on this process's Xvfb (0: none running, or kept for this process's own contexts). */
export function xvfbUsers(): number {
  return shared?.users ?? 0;
}

/** Whether this process has an Xvfb running (or starting). */
export function xvfbRunning(): boolean {
  return shared !== undefined;
}

/**
 * Environment for a cell process that wants a WebGL context: the DISPLAY to use and where it
 * came from, or why there is none. Takes a reference to the shared Xvfb when it starts one
 * (returned in `acquired`; release with releaseXvfb()).
 */
export async function displayEnv(): Promise<{ env: Record<string, string>; acquired: boolean }> {
  if (process.platform !== 'linux') return { env: { [ENV_DISPLAY_SOURCE]: 'not needed' }, acquired: false };
  const current = process.env.DISPLAY;
  if (current) return { env: { DISPLAY: current, [ENV_DISPLAY_SOURCE]: 'inherited' }, acquired: false };
  const x = xvfbPath();
  if (!x.path) return { env: { [ENV_DISPLAY_SOURCE]: 'none', [ENV_DISPLAY_NOTE]: `no X display (DISPLAY is unset) and ${x.reason}` }, acquired: false };
  try {
    const d = await acquireXvfb(x.path);
    return { env: { DISPLAY: d.display, [ENV_DISPLAY_SOURCE]: 'xvfb' }, acquired: true };
  } catch (e) {
    return { env: { [ENV_DISPLAY_SOURCE]: 'none', [ENV_DISPLAY_NOTE]: `no X display (DISPLAY is unset) and ${(e as Error).message}` }, acquired: false };
  }
}
