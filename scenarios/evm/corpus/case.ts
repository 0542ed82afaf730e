/**
 * A corpus workload as an EVM scenario case: its harness compiled with the case's pipeline, its
 * pre-state built (or taken from the cache), and one message call per kernel call from that
 * pre-state, with what the results record about every piece of code it runs.
 */
import { join } from 'node:path';
import { bytesToHex } from '../../../src/evm/hex.js';
import { keccak256 } from '../../../src/evm/keccak.js';
import type { MessageCall } from '../../../src/evm/types.js';
import { WORKLOAD_CALLER, WORKLOAD_CONTRACT, WORKLOAD_FORK, WORKLOAD_GAS } from '../call.js';
import type { EvmCase, LoadedEvmCase } from '../index.js';
import { compileContract, CONTRACTS_DIR, DEFAULT_SOLC_SETTINGS, type ContractArtifact, type SolcPipeline } from '../solc-compile.js';
import { installedPackageVersion } from '../solc-imports.js';
import { buildPreState, type SetupStep } from './prestate.js';
import type { CorpusWorkload } from './types.js';

/** The report's group of the corpus scenarios (recorded in each cell's info as `group`). */
export const CORPUS_GROUP = 'corpus';
/** Folder of the corpus harness contracts in the source tree. */
export const CORPUS_CONTRACTS_DIR = join(CONTRACTS_DIR, '..', 'corpus', 'contracts');

/** Contract `name` of the workload's harness file (or of `file`), compiled with the case's settings (cached). */
export function corpusArtifact(w: CorpusWorkload, name: string, pipeline: SolcPipeline, file = w.file): ContractArtifact {
  return compileContract(join(CORPUS_CONTRACTS_DIR, file), name, { ...DEFAULT_SOLC_SETTINGS, pipeline });
}

/** The set-up steps of a workload for a pipeline (compiles what it deploys). */
export function corpusSteps(w: CorpusWorkload, pipeline: SolcPipeline): SetupStep[] {
  return w.setup({ artifact: (name, file) => corpusArtifact(w, name, pipeline, file) });
}

function codeFacts(code: Uint8Array): { bytecodeKeccak: string; bytecodeBytes: number } {
  return { bytecodeKeccak: bytesToHex(keccak256(code)), bytecodeBytes: code.length };
}

function loadCorpus(w: CorpusWorkload, pipeline: SolcPipeline): LoadedEvmCase {
  const artifact = corpusArtifact(w, w.contract, pipeline);
  if (!artifact.selectors[w.signature]) throw new Error(`${artifact.contract} has no function ${w.signature} (it has ${Object.keys(artifact.selectors).join(', ')})`);
  const steps = corpusSteps(w, pipeline);
  const pre = buildPreState(steps);
  const code = pre.accounts.get(WORKLOAD_CONTRACT as never)?.code;
  if (!code?.length) throw new Error(`corpus workload ${w.id}: its set-up leaves no code at ${WORKLOAD_CONTRACT}`);
  const others = [...pre.accounts].filter(([a, acc]) => a !== WORKLOAD_CONTRACT && acc.code.length > 0).map(([address, acc]) => ({ address, runtime: acc.code }));
  const deployed = new Map(steps.filter((s) => s.kind === 'deploy').map((s) => [s.address.toLowerCase(), s.label]));
  const block = w.block !== undefined ? { block: { number: w.block } } : {};
  const call = (n: number, seed: number): MessageCall => ({
    fork: WORKLOAD_FORK, caller: WORKLOAD_CALLER, address: WORKLOAD_CONTRACT, calldata: w.calldata(n, seed), gasLimit: WORKLOAD_GAS, preState: pre.accounts, ...block,
  });
  const expected = w.expected;
  return {
    code,
    others,
    call,
    ...(expected ? { expected: (n: number, seed: number) => bytesToHex(expected(n, seed)) } : {}),
    facts: {
      group: CORPUS_GROUP,
      check: w.check === 'reference' ? 'reference: return data computed independently in TypeScript' : 'engines: no independent answer; the engines of a run must agree',
      origin: w.origin.map((o) => ({ ...o, version: installedPackageVersion(o.package) })),
      contract: artifact.contract,
      solcVersion: artifact.solcVersion,
      solcSettings: artifact.settings,
      pipeline,
      solcInputHash: artifact.inputHash,
      ...(artifact.packages ? { packages: artifact.packages } : {}),
      function: w.signature,
      // the code as deployed (immutables filled in by the constructor), which is what runs
      ...codeFacts(code),
      ...(w.block !== undefined ? { blockNumber: Number(w.block) } : {}),
      preStateHash: pre.hash,
      otherContracts: others.map((o) => ({ address: o.address, deployedBy: deployed.get(o.address) ?? 'created during the set-up', ...codeFacts(o.runtime) })),
    },
  };
}

export function corpusCase(id: string, w: CorpusWorkload, pipeline: SolcPipeline, memo: (load: () => LoadedEvmCase) => () => LoadedEvmCase): EvmCase {
  return {
    id, kind: 'corpus', data: { kind: 'corpus', name: w.id, pipeline }, group: CORPUS_GROUP,
    description: `${pipeline === 'legacy' ? w.description : `${w.description} [viaIR]`} [${w.check === 'reference' ? 'checked against a TypeScript reference' : 'checked by the engines\' agreement'}]`,
    defaultSizes: w.defaultSizes, maxN: w.maxN, pipeline,
    load: memo(() => loadCorpus(w, pipeline)),
  };
}
