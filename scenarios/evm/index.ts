/**
 * EVM scenarios (`evm:<workload>`): Solidity workloads compiled with solc (solc-compile.ts), run as
 * one message call per kernel call on an EVM engine, and checked exactly.
 */
import type { CellParams, ExactAccuracy, KernelOutput, Scenario } from '../../src/core/types.js';
import { isPiOutput } from '../../src/core/types.js';
import { bigintToHex } from '../../src/evm/hex.js';
import { DEFAULT_SOLC_SETTINGS, compileContract, type ContractArtifact, type SolcPipeline } from './solc-compile.js';
import { EVM_WORKLOADS, findEvmWorkload, type EvmWorkload } from './workloads.js';

export const EVM_SCENARIO_PREFIX = 'evm:';

export function isEvmScenario(id: string): boolean {
  return id.startsWith(EVM_SCENARIO_PREFIX);
}

/** The workload of an `evm:` scenario id. */
export function workloadOf(scenarioId: string): EvmWorkload {
  const w = findEvmWorkload(scenarioId.slice(EVM_SCENARIO_PREFIX.length));
  if (!w) throw new Error(`unknown EVM scenario '${scenarioId}': known are ${EVM_WORKLOADS.map((x) => EVM_SCENARIO_PREFIX + x.id).join(', ')}`);
  return w;
}

/** The workload's contract, compiled with the pinned settings (cached by input hash). */
export function workloadArtifact(w: EvmWorkload, pipeline: SolcPipeline = 'legacy'): ContractArtifact {
  return compileContract(w.file, w.contract, { ...DEFAULT_SOLC_SETTINGS, pipeline });
}

/** The 32-byte return word expected from a workload, 0x-hex. */
export function expectedReturnData(w: EvmWorkload, params: CellParams): string {
  return `0x${bigintToHex(w.expected(params.n, params.seed)).slice(2).padStart(64, '0')}`;
}

/** Exact check of one EVM answer: the call succeeded and returned the independently computed word. */
export function evmAccuracy(w: EvmWorkload): (output: KernelOutput, params: CellParams) => ExactAccuracy {
  const memo = new Map<string, string>();
  return (output, params) => {
    if (isPiOutput(output)) throw new Error('EVM check given a Monte Carlo pi answer');
    const key = `${params.n}/${params.seed}`;
    let expected = memo.get(key);
    if (expected === undefined) memo.set(key, (expected = expectedReturnData(w, params)));
    const actual = output.evm.status === 'success' ? output.evm.returnData : `${output.evm.status} ${output.evm.returnData}`;
    const matches = actual === expected && output.n === params.n;
    return { exact: true, expected, actual, matches, suspect: !matches };
  };
}

export const EVM_SCENARIOS: readonly Scenario[] = EVM_WORKLOADS.map((w) => ({
  id: EVM_SCENARIO_PREFIX + w.id,
  description: w.description,
  defaultSizes: w.defaultSizes,
  check: evmAccuracy(w),
}));
