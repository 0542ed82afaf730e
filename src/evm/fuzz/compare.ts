/**
 * Run one fuzz case on two engines and compare what a caller can observe: status, return data,
 * gas used, the refund counter, logs, the storage that changed, and the accounts of the
 * post-state (balance, nonce, code).
 */
import { bytesToHex } from '../hex.js';
import { keccak256 } from '../keccak.js';
import { runMessageCall } from '../message.js';
import { EvmUnsupportedError } from '../precompiles.js';
import type { CallResult, EvmEngine } from '../types.js';
import { type FuzzCase, toMessageCall } from './case.js';

export interface Outcome {
  status: string;
  returnData: string;
  gasUsed: number;
  gasRefund: number;
  /** `address topics... : data` per log, in order. */
  logs: string[];
  /** Slots whose value differs from the pre-state, `address[key]=value`, sorted. */
  storage: string[];
  /** Post-state accounts, `address balance nonce codehash`, sorted. */
  accounts: string[];
}

export const OUTCOME_FIELDS = ['status', 'returnData', 'gasUsed', 'gasRefund', 'logs', 'storage', 'accounts'] as const;
export type OutcomeField = (typeof OUTCOME_FIELDS)[number];

const hx = (v: bigint) => `0x${v.toString(16)}`;

export function outcomeOf(c: FuzzCase, r: CallResult): Outcome {
  const storage: string[] = [];
  const addrs = new Set([...c.preState.keys(), ...r.postState.keys()]);
  for (const a of addrs) {
    const before = c.preState.get(a)?.storage ?? new Map<bigint, bigint>();
    const after = r.postState.get(a)?.storage ?? new Map<bigint, bigint>();
    for (const k of new Set([...before.keys(), ...after.keys()])) {
      const v0 = before.get(k) ?? 0n;
      const v1 = after.get(k) ?? 0n;
      if (v0 !== v1) storage.push(`${a}[${hx(k)}]=${hx(v1)}`);
    }
  }
  const accounts = [...r.postState].map(([a, d]) => `${a} balance=${d.balance} nonce=${d.nonce} code=${d.code.length ? bytesToHex(keccak256(d.code)).slice(0, 18) : '-'}`);
  return {
    status: r.status,
    returnData: bytesToHex(r.returnData),
    gasUsed: r.gasUsed,
    gasRefund: r.gasRefund,
    logs: r.logs.map((l) => `${l.address} ${l.topics.map(bytesToHex).join(' ')} : ${bytesToHex(l.data)}`),
    storage: storage.sort(),
    accounts: accounts.sort(),
  };
}

/** The outcome, or why it cannot be had (a precompile our core does not implement yet). */
export function runCase(engine: EvmEngine, c: FuzzCase): Outcome | { unsupported: string } {
  try {
    return outcomeOf(c, runMessageCall(engine, toMessageCall(c)));
  } catch (err) {
    if (err instanceof EvmUnsupportedError) return { unsupported: err.message };
    throw err;
  }
}

/** The fields in which two outcomes differ. */
export function diffOutcomes(a: Outcome, b: Outcome): OutcomeField[] {
  return OUTCOME_FIELDS.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
}
