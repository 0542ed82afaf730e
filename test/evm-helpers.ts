/** What the EVM engine tests share: fixed accounts, a call of assembled code, and the outcome engines must agree on. */
import { assemble } from '../src/evm/asm.js';
import type { Fork } from '../src/evm/fork.js';
import { bytesToHex } from '../src/evm/hex.js';
import type { CallResult, MessageCall, PreState } from '../src/evm/types.js';

export const A = '0x' + 'aa'.repeat(20);
export const B = '0x' + 'bb'.repeat(20);
export const C = '0x' + 'cc'.repeat(20);
export const RETURN_TOP = 'PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN';

/** A call of assembled code at A from C, 1M gas. */
export function asmCall(fork: Fork, src: string, preState: PreState = {}, extra: Partial<MessageCall> = {}): MessageCall {
  return { fork, code: assemble(src), caller: C, address: A, gasLimit: 1_000_000, preState, ...extra };
}

/** The fields two engines must agree on: status, return data, gas, refund, logs, changed storage. */
export function callSummary(r: CallResult) {
  return {
    status: r.status,
    returnData: bytesToHex(r.returnData),
    gasUsed: r.gasUsed,
    gasRefund: r.gasRefund,
    logs: r.logs.map((l) => [l.address, l.topics.map(bytesToHex), bytesToHex(l.data)]),
    storage: r.storageWrites.filter((w) => w.original !== w.value).map((w) => `${w.address}[${w.key}]=${w.value}`).sort(),
  };
}
