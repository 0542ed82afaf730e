/** The EVM engines jitbench knows, by id (for `jitbench evm run|test --engine`). */
import { evmInterpEngine } from '../../backends/evm-interp/index.js';
import { ethereumjsEngine } from '../../backends/ethereumjs/index.js';
import type { EvmEngine } from './types.js';

/**
 * `ethereumjs` (@ethereumjs/evm in a worker thread) is a reference to test against (VMTests, the
 * differential fuzzer in src/evm/fuzz/), not one of the engines jitbench measures.
 */
export const EVM_ENGINES: readonly EvmEngine[] = [evmInterpEngine, ethereumjsEngine];

/** Engines that are references for conformance and differential testing only. */
export const REFERENCE_EVM_ENGINES: readonly string[] = ['ethereumjs'];

export const DEFAULT_EVM_ENGINE = 'evm-interp';

export function findEvmEngine(id: string): EvmEngine | undefined {
  return EVM_ENGINES.find((e) => e.id === id);
}
