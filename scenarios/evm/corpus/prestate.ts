/**
 * The pre-state of a corpus workload: the accounts its contracts left after being deployed and set
 * up, as they would be on chain. The steps (run a creation code at an address, then calls such as
 * `createPool` or `mint`) run once, on evm-interp, from the same deployer; what they leave (code,
 * storage, nonces) is every engine's starting state. The result is cached on disk by the hash of
 * the steps, so that a cell's process loads it instead of running the set-up inside its
 * prepare (which the harness would count as compile time).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evmInterpEngine } from '../../../backends/evm-interp/index.js';
import { toAddress, type Address } from '../../../src/evm/address.js';
import { bytesToHex, hexToBytes } from '../../../src/evm/hex.js';
import { runMessageCall } from '../../../src/evm/message.js';
import type { AccountData } from '../../../src/evm/state.js';
import type { CallResult } from '../../../src/evm/types.js';
import { WORKLOAD_FORK } from '../call.js';
import { cacheDir } from '../solc-compile.js';
import { fixedAddress } from './model.js';

/** The account that sends every set-up transaction (e.g. the Uniswap factory's owner). */
export const DEPLOYER = fixedAddress(0xd0);
/** Gas for one set-up step: a block's worth and more. */
const SETUP_GAS = 1e9;
/** EIP-170: the largest runtime code a creation may return. */
const MAX_CODE_SIZE = 24_576;
/** Bump when the meaning of the steps or the cached format changes. */
const FORMAT = 'jitbench-corpus-prestate/1';

/** One set-up transaction, in block `block` (default 0). */
export type SetupStep =
  | { kind: 'deploy'; label: string; address: string; initcode: Uint8Array; block?: bigint }
  | { kind: 'call'; label: string; address: string; calldata: Uint8Array; block?: bigint };

export type PreState = Map<Address, AccountData>;

export interface BuiltPreState {
  accounts: PreState;
  /** sha256 of the steps: what the pre-state is a function of. */
  hash: string;
}

export class SetupError extends Error {
  override name = 'SetupError';
}

function stepsHash(steps: readonly SetupStep[]): string {
  const h = createHash('sha256').update(`${FORMAT}\n${WORKLOAD_FORK}\n${DEPLOYER}\n`);
  for (const s of steps) h.update(`${s.kind} ${s.address} ${s.block ?? 0n} ${bytesToHex(s.kind === 'deploy' ? s.initcode : s.calldata)}\n`);
  return h.digest('hex');
}

function failure(step: SetupStep, r: CallResult): SetupError {
  return new SetupError(`corpus set-up step '${step.label}' ended with ${r.status}${r.haltReason ? ` (${r.haltReason})` : ''}: ${bytesToHex(r.returnData).slice(0, 138)}`);
}

/** Runs the steps on evm-interp, each from the state the previous one left. */
export function runSteps(steps: readonly SetupStep[]): PreState {
  let accounts: PreState = new Map();
  for (const step of steps) {
    const address = toAddress(step.address);
    const base = { fork: WORKLOAD_FORK, caller: DEPLOYER, address, gasLimit: SETUP_GAS, block: { number: step.block ?? 0n } } as const;
    if (step.kind === 'deploy') {
      if (accounts.get(address)?.code.length) throw new SetupError(`corpus set-up step '${step.label}': ${address} already has code`);
      // a contract account starts with nonce 1 (EIP-161) and runs its creation code with no code of its own
      const pre: PreState = new Map(accounts);
      pre.set(address, { nonce: 1n, balance: accounts.get(address)?.balance ?? 0n, code: new Uint8Array(0), storage: new Map() });
      const r = runMessageCall(evmInterpEngine, { ...base, code: step.initcode, preState: pre });
      if (r.status !== 'success' || r.returnData.length === 0) throw failure(step, r);
      if (r.returnData.length > MAX_CODE_SIZE) throw new SetupError(`corpus set-up step '${step.label}': ${r.returnData.length} bytes of code, above the ${MAX_CODE_SIZE}-byte limit (EIP-170)`);
      accounts = r.postState;
      const acc = accounts.get(address) ?? { nonce: 1n, balance: 0n, code: new Uint8Array(0), storage: new Map<bigint, bigint>() };
      accounts.set(address, { ...acc, nonce: acc.nonce === 0n ? 1n : acc.nonce, code: r.returnData });
    } else {
      const r = runMessageCall(evmInterpEngine, { ...base, calldata: step.calldata, preState: accounts });
      if (r.status !== 'success') throw failure(step, r);
      accounts = r.postState;
    }
  }
  return accounts;
}

interface CachedAccount {
  address: string;
  nonce: string;
  balance: string;
  code: string;
  storage: Array<[string, string]>;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

function save(file: string, accounts: PreState): void {
  const out: CachedAccount[] = [...accounts].map(([address, a]) => ({
    address, nonce: hex(a.nonce), balance: hex(a.balance), code: bytesToHex(a.code), storage: [...a.storage].map(([k, v]) => [hex(k), hex(v)]),
  }));
  mkdirSync(cacheDir(), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(out));
  renameSync(tmp, file);
}

function load(file: string): PreState {
  const data = JSON.parse(readFileSync(file, 'utf8')) as CachedAccount[];
  return new Map(data.map((a) => [toAddress(a.address), {
    nonce: BigInt(a.nonce), balance: BigInt(a.balance), code: hexToBytes(a.code), storage: new Map(a.storage.map(([k, v]) => [BigInt(k), BigInt(v)])),
  }]));
}

/** The pre-state the steps leave: from the cache, or run (and cached). */
export function buildPreState(steps: readonly SetupStep[]): BuiltPreState {
  const hash = stepsHash(steps);
  const file = join(cacheDir(), `prestate-${hash}.json`);
  if (existsSync(file)) return { accounts: load(file), hash };
  const accounts = runSteps(steps);
  save(file, accounts);
  return { accounts, hash };
}
