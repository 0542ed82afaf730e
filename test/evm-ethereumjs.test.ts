import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ethereumjsEngine } from '../backends/ethereumjs/index.js';
import { evmInterpEngine } from '../backends/evm-interp/index.js';
import { assemble } from '../src/evm/asm.js';
import { findEvmEngine } from '../src/evm/engines.js';
import type { Fork } from '../src/evm/fork.js';
import { bytesToHex } from '../src/evm/hex.js';
import { runMessageCall } from '../src/evm/message.js';
import { runVmTestFile } from '../src/evm/vmtests.js';
import type { CallResult, MessageCall, PreState } from '../src/evm/types.js';
import { runCli } from './helpers.js';
import { A, B, C, RETURN_TOP, asmCall, callSummary, vmTestsSuite } from './evm-helpers.js';
import './builtins.js';


const call = asmCall;

const summary = callSummary;

test('ethereumjs is registered as an engine', () => {
  assert.equal(findEvmEngine('ethereumjs'), ethereumjsEngine);
});

test('ethereumjs agrees with evm-interp on hand-written programs across forks', () => {
  const pre: PreState = {
    [A]: { storage: new Map([[1n, 5n]]), balance: 100n },
    [B]: { code: assemble('PUSH1 7 PUSH1 3 SSTORE CALLVALUE ' + RETURN_TOP) },
    [C]: { balance: 1000n },
  };
  const programs: Array<[Fork, string, Partial<MessageCall>?]> = [
    ['homestead', 'PUSH1 42 ' + RETURN_TOP],
    ['berlin', 'PUSH1 7 PUSH1 1 SSTORE PUSH1 1 SLOAD ' + RETURN_TOP],
    ['london', 'PUSH1 0 PUSH1 1 SSTORE STOP'],
    ['istanbul', 'PUSH1 0 PUSH1 1 SSTORE PUSH1 5 PUSH1 1 SSTORE STOP'],
    ['byzantium', 'PUSH1 9 PUSH1 1 SSTORE PUSH1 0xaa PUSH1 0 MSTORE8 PUSH1 1 PUSH1 0 REVERT'],
    ['cancun', 'PUSH1 1 PUSH1 2 PUSH1 3 LOG1 CALLVALUE ' + RETURN_TOP, { value: 5n }],
    ['tangerineWhistle', `PUSH1 32 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 3 PUSH20 ${B} PUSH2 30000 CALL PUSH1 32 PUSH1 0 RETURN`],
    ['shanghai', `PUSH1 32 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${B} GAS STATICCALL ${RETURN_TOP}`],
    ['homestead', 'ADD'],
    ['cancun', 'PUSH1 1 PUSH1 2 TSTORE PUSH1 2 TLOAD ' + RETURN_TOP],
    ['spuriousDragon', `PUSH20 ${B} SELFDESTRUCT`],
  ];
  for (const [fork, src, extra] of programs) {
    const c = call(fork, src, pre, extra);
    assert.deepEqual(summary(runMessageCall(ethereumjsEngine, c)), summary(runMessageCall(evmInterpEngine, c)), `${fork}: ${src}`);
  }
});

test('ethereumjs: every call sees the same state (warm slots, storage, transient storage are reset)', () => {
  // Berlin: a cold SLOAD (2100) and a first SSTORE (20000 + cold) every time
  const c = call('berlin', 'PUSH1 1 SLOAD PUSH1 1 ADD PUSH1 1 SSTORE PUSH1 1 SLOAD ' + RETURN_TOP);
  const first = runMessageCall(ethereumjsEngine, c);
  const second = runMessageCall(ethereumjsEngine, c);
  assert.equal(first.status, 'success');
  assert.deepEqual(summary(second), summary(first));
  assert.equal(bytesToHex(first.returnData), '0x' + '1'.padStart(64, '0'));
  assert.equal(first.gasUsed, 3 + 2100 + 3 + 3 + 3 + 20000 + 3 + 100 + 15); // the SLOAD warmed the slot
  // original values (EIP-2200) come from this call's pre-state, not an earlier call's
  const net = call('istanbul', 'PUSH1 9 PUSH1 1 SSTORE STOP', { [A]: { storage: new Map([[1n, 9n]]) } });
  const n1 = runMessageCall(ethereumjsEngine, net);
  runMessageCall(ethereumjsEngine, call('istanbul', 'PUSH1 4 PUSH1 1 SSTORE STOP', { [A]: { storage: new Map([[1n, 9n]]) } }));
  assert.deepEqual(summary(runMessageCall(ethereumjsEngine, net)), summary(n1));
  assert.equal(n1.gasUsed, 6 + 800);
  // transient storage does not survive the call
  const t = call('cancun', 'PUSH1 0 TLOAD PUSH1 1 ADD DUP1 PUSH1 0 TSTORE ' + RETURN_TOP);
  assert.equal(bytesToHex(runMessageCall(ethereumjsEngine, t).returnData), bytesToHex(runMessageCall(ethereumjsEngine, t).returnData));
  // a reverted call leaves nothing behind either
  runMessageCall(ethereumjsEngine, call('byzantium', 'PUSH1 9 PUSH1 1 SSTORE PUSH1 0 PUSH1 0 REVERT'));
  assert.deepEqual(summary(runMessageCall(ethereumjsEngine, c)), summary(first));
});

