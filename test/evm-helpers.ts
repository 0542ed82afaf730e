/** What the EVM engine tests share: fixed accounts, a call of assembled code, and the outcome engines must agree on. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { assemble } from '../src/evm/asm.js';
import type { Fork } from '../src/evm/fork.js';
import { bytesToHex } from '../src/evm/hex.js';
import type { CallResult, MessageCall, PreState } from '../src/evm/types.js';
import { defaultVmTestsDir, loadVmTestsManifest, VMTESTS_ENV, type VmTestsManifestEntry } from '../src/evm/vmtests.js';

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

/** Tests in the legacy VMTests suite (shared/conformance/vmtests/manifest.json). */
export const VMTESTS_IN_SUITE = 609;

/**
 * The VMTests suite for a test file, or why its tests skip. A missing suite is said out loud
 * (printed when the file loads, and in each skip reason): the count skipped and the path looked at.
 */
export function vmTestsSuite(count: number, on: string): { dir: string; manifest: VmTestsManifestEntry[]; skip: string | false } {
  const dir = defaultVmTestsDir();
  if (existsSync(join(dir, 'manifest.json'))) return { dir, manifest: loadVmTestsManifest(dir), skip: false };
  const skip = `${count} VMTests on ${on} skipped: no manifest.json in ${dir} (set ${VMTESTS_ENV}=DIR to use a copy elsewhere)`;
  process.stdout.write(`# ${skip}\n`);
  return { dir, manifest: [], skip };
}
