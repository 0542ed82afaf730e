/**
 * The EVM engines of this process, by id (for `jitbench evm run|test --engine` and the fuzzer).
 * The EVM library imports no engine: engines register here when their plugin loads (the built-in
 * ones from backends/index.ts). `ethereumjs` (@ethereumjs/evm) is a reference to test against,
 * not an engine jitbench measures; `revm` is listed even when EDR is missing, so that asking for
 * it says why it cannot run.
 */
import { UsageError } from '../util/errors.js';
import type { EvmEngine } from './types.js';

const engines: EvmEngine[] = [];

/** Adds an engine (registering the same one twice is a no-op; another with the same id is an error). */
export function registerEvmEngine(e: EvmEngine): void {
  const had = engines.find((x) => x.id === e.id);
  if (had === e) return;
  if (had) throw new Error(`duplicate EVM engine id '${e.id}'`);
  engines.push(e);
}

/** Every registered engine, in registration order. */
export function evmEngines(): readonly EvmEngine[] {
  return engines;
}

export const DEFAULT_EVM_ENGINE = 'evm-interp';

/** An engine that may be missing its native part says so (`availability()`), with the reason. */
type OptionalEngine = EvmEngine & { availability(): { ok: true } | { ok: false; reason: string } };

function isOptional(e: EvmEngine): e is OptionalEngine {
  return typeof (e as Partial<OptionalEngine>).availability === 'function';
}

/** Whether `e` can run here, and if not, why (engines without native parts always can). */
export function evmEngineAvailability(e: EvmEngine): { ok: true } | { ok: false; reason: string } {
  return isOptional(e) ? e.availability() : { ok: true };
}

/**
 * The engine with this id, or undefined when there is none. An engine that exists but cannot run
 * here (EDR not installed) is a usage error with the reason, in one line.
 */
export function findEvmEngine(id: string): EvmEngine | undefined {
  const e = engines.find((x) => x.id === id);
  if (!e) return undefined;
  const av = evmEngineAvailability(e);
  if (!av.ok) throw new UsageError(`engine '${id}' is unavailable: ${av.reason}`);
  return e;
}
