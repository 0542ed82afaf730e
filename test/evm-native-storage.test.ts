/**
 * evm-native's slot cache (compiled SLOAD / SSTORE, backends/evm-native/slot-cache.ts): every
 * case where the cache and the world state could part ways, run on evm-native and evm-interp,
 * which must agree on status, return data, gas, refund, logs and every storage write.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { evmInterpEngine } from '../backends/evm-interp/index.js';
import { evmNativeEngine, loadEvmNative } from '../backends/evm-native/index.js';
import { hostOpContext } from '../backends/evm-native/host-ops.js';
import { SLOT_ENTRIES } from '../backends/evm-native/layout.js';
import { assemble } from '../src/evm/asm.js';
import type { Fork } from '../src/evm/fork.js';
import { bytesToHex } from '../src/evm/hex.js';
import { runMessageCall } from '../src/evm/message.js';
import type { AccountInit, CallResult, MessageCall } from '../src/evm/types.js';
import { A, B, C, callSummary } from './evm-helpers.js';

before(loadEvmNative);

const hex32 = (v: bigint) => '0x' + v.toString(16).padStart(64, '0');
const RETURN_TOP = 'PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN';
/** Forks with each SSTORE rule the compiled SSTORE knows (EIP-2200, EIP-2929, EIP-3529) and the newest. */
const FORKS: Fork[] = ['istanbul', 'berlin', 'london', 'cancun', 'prague'];

function agree(c: MessageCall, what: string): CallResult {
  const native = runMessageCall(evmNativeEngine, c);
  assert.deepEqual(callSummary(native), callSummary(runMessageCall(evmInterpEngine, c)), what);
  return native;
}

/** A call of assembled code deployed at A (with A's storage from `preState`), from C. */
const at = (fork: Fork, src: string, preState: Record<string, AccountInit> = {}, gasLimit = 1_000_000): MessageCall => {
  const code = assemble(src);
  return { fork, code, caller: C, address: A, gasLimit, preState: { ...preState, [A]: { ...preState[A], code } } };
};

/** The word a call returned. */
const returned = (r: CallResult) => BigInt(bytesToHex(r.returnData));

/**
 * The contract at A: with no calldata it caches slot 1 (SLOAD), writes 5 into it in the module,
 * runs `middle` (which calls), then returns slot 1; with calldata it is the callee `inner`.
 */
const selfCaller = (middle: string, inner: string) => `CALLDATASIZE @inner JUMPI
  PUSH1 1 SLOAD POP PUSH1 5 PUSH1 1 SSTORE
  ${middle}
  back: PUSH1 1 SLOAD ${RETURN_TOP}
  inner: ${inner}`;
const callSelf = (op: 'CALL' | 'STATICCALL') =>
  op === 'CALL' ? 'PUSH1 0 PUSH1 0 PUSH1 1 PUSH1 0 PUSH1 0 ADDRESS GAS CALL POP @back JUMP' : 'PUSH1 0 PUSH1 0 PUSH1 1 PUSH1 0 ADDRESS GAS STATICCALL POP @back JUMP';

test('slot cache: a write in the module is seen by a callee of the same contract, and the callee\'s write by the caller', () => {
  for (const fork of FORKS) {
    const r = agree(at(fork, selfCaller(callSelf('CALL'), 'PUSH1 1 SLOAD PUSH1 10 MUL PUSH1 1 SSTORE STOP')), `${fork} reentrant write`);
    assert.equal(returned(r), 50n, `${fork}: the callee read 5 and wrote 50`);
  }
});

test('slot cache: a callee that reverts, halts or is static leaves the caller\'s cached value as it was', () => {
  const innerWrites = 'PUSH1 1 SLOAD PUSH1 10 MUL PUSH1 1 SSTORE';
  for (const fork of FORKS) {
    for (const [end, how] of [['PUSH1 0 PUSH1 0 REVERT', 'reverts'], ['INVALID', 'halts']] as const) {
      const r = agree(at(fork, selfCaller(callSelf('CALL'), `${innerWrites} ${end}`)), `${fork}: the callee ${how}`);
      assert.equal(returned(r), 5n, `${fork}: the callee ${how} after writing 50`);
    }
    const r = agree(at(fork, selfCaller(callSelf('STATICCALL'), `${innerWrites} STOP`)), `${fork}: SSTORE in a static callee`);
    assert.equal(returned(r), 5n, `${fork}: the static callee could not write`);
  }
});

test('slot cache: the frame that wrote in the module reverts or runs out of gas: nothing of it stays', () => {
  for (const fork of FORKS) {
    const pre = { [A]: { storage: { '0x01': 7n } } };
    const revert = agree(at(fork, 'PUSH1 1 SLOAD POP PUSH1 9 PUSH1 1 SSTORE PUSH1 0 PUSH1 1 SSTORE PUSH1 0 PUSH1 0 REVERT', pre), `${fork} revert`);
    assert.equal(revert.status, 'revert');
    assert.deepEqual(callSummary(revert).storage, []);
    // the second SSTORE (a new slot, 20,000 gas plus cold access) runs out of gas after the first wrote in the module
    agree(at(fork, 'PUSH1 1 SLOAD POP PUSH1 9 PUSH1 1 SSTORE PUSH1 9 PUSH1 2 SSTORE STOP', pre, 21_000 + 2100 + 3000 + 5000), `${fork} out of gas`);
  }
});