test('ethereumjs: value, self-destruct and created contracts reach the post-state', () => {
  const pre: PreState = { [A]: { balance: 50n }, [C]: { balance: 1000n } };
  for (const fork of ['homestead', 'berlin', 'cancun'] as Fork[]) {
    const c = call(fork, `PUSH10 0x600060005360016000f3 PUSH1 0 MSTORE PUSH1 10 PUSH1 22 PUSH1 7 CREATE POP PUSH20 ${B} SELFDESTRUCT`, pre, { value: 3n });
    const e = runMessageCall(ethereumjsEngine, c);
    const i = runMessageCall(evmInterpEngine, c);
    assert.deepEqual(summary(e), summary(i), fork);
    assert.deepEqual(e.created, i.created, fork);
    assert.deepEqual(e.selfDestructed, i.selfDestructed, fork);
    const norm = (r: CallResult) => [...r.postState].map(([a, d]) => `${a}:${d.balance}:${d.nonce}:${bytesToHex(d.code)}`).sort();
    assert.deepEqual(norm(e), norm(i), fork);
  }
});

test('ethereumjs: a self-call chain reaches the full depth of 1025 frames (the worker has the stack for it)', () => {
  // each frame: SLOAD 0 +1 SSTORE, then CALL itself with all but 700 gas; the call at depth 1024 fails
  const code = assemble(`PUSH1 0 SLOAD PUSH1 1 ADD PUSH1 0 SSTORE
    PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 ADDRESS GAS PUSH2 700 SWAP1 SUB CALL STOP`);
  const c: MessageCall = { fork: 'tangerineWhistle', caller: C, address: A, gasLimit: 2 ** 50, preState: { [A]: { code } } };
  const r = runMessageCall(ethereumjsEngine, c);
  assert.equal(r.status, 'success');
  assert.equal(r.postState.get(A)!.storage.get(0n), 1025n);
  assert.equal(r.gasUsed, 1025 * 940 + 20000 + 1024 * 5000);
});

test('RIPEMD-160 stays touched after a failed call to it (EIP-161 deletes it when empty), unless the whole call fails', () => {
  const R = '0x0000000000000000000000000000000000000003';
  const callR = 'PUSH1 0 PUSH1 0 PUSH1 32 PUSH1 0 PUSH1 0 PUSH1 3 PUSH1 0 CALL'; // 0 gas: the precompile fails
  for (const fork of ['spuriousDragon', 'cancun'] as Fork[]) {
    for (const [src, kept] of [[`${callR} STOP`, false], [`${callR} INVALID`, true]] as const) {
      const c = call(fork, src, { [A]: { code: assemble(src) }, [R]: {} });
      for (const e of [evmInterpEngine, ethereumjsEngine]) assert.equal(runMessageCall(e, c).postState.has(R), kept, `${e.id} ${fork} ${src}`);
    }
  }
  // the identity precompile has no such rule: a failed call leaves its empty account alone
  const id = '0x0000000000000000000000000000000000000004';
  const c = call('cancun', 'PUSH1 0 PUSH1 0 PUSH1 32 PUSH1 0 PUSH1 0 PUSH1 4 PUSH1 0 CALL STOP', { [id]: {} });
  for (const e of [evmInterpEngine, ethereumjsEngine]) assert.equal(runMessageCall(e, c).postState.has(id), true, e.id);
});

const { dir, manifest, skip } = vmTestsSuite(591, 'ethereumjs (those outside vmPerformance; vmSha3Test again through the CLI)');

test('VMTests on ethereumjs (homestead): every test outside vmPerformance passes', { skip }, (t) => {
  const entries = manifest.filter((e) => e.category !== 'vmPerformance');
  const failures: string[] = [];
  for (const e of entries) {
    const r = runVmTestFile(join(dir, e.file), { engine: ethereumjsEngine, fork: 'homestead' });
    if (!r.passed) failures.push(`${e.test}: ${r.reason}`);
    else if (e.gasUsed !== undefined) assert.equal(r.gasUsed, e.gasUsed, `${e.test}: manifest gasUsed`);
  }
  t.diagnostic(`${entries.length - failures.length}/${entries.length} passed`);
  assert.equal(entries.length, 591);
  assert.deepEqual(failures, []);
});

test('jitbench evm run|test --engine ethereumjs', async (t) => {
  const r = await runCli(['evm', 'run', '--engine', 'ethereumjs', '--code', '0x600260030260005260206000f3', '--fork', 'cancun', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.engine, 'ethereumjs');
  assert.equal(out.returnData, `0x${'0'.repeat(63)}6`);
  assert.equal(out.gasUsed, 26);
  if (skip) {
    t.skip(skip);
    return;
  }
  const vm = await runCli(['evm', 'test', '--engine', 'ethereumjs', join(dir, 'vmSha3Test'), '--fork', 'homestead']);
  assert.equal(vm.code, 0, vm.stdout);
  assert.equal(vm.stdout.trim().split('\n').pop(), '18 passed, 0 failed');
});
