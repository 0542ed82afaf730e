/**
 * The message call of an EVM workload: the contract's runtime code at a fixed address, called by a
 * fixed sender with ABI-encoded arguments, on the fork the contracts are compiled for.
 */
import type { Fork } from '../../src/evm/fork.js';
import { bigintToBytes, concatBytes, hexToBytes } from '../../src/evm/hex.js';
import type { MessageCall } from '../../src/evm/types.js';
import { builtInContract, compileContract, type ContractArtifact } from './solc-compile.js';
import type { EvmWorkload } from './workloads.js';

/** The fork the workloads run on: the EVM version solc compiles them for (DEFAULT_SOLC_SETTINGS). */
export const WORKLOAD_FORK: Fork = 'cancun';
export const WORKLOAD_CONTRACT = '0x' + 'c0'.repeat(19) + 'de';
export const WORKLOAD_CALLER = '0x' + '00'.repeat(19) + 'ca';
/** Gas for one call: far above any workload's needs at its maxN (a workload never runs out). */
export const WORKLOAD_GAS = 1e12;

/** selector ++ each argument as one 32-byte big-endian word (static uint arguments only). */
export function encodeCall(selectorHex: string, args: readonly bigint[]): Uint8Array {
  return concatBytes(hexToBytes(selectorHex), ...args.map((v) => bigintToBytes(BigInt.asUintN(256, v), 32)));
}

/**
 * The call of `code` (runtime bytecode at WORKLOAD_CONTRACT) with `calldata`; `others` are more
 * accounts with code in the pre-state (address -> runtime bytecode), e.g. a callee.
 */
export function codeCall(code: Uint8Array, calldata: Uint8Array, others: ReadonlyArray<{ address: string; runtime: Uint8Array }> = []): MessageCall {
  return {
    fork: WORKLOAD_FORK,
    caller: WORKLOAD_CALLER,
    address: WORKLOAD_CONTRACT,
    calldata,
    gasLimit: WORKLOAD_GAS,
    preState: new Map([[WORKLOAD_CONTRACT, { code }], ...others.map((o) => [o.address, { code: o.runtime }] as const)]),
  };
}

/** The artifacts of a workload's other accounts, compiled from its file with the same settings as `artifact`. */
export function accountArtifacts(w: EvmWorkload, artifact: ContractArtifact): Array<{ address: string; artifact: ContractArtifact }> {
  return (w.accounts ?? []).map((a) => ({ address: a.address, artifact: compileContract(builtInContract(w.file), a.contract, artifact.settings) }));
}

export function workloadCall(w: EvmWorkload, artifact: ContractArtifact, n: number, seed: number): MessageCall {
  const selector = artifact.selectors[w.signature];
  if (!selector) throw new Error(`${artifact.contract} has no function ${w.signature} (it has ${Object.keys(artifact.selectors).join(', ')})`);
  const others = accountArtifacts(w, artifact).map((a) => ({ address: a.address, runtime: hexToBytes(a.artifact.runtime) }));
  return codeCall(hexToBytes(artifact.runtime), encodeCall(selector, w.args(n, seed)), others);
}

/** The same call on an empty contract (STOP): what an engine costs per call before executing anything. */
export function emptyCall(): MessageCall {
  return {
    fork: WORKLOAD_FORK,
    caller: WORKLOAD_CALLER,
    address: WORKLOAD_CONTRACT,
    calldata: new Uint8Array(36),
    gasLimit: WORKLOAD_GAS,
    preState: new Map([[WORKLOAD_CONTRACT, { code: new Uint8Array([0x00]) }]]),
  };
}
