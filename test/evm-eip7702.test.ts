import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ethereumjsEngine } from '../backends/ethereumjs/index.js';
import { evmInterpEngine } from '../backends/evm-interp/index.js';
import { assemble } from '../src/evm/asm.js';
import { delegatedAddress, delegationCode } from '../src/evm/delegation.js';
import type { Fork } from '../src/evm/fork.js';
import { bytesToHex } from '../src/evm/hex.js';
import { keccak256 } from '../src/evm/keccak.js';
import { runMessageCall } from '../src/evm/message.js';
import type { CallResult, MessageCall, PreState } from '../src/evm/types.js';

// EIP-7702 (Prague): accounts whose code is 0xef0100 ++ address run that address's code.
const CALLER = '0x' + 'ca'.repeat(20);
const CONTRACT = '0x' + 'c0'.repeat(20);
const AUTHORITY = '0x' + 'a1'.repeat(20);
const DELEGATE = '0x' + 'de'.repeat(20);
const SECOND = '0x' + 'a2'.repeat(20);
const RETURN_TOP = 'PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN';
const word = (v: bigint | number) => '0x' + BigInt(v).toString(16).padStart(64, '0');
/** What DELEGATE_CODE returns when it runs in `account`: (ADDRESS << 128) mod 2^256 + CODESIZE. */
const ranIn = (account: string) => word(((BigInt(account) << 128n) & ((1n << 256n) - 1n)) + BigInt(DELEGATE_CODE.length));

/** The delegate returns ADDRESS * 2^128 + CODESIZE: whose account runs, and which code. */
const DELEGATE_CODE = assemble(`CODESIZE ADDRESS PUSH1 128 SHL ADD ${RETURN_TOP}`);

function world(extra: PreState = {}): PreState {
  return {
    [AUTHORITY]: { code: delegationCode(DELEGATE), balance: 10n },
    [DELEGATE]: { code: DELEGATE_CODE },
    ...extra,
  };
}

function both(c: MessageCall): CallResult {
  const ours = runMessageCall(evmInterpEngine, c);
  const ref = runMessageCall(ethereumjsEngine, c);
  const view = (r: CallResult) => ({ status: r.status, returnData: bytesToHex(r.returnData), gasUsed: r.gasUsed });
  assert.deepEqual(view(ours), view(ref), 'evm-interp and @ethereumjs/evm agree');
  return ours;
}

const callTo = (to: string, kind = 'CALL', gas = 'GAS') =>
  kind === 'CALL' || kind === 'CALLCODE'
    ? `PUSH1 32 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${to} ${gas} ${kind}`
    : `PUSH1 32 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${to} ${gas} ${kind}`;

test('delegation designators: parse and build', () => {
  const code = delegationCode(DELEGATE);
  assert.equal(bytesToHex(code), '0xef0100' + 'de'.repeat(20));
  assert.equal(delegatedAddress(code), DELEGATE);
  assert.equal(delegatedAddress(code.subarray(0, 22)), undefined, 'too short');
  assert.equal(delegatedAddress(new Uint8Array([...code, 0])), undefined, 'too long');
  assert.equal(delegatedAddress(new Uint8Array([0xef, 0x01, 0x01, ...code.subarray(3)])), undefined, 'wrong version byte');
});

test('EIP-7702: a top-level call to a delegating account runs the delegate\'s code in the account (warm delegate, no extra gas)', () => {
  const r = both({ fork: 'prague', caller: CALLER, address: AUTHORITY, gasLimit: 100_000, preState: world() });
  assert.equal(r.status, 'success');
  assert.equal(bytesToHex(r.returnData), ranIn(AUTHORITY));
  assert.equal(r.gasUsed, 2 + 2 + 3 + 3 + 3 + 3 + 3 + 3 + 3 + 3 + 0);
});

