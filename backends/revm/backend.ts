/**
 * `revm` as a harness backend: revm through @nomicfoundation/edr on the EVM scenarios. Each call
 * goes through EDR's Solidity test runner (see index.ts), which costs a fixed ~0.3-0.7 ms per call
 * on top of execution; besides the empty-call time every EVM cell records, the kernel records
 * (after the samples, see Kernel.calibrate) EDR's own time for the harness test (inside EDR, no
 * bridge) on the workload and on the empty contract, medians of 30 calls, so reports can show
 * revm's execution apart from the overhead.
 */
import type { Backend, CellParams, MissingPart, Scenario } from '../../src/core/types.js';
import { runMessageCall } from '../../src/evm/message.js';
import { emptyCall } from '../../scenarios/evm/call.js';
import { evmCaseOf, isEvmScenario } from '../../scenarios/evm/index.js';
import { prepareEvmKernel } from '../../scenarios/evm/kernel.js';
import type { MessageCall } from '../../src/evm/types.js';
import { lastRevmEdrNs, revmAvailability, revmEngine } from './index.js';

const EDR_SAMPLES = 30;

/** Median of EDR's own time for `call`, microseconds. */
function edrMedianUs(call: MessageCall): number {
  const xs: number[] = [];
  for (let i = 0; i < EDR_SAMPLES + 5; i++) {
    runMessageCall(revmEngine, call);
    if (i >= 5) xs.push(Number(lastRevmEdrNs()) / 1000);
  }
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)]!;
}

/** What revm needs and `npm install` normally brings (its postinstall step). */
const EDR_PART: MissingPart = { part: "@nomicfoundation/edr, revm's engine (npm install brings it unless it could not)", add: 'npm run setup:revm' };

export const revmBackend: Backend = {
  id: 'revm',
  description: 'revm through @nomicfoundation/edr (Hardhat\'s native engine), Solidity test runner path (no opcode trace), in a worker thread',
  deterministic: true,
  tiers: { default: [] },
  async probe() {
    const av = revmAvailability();
    return av.ok
      ? { available: true, detail: `@nomicfoundation/edr ${av.version}` }
      : { available: false, detail: 'revm (EDR)', reason: av.reason, missing: [EDR_PART] };
  },
  supports: (s) => isEvmScenario(s.id),
  async prepare(scenario: Scenario, params: CellParams) {
    // EDR's own times take calls to measure: after the samples, so the first call stays cold
    return prepareEvmKernel(revmEngine, scenario, params, {}, () => {
      const edrWorkloadUs = edrMedianUs(evmCaseOf(scenario).load().call(params.n, params.seed));
      const edrEmptyUs = edrMedianUs(emptyCall());
      return { edrWorkloadUs, edrEmptyUs, edrExecutionUs: edrWorkloadUs - edrEmptyUs };
    });
  },
};