test('slot cache: net metering and refunds of every SSTORE transition equal the interpreter\'s (original zero and non-zero)', () => {
  // slot 1 starts at 7, slot 2 at 0: each sequence reads the slot (cached), then stores the values in turn
  const sequences = [[0n], [0n, 7n], [0n, 3n], [3n, 0n], [3n, 7n], [3n, 3n, 0n, 7n], [7n], [0n, 0n, 7n, 0n]];
  for (const fork of FORKS) {
    for (const slot of [1n, 2n]) {
      for (const values of [...sequences, [5n, 0n], [5n, 5n, 0n, 9n]]) {
        const stores = values.map((v) => `PUSH1 ${v} PUSH1 ${slot} SSTORE`).join(' ');
        const r = agree(at(fork, `PUSH1 ${slot} SLOAD POP ${stores} PUSH1 ${slot} SLOAD ${RETURN_TOP}`, { [A]: { storage: { '0x01': 7n } } }), `${fork} slot ${slot}: ${values.join(' -> ')}`);
        assert.equal(returned(r), values.at(-1));
      }
    }
  }
});

test('slot cache: the EIP-2200 sentry and the gas boundary of a compiled SSTORE, gas by gas', () => {
  // the callee at B reads slot 1 (cached) and stores into it; A calls it with `g` gas for g around both limits
  const callee = assemble('PUSH1 1 SLOAD PUSH1 1 ADD PUSH1 1 SSTORE STOP');
  for (const fork of ['istanbul', 'cancun'] as const) {
    const results = new Set<string>();
    for (let g = 2100; g <= 8200; g += 37) {
      const c = at(fork, `PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${B} PUSH2 ${g} CALL ${RETURN_TOP}`, { [B]: { code: callee, storage: { '0x01': 1n } } });
      results.add(String(returned(agree(c, `${fork} callee gas ${g}`))));
    }
    assert.deepEqual([...results].sort(), ['0', '1'], `${fork}: some calls ran out of gas, some stored`);
  }
});

test('slot cache: DELEGATECALL code writes the caller\'s cached slot; an interpreted SSTORE in the caller\'s frame is seen after', () => {
  const lib = assemble('PUSH1 1 SLOAD PUSH1 1 ADD PUSH1 1 SSTORE STOP');
  for (const fork of FORKS) {
    const del = agree(at(fork, `PUSH1 1 SLOAD POP PUSH1 5 PUSH1 1 SSTORE PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${B} GAS DELEGATECALL POP @back JUMP back: PUSH1 1 SLOAD ${RETURN_TOP}`, { [B]: { code: lib } }), `${fork} delegatecall`);
    assert.equal(returned(del), 6n);
    // after the CALL the interpreter finishes the block, SSTORE included; the module takes over at `back`
    const interp = agree(at(fork, `PUSH1 1 SLOAD POP PUSH1 5 PUSH1 1 SSTORE PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${B} GAS CALL POP PUSH1 8 PUSH1 1 SSTORE back: PUSH1 1 SLOAD ${RETURN_TOP}`, { [B]: { code: assemble('STOP') } }), `${fork} interpreted SSTORE`);
    assert.equal(returned(interp), 8n);
  }
});

test(`slot cache: more slots than the table holds (${SLOT_ENTRIES}) go through the import and stay exact`, () => {
  // write keccak-spread slots 1..n (each read first), then read them all back into a sum
  const n = SLOT_ENTRIES + 200;
  const src = `PUSH2 ${n} l: DUP1 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 KECCAK256 DUP1 SLOAD DUP3 ADD SWAP1 SSTORE PUSH1 1 SWAP1 SUB DUP1 @l JUMPI POP
    PUSH1 0 PUSH2 ${n} r: DUP1 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 KECCAK256 SLOAD SWAP1 SWAP2 ADD SWAP1 PUSH1 1 SWAP1 SUB DUP1 @r JUMPI POP ${RETURN_TOP}`;
  const before = hostOpContext.callsByOpcode[0x55]!;
  const r = agree(at('cancun', src, {}, 50_000_000), 'table overflow');
  assert.equal(r.status, 'success');
  assert.equal(returned(r), BigInt((n * (n + 1)) / 2));
  assert.ok(hostOpContext.callsByOpcode[0x55]! - before > 0, 'some stores found the table full and went through the import');
});

test('slot cache: another transaction (another state) never sees the last one\'s slots', () => {
  const src = `PUSH1 1 SLOAD PUSH1 1 ADD DUP1 PUSH1 1 SSTORE ${RETURN_TOP}`;
  for (const v of [3n, 4n, 3n, 0n]) {
    const r = agree(at('cancun', src, { [A]: { storage: { '0x01': v } } }), `pre-state ${v}`);
    assert.equal(returned(r), v + 1n);
  }
});

test('slot cache: a store to a cached slot makes no import call; a first read makes one', () => {
  const before = [hostOpContext.callsByOpcode[0x54]!, hostOpContext.callsByOpcode[0x55]!];
  const r = runMessageCall(evmNativeEngine, at('cancun', `PUSH1 1 SLOAD PUSH1 2 ADD PUSH1 1 SSTORE PUSH1 1 SLOAD ${RETURN_TOP}`));
  assert.equal(returned(r), 2n);
  assert.deepEqual([hostOpContext.callsByOpcode[0x54]! - before[0]!, hostOpContext.callsByOpcode[0x55]! - before[1]!], [1, 0]);
  assert.equal(hex32(returned(r)), bytesToHex(r.returnData));
});
