/** `evm-interp` as a harness backend: runs the EVM scenarios (`evm:*`) on the interpreter. */
import { JS_TIERS, type Backend } from '../../src/core/types.js';
import { isEvmScenario } from '../../scenarios/evm/index.js';
import { prepareEvmKernel } from '../../scenarios/evm/kernel.js';
import { evmInterpEngine } from './index.js';

export const evmInterpBackend: Backend = {
  id: 'evm-interp',
  description: evmInterpEngine.description,
  deterministic: true,
  tiers: JS_TIERS,
  async probe() {
    return { available: true, detail: `V8 ${process.versions.v8}` };
  },
  supports: (s) => isEvmScenario(s.id),
  async prepare(scenario, params) {
    return prepareEvmKernel(evmInterpEngine, scenario, params);
  },
};
