/**
 * A corpus workload: code other people wrote (an npm package's Solidity, compiled here, or its
 * published bytecode), deployed into a pre-state and called through a small harness of ours at
 * WORKLOAD_CONTRACT, with an answer checked either against an independent TypeScript reference
 * or, where there is none, by the agreement of the engines of a run.
 */
import type { ContractArtifact } from '../solc-compile.js';
import type { SetupStep } from './prestate.js';

/** Where the code a workload runs comes from. */
export interface CorpusOrigin {
  /** npm package (its installed version is recorded with every result). */
  package: string;
  /** File in the package. */
  file: string;
  /** Contract or library used from it. */
  contract: string;
  /** Compiled here from the package's source, or its published bytecode run as is. */
  use: 'source' | 'published bytecode';
}

/**
 * reference: the return data is computed in TypeScript (BigInt, @noble) and compared exactly on
 * every call; engines: no independent answer exists, the engines of a run must agree (status,
 * return data, gas, logs), and a call must succeed.
 */
export type CorpusCheck = 'reference' | 'engines';

/** What a workload's set-up can use: harness contracts compiled with the case's pipeline. */
export interface SetupContext {
  /** A contract of the workload's harness file, or of another file in corpus/contracts/. */
  artifact(contract: string, file?: string): ContractArtifact;
}

export interface CorpusWorkload {
  /** Scenario id without the `evm:` prefix. */
  id: string;
  description: string;
  origin: CorpusOrigin[];
  check: CorpusCheck;
  /** The harness Solidity file in scenarios/evm/corpus/contracts/ and the contract called. */
  file: string;
  contract: string;
  /** The function called, as solc's methodIdentifiers spell it. */
  signature: string;
  defaultSizes: number[];
  maxN: number;
  /** The deploy and set-up transactions; the called contract must end up at WORKLOAD_CONTRACT. */
  setup(ctx: SetupContext): SetupStep[];
  /** The block number of the workload's call (default 0), e.g. after the set-up's blocks. */
  block?: bigint;
  /** The calldata for size n and seed (selector included). */
  calldata(n: number, seed: number): Uint8Array;
  /** The exact return data for size n and seed (check 'reference' only). */
  expected?(n: number, seed: number): Uint8Array;
}
