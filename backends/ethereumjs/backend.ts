/**
 * `ethereumjs` as a harness backend: @ethereumjs/evm, the peer to beat, on the EVM scenarios.
 * It runs in a worker thread behind a synchronous bridge (index.ts); the bridge's cost and the
 * per-call state reset are part of what `emptyCallUs` (the empty contract's time) measures.
 */
import type { Backend } from '../../src/core/types.js';
import { packageVersion } from '../../src/util/packages.js';
import { isEvmScenario } from '../../scenarios/evm/index.js';
import { prepareEvmKernel } from '../../scenarios/evm/kernel.js';
import { ethereumjsEngine } from './index.js';

export const ethereumjsBackend: Backend = {
  id: 'ethereumjs',
  description: '@ethereumjs/evm (the reference JavaScript EVM) in a worker thread, state reset between calls',
  deterministic: true,
  tiers: { default: [] },
  async probe() {
    return { available: true, detail: `@ethereumjs/evm ${packageVersion('@ethereumjs/evm')}` };
  },
  supports: (s) => isEvmScenario(s.id),
  async prepare(scenario, params) {
    return prepareEvmKernel(ethereumjsEngine, scenario, params, { ethereumjsVersion: packageVersion('@ethereumjs/evm') });
  },
};
