import type { Backend, Scenario } from './types.js';
import { tsBackend } from '../../backends/ts/index.js';
import { wasmBackend } from '../../backends/wasm/index.js';
import { gpujsBackends } from '../../backends/gpujs/index.js';
import { tfjsBackends } from '../../backends/tfjs/index.js';
import { evmInterpBackend } from '../../backends/evm-interp/backend.js';
import { ethereumjsBackend } from '../../backends/ethereumjs/backend.js';
import { evmNativeBackends } from '../../backends/evm-native/backend.js';
import { revmBackend } from '../../backends/revm/backend.js';
import { monteCarloPi } from '../../scenarios/monte-carlo-pi/index.js';
import { EVM_SCENARIOS, evmScenario, isEvmScenario } from '../../scenarios/evm/index.js';

/** Every backend jitbench knows, in display order. */
export const BACKENDS: readonly Backend[] = [tsBackend, wasmBackend, ...tfjsBackends, ...gpujsBackends, evmInterpBackend, ...evmNativeBackends, ethereumjsBackend, revmBackend];
export const SCENARIOS: readonly Scenario[] = [monteCarloPi, ...EVM_SCENARIOS];

export function findBackend(id: string): Backend | undefined {
  return BACKENDS.find((b) => b.id === id);
}

/** A listed scenario, or an EVM scenario resolved from its id (`evm:fib@viaIR`, a user's Solidity call, registered raw code). */
export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id) ?? (isEvmScenario(id) ? evmScenario(id) : undefined);
}
