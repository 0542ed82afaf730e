/** The EVM engines jitbench knows, by id (for `jitbench evm run|test --engine`). */
import { evmInterpEngine } from '../../backends/evm-interp/index.js';
import { ethereumjsEngine } from '../../backends/ethereumjs/index.js';
import { evmNativeEngine } from '../../backends/evm-native/index.js';
import { revmEngine } from '../../backends/revm/index.js';
import { UsageError } from '../util/errors.js';
import type { EvmEngine } from './types.js';

/**
 * `ethereumjs` (@ethereumjs/evm in a worker thread) is a reference to test against (VMTests, the
 * differential fuzzer in src/evm/fuzz/), not one of the engines jitbench measures. `revm` (revm
 * through @nomicfoundation/edr, an optional dependency) is a peer engine to measure against; it is
 * listed even when EDR is missing, so that asking for it says why it cannot run.
 */
export const EVM_ENGINES: readonly EvmEngine[] = [evmInterpEngine, evmNativeEngine, ethereumjsEngine, revmEngine];

/** Engines that are references for conformance and differential testing only. */
export const REFERENCE_EVM_ENGINES: readonly string[] = ['ethereumjs'];

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
  const e = EVM_ENGINES.find((x) => x.id === id);
  if (!e) return undefined;
  const av = evmEngineAvailability(e);
  if (!av.ok) throw new UsageError(`engine '${id}' is unavailable: ${av.reason}`);
  return e;
}
