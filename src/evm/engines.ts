/** The EVM engines jitbench knows, by id (for `jitbench evm run|test --engine`). */
import { evmInterpEngine } from '../../backends/evm-interp/index.js';
import type { EvmEngine } from './types.js';

export const EVM_ENGINES: readonly EvmEngine[] = [evmInterpEngine];

export const DEFAULT_EVM_ENGINE = 'evm-interp';

export function findEvmEngine(id: string): EvmEngine | undefined {
  return EVM_ENGINES.find((e) => e.id === id);
}
