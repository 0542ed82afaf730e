/**
 * WebGL contexts from headless-gl (the `gl` package, which gpu.js's headlessgl mode uses), the
 * strings that describe them, and whether the rasterizer behind them is hardware or software.
 */
import { createRequire } from 'node:module';
import type { MissingPart } from '../../src/core/types.js';
import { ENV_DISPLAY_NOTE, ENV_DISPLAY_SOURCE, noteDisplayClient, xvfbPath, type DisplaySource } from './display.js';
import { disabledParts } from './selection.js';

const require = createRequire(import.meta.url);

/** The slice of a WebGL 1 context jitbench reads. */
export interface WebGLLike {
  getParameter(name: number): unknown;
  getExtension(name: string): unknown;
  getShaderPrecisionFormat(shader: number, precision: number): { rangeMin: number; rangeMax: number; precision: number } | null;
  FRAGMENT_SHADER: number;
  HIGH_FLOAT: number;
}

const GL_VENDOR = 0x1f00;
const GL_RENDERER = 0x1f01;
const GL_VERSION = 0x1f02;
const GL_SHADING_LANGUAGE_VERSION = 0x8b8c;

export interface GlStrings {
  /** What the WebGL context reports (headless-gl masks these: 'stack-gl', 'ANGLE'). */
  vendor: string;
  renderer: string;
  version: string;
  shadingLanguageVersion: string;
  /** The strings of the GL driver underneath (WEBGL_debug_renderer_info, or headless-gl's native getParameter); null when hidden. */
  unmaskedVendor: string | null;
  unmaskedRenderer: string | null;
  unmaskedVersion: string | null;
  unmaskedShadingLanguageVersion: string | null;
  /** Mantissa bits of highp float in fragment shaders (23 = IEEE binary32). */
  highpFloatPrecision: number | null;
  floatTextures: boolean;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** Reads the context's strings, including the driver's own behind headless-gl's fixed ones. */
export function glStrings(gl: WebGLLike): GlStrings {
  const debug = gl.getExtension('WEBGL_debug_renderer_info') as { UNMASKED_VENDOR_WEBGL: number; UNMASKED_RENDERER_WEBGL: number } | null;
  // headless-gl's JavaScript class answers RENDERER with 'ANGLE'; its native base class (the
  // deepest getParameter on the prototype chain) asks the driver.
  let native: ((this: WebGLLike, name: number) => unknown) | undefined;
  for (let p = Object.getPrototypeOf(gl) as object | null; p; p = Object.getPrototypeOf(p) as object | null) {
    const f = Object.getOwnPropertyDescriptor(p, 'getParameter')?.value as ((this: WebGLLike, name: number) => unknown) | undefined;
    if (typeof f === 'function') native = f;
  }
  if (native === gl.getParameter) native = undefined;
  const ask = (name: number): string | null => {
    try {
      return native ? str(native.call(gl, name)) : null;
    } catch {
      return null;
    }
  };
  const hp = gl.getShaderPrecisionFormat(gl.FRAGMENT_SHADER, gl.HIGH_FLOAT);
  return {
    vendor: String(gl.getParameter(GL_VENDOR)),
    renderer: String(gl.getParameter(GL_RENDERER)),
    version: String(gl.getParameter(GL_VERSION)),
    shadingLanguageVersion: String(gl.getParameter(GL_SHADING_LANGUAGE_VERSION)),
    unmaskedVendor: (debug && str(gl.getParameter(debug.UNMASKED_VENDOR_WEBGL))) || ask(GL_VENDOR),
    unmaskedRenderer: (debug && str(gl.getParameter(debug.UNMASKED_RENDERER_WEBGL))) || ask(GL_RENDERER),
    unmaskedVersion: ask(GL_VERSION),
    unmaskedShadingLanguageVersion: ask(GL_SHADING_LANGUAGE_VERSION),
    highpFloatPrecision: hp ? hp.precision : null,
    floatTextures: Boolean(gl.getExtension('OES_texture_float')),
  };
}

const SOFTWARE = /llvmpipe|softpipe|swiftshader|swrast|lavapipe|software rasterizer|microsoft basic render/i;

/**
 * 'software (...)' or 'hardware GPU (...)' or 'unknown (...)'. A display we started (Xvfb) has
 * no GPU whatever the renderer string says, and a known software renderer name is software on
 * any display; only a named renderer that is neither counts as a GPU.
 */
export function classifyRasterizer(unmaskedRenderer: string | null, displaySource: DisplaySource | string | undefined): string {
  const m = unmaskedRenderer ? SOFTWARE.exec(unmaskedRenderer) : null;
  const name = m ? (/swiftshader/i.test(m[0]) ? 'SwiftShader' : /llvmpipe|softpipe|swrast|lavapipe/i.test(m[0]) ? `Mesa ${m[0].toLowerCase()}` : m[0]) : undefined;
  if (displaySource === 'xvfb') return `software (Xvfb + ${name ?? 'Mesa'})`;
  if (name) return `software (${name})`;
  if (!unmaskedRenderer) return 'unknown (the driver renderer string is hidden)';
  return `hardware GPU (${unmaskedRenderer})`;
}

export interface GlModule {
  (width: number, height: number, options?: Record<string, unknown>): (WebGLLike & { getSupportedExtensions(): string[] | null }) | null;
}

/** headless-gl, an optional dependency of gpu.js that npm drops when its native build fails. */
export const GL_PART: MissingPart = { part: 'gl (headless-gl, the WebGL of gpujs and gpujs:gl; built from source)', add: 'apt-get install -y libxi-dev libglu1-mesa-dev pkg-config && npm install --no-save gl' };
/** A virtual display for headless-gl when there is no DISPLAY (jitbench starts it). */
export const XVFB_PART: MissingPart = { part: 'Xvfb, a virtual display for headless-gl (there is no DISPLAY here)', add: 'apt-get install -y xvfb xauth' };

/** What headless-gl lacks here: the gl package, or a display (none set and no Xvfb); parts switched off by JITBENCH_GPUJS_DISABLE are not missing. */
export function missingGlParts(): MissingPart[] {
  const parts: MissingPart[] = [];
  if (!disabledParts().has('gl')) {
    try {
      require.resolve('gl');
    } catch {
      parts.push(GL_PART);
    }
  }
  if (!process.env['DISPLAY'] && !disabledParts().has('xvfb') && !xvfbPath().path) parts.push(XVFB_PART);
  return parts;
}

/** headless-gl, or why it cannot be loaded. */
export function loadGl(): { createGL?: GlModule; reason?: string } {
  try {
    return { createGL: require('gl') as GlModule };
  } catch (e) {
    return { reason: `cannot load headless-gl (the optional gl package: not installed or its native build failed): ${(e as Error).message.split('\n')[0]}` };
  }
}

/** Where this process's DISPLAY came from, as told by the runner (childEnv) or guessed. */
export function displaySource(): DisplaySource | string {
  const told = process.env[ENV_DISPLAY_SOURCE];
  if (told) return told;
  if (process.platform !== 'linux') return 'not needed';
  return process.env.DISPLAY ? 'inherited' : 'none';
}

export interface ContextAttempt {
  gl?: WebGLLike;
  strings?: GlStrings;
  reason?: string;
  createMs: number;
}

/**
 * Creates a 1x1 WebGL context in this process, or says why not. It must be able to run the
 * exact kernel: float textures for the counts and IEEE-like highp floats.
 */
export function createContext(): ContextAttempt {
  const t0 = performance.now();
  const done = (a: Omit<ContextAttempt, 'createMs'>): ContextAttempt => ({ ...a, createMs: performance.now() - t0 });
  if (disabledParts().has('gl')) return done({ reason: 'WebGL disabled by JITBENCH_GPUJS_DISABLE=gl' });
  const { createGL, reason } = loadGl();
  if (!createGL) return done({ reason });
  if (process.platform === 'linux' && !process.env.DISPLAY) {
    return done({ reason: process.env[ENV_DISPLAY_NOTE] ?? 'no X display (DISPLAY is unset); headless-gl needs one on Linux (install Xvfb and jitbench starts one)' });
  }
  let gl: ReturnType<GlModule>;
  noteDisplayClient(process.env.DISPLAY);
  try {
    gl = createGL(1, 1, { preserveDrawingBuffer: true });
  } catch (e) {
    return done({ reason: `headless-gl threw while creating a context: ${(e as Error).message}` });
  }
  if (!gl) return done({ reason: `headless-gl could not create a WebGL context${process.env.DISPLAY ? ` on DISPLAY=${process.env.DISPLAY}` : ''}` });
  const strings = glStrings(gl);
  const why = !strings.floatTextures
    ? 'the context lacks OES_texture_float (the partial counts are read back as float32)'
    : strings.highpFloatPrecision !== null && strings.highpFloatPrecision < 23
      ? `highp float in fragment shaders has ${strings.highpFloatPrecision} mantissa bits; the exact kernel needs IEEE binary32 (23)`
      : undefined;
  if (why) {
    destroyContext(gl);
    return done({ reason: why, strings });
  }
  return done({ gl, strings });
}

export function destroyContext(gl: WebGLLike | undefined): void {
  try {
    (gl?.getExtension('STACKGL_destroy_context') as { destroy(): void } | null)?.destroy();
  } catch {
    /* already gone */
  }
}
