/**
 * Which gpu.js mode a variant runs in, and why. Pure functions of what is available, so the
 * fallback rules are testable without taking anything away from the machine; the
 * JITBENCH_GPUJS_DISABLE variable simulates a missing part in real runs.
 */

/** gpu.js modes jitbench uses: WebGL 1 through headless-gl, transpiled JavaScript, WebAssembly. */
export type GpujsMode = 'headlessgl' | 'cpu' | 'webasm';
/** What a backend id asks for: the best available mode, or one named mode. */
export type GpujsRequest = 'best' | GpujsMode;

/** Parts a user can switch off: `gl` (no WebGL context), `xvfb` (as if Xvfb were not installed), `webasm`. */
export type GpujsPart = 'gl' | 'xvfb' | 'webasm';
export const DISABLE_ENV = 'JITBENCH_GPUJS_DISABLE';

/** JITBENCH_GPUJS_DISABLE=gl,xvfb -> {gl, xvfb}; unknown words are ignored. */
export function disabledParts(value = process.env[DISABLE_ENV] ?? ''): Set<GpujsPart> {
  const known: GpujsPart[] = ['gl', 'xvfb', 'webasm'];
  return new Set(value.split(/[\s,]+/).map((w) => w.trim().toLowerCase()).filter((w): w is GpujsPart => (known as string[]).includes(w)));
}

/** Whether one mode can run here; `reason` says why not (or describes it when it can). */
export interface ModeAvailability {
  ok: boolean;
  reason: string;
}

export type Availability = Record<GpujsMode, ModeAvailability>;

export interface Choice {
  mode: GpujsMode;
  /** Why this mode: the fallback chain in words. */
  reason: string;
}

/**
 * `best`: WebGL (headlessgl) when a context can be created, else cpu (gpu.js's portable
 * fallback, which always works). A named mode runs only in that mode; when it is unavailable
 * the answer is an error with the reason, never a silent substitute.
 */
export function chooseMode(request: GpujsRequest, avail: Availability): Choice {
  if (request !== 'best') {
    const a = avail[request];
    if (!a.ok) throw new Error(`gpu.js mode ${request} is not available: ${a.reason}`);
    return { mode: request, reason: `requested ${request}` };
  }
  if (avail.headlessgl.ok) return { mode: 'headlessgl', reason: `best available: WebGL context (${avail.headlessgl.reason})` };
  if (!avail.cpu.ok) throw new Error(`gpu.js is not usable: ${avail.cpu.reason}`);
  return { mode: 'cpu', reason: `fallback to cpu: no WebGL context (${avail.headlessgl.reason})` };
}