test('EIP-7702: CALL to a delegating account charges the delegate\'s access (cold 2600, then warm 100)', () => {
  const twice = `${callTo(AUTHORITY)} POP ${callTo(AUTHORITY)} POP PUSH1 0 MLOAD ${RETURN_TOP}`;
  const c: MessageCall = { fork: 'prague', caller: CALLER, address: CONTRACT, code: assemble(twice), gasLimit: 1_000_000, preState: world() };
  const r = both(c);
  assert.equal(bytesToHex(r.returnData), ranIn(AUTHORITY));
  // the same program with a plain contract at AUTHORITY costs 2600 + 100 less
  const plain = runMessageCall(evmInterpEngine, { ...c, preState: world({ [AUTHORITY]: { code: DELEGATE_CODE, balance: 10n } }) });
  assert.equal(r.gasUsed - plain.gasUsed, 2600 + 100);
});

test('EIP-7702: DELEGATECALL and CALLCODE to a delegating account run the delegate\'s code in the caller', () => {
  for (const kind of ['DELEGATECALL', 'CALLCODE']) {
    const src = `${callTo(AUTHORITY, kind)} POP PUSH1 0 MLOAD ${RETURN_TOP}`;
    const r = both({ fork: 'prague', caller: CALLER, address: CONTRACT, code: assemble(src), gasLimit: 1_000_000, preState: world() });
    assert.equal(bytesToHex(r.returnData), ranIn(CONTRACT), kind);
  }
});

test('EIP-7702: EXT* opcodes see the designator itself (23 bytes), not the delegate\'s code', () => {
  const src = `PUSH20 ${AUTHORITY} EXTCODESIZE PUSH1 0 MSTORE PUSH20 ${AUTHORITY} EXTCODEHASH PUSH1 32 MSTORE PUSH1 23 PUSH1 0 PUSH1 64 PUSH20 ${AUTHORITY} EXTCODECOPY PUSH1 96 PUSH1 0 RETURN`;
  const r = both({ fork: 'prague', caller: CALLER, address: CONTRACT, code: assemble(src), gasLimit: 1_000_000, preState: world() });
  const hex = bytesToHex(r.returnData).slice(2);
  assert.equal('0x' + hex.slice(0, 64), word(23));
  assert.equal('0x' + hex.slice(64, 128), bytesToHex(keccak256(delegationCode(DELEGATE))));
  assert.equal(hex.slice(128, 128 + 46), 'ef0100' + 'de'.repeat(20));
});

test('EIP-7702: a delegation to a precompile does not run the precompile; chains are not followed', () => {
  const toIdentity = world({ [SECOND]: { code: delegationCode('0x0000000000000000000000000000000000000004') } });
  const src = `PUSH1 0x2a PUSH1 0 MSTORE PUSH1 32 PUSH1 32 PUSH1 32 PUSH1 0 PUSH1 0 PUSH20 ${SECOND} GAS CALL PUSH1 0 MSTORE RETURNDATASIZE PUSH1 32 MSTORE PUSH1 64 PUSH1 0 RETURN`;
  const r = both({ fork: 'prague', caller: CALLER, address: CONTRACT, code: assemble(src), gasLimit: 1_000_000, preState: toIdentity });
  assert.equal(bytesToHex(r.returnData), word(1) + word(0).slice(2), 'success, and no output: the identity precompile did not run');
  // SECOND delegates to AUTHORITY, itself a designator: its 0xef... code runs and halts (0xef is invalid)
  const chain = world({ [SECOND]: { code: delegationCode(AUTHORITY) } });
  const r2 = both({ fork: 'prague', caller: CALLER, address: CONTRACT, code: assemble(`${callTo(SECOND)} ${RETURN_TOP}`), gasLimit: 1_000_000, preState: chain });
  assert.equal(bytesToHex(r2.returnData), word(0), 'the call into the chain fails');
});

test('EIP-7702 is Prague-only: before it, a designator is just code starting with the invalid opcode 0xef', () => {
  for (const fork of ['cancun', 'shanghai'] as Fork[]) {
    const r = both({ fork, caller: CALLER, address: CONTRACT, code: assemble(`${callTo(AUTHORITY)} ${RETURN_TOP}`), gasLimit: 1_000_000, preState: world() });
    assert.equal(bytesToHex(r.returnData), word(0), `${fork}: the call fails`);
    const top = both({ fork, caller: CALLER, address: AUTHORITY, gasLimit: 100_000, preState: world() });
    assert.equal(top.status, 'halt', `${fork}: top-level`);
    assert.equal(top.gasUsed, 100_000);
  }
});
