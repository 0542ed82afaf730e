import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evmInterpEngine } from '../backends/evm-interp/index.js';
import { runVmTestFile, VMTESTS_ENV } from '../src/evm/vmtests.js';
import { runMessageCall } from '../src/evm/message.js';
import { assemble } from '../src/evm/asm.js';
import { bytesToHex } from '../src/evm/hex.js';
import { createAddress } from '../src/evm/address.js';
import type { Fork } from '../src/evm/fork.js';
import type { PreState } from '../src/evm/types.js';
import { VMTESTS_IN_SUITE, vmTestsSuite } from './evm-helpers.js';

const { dir, manifest, skip } = vmTestsSuite(VMTESTS_IN_SUITE, 'evm-interp');
const categories = [...new Set(manifest.map((e) => e.category))];

test(`VMTests manifest lists the ${VMTESTS_IN_SUITE} legacy tests`, { skip }, () => {
  assert.equal(manifest.length, VMTESTS_IN_SUITE);
});

// Every VMTests file except the `slow`-flagged ones, under homestead (the schedule the expected gas
// values were filled with), one test per category; failures are listed by name with the reason.
for (const category of categories) {
  const entries = manifest.filter((e) => e.category === category && !e.flags?.includes('slow'));
  const skipped = manifest.filter((e) => e.category === category).length - entries.length;
  test(`VMTests ${category} (homestead, evm-interp): all ${entries.length} pass${skipped ? ` (${skipped} slow skipped)` : ''}`, (t) => {
    const failures: string[] = [];
    for (const e of entries) {
      const r = runVmTestFile(join(dir, e.file), { engine: evmInterpEngine, fork: 'homestead' });
      if (!r.passed) failures.push(`${e.test}: ${r.reason}`);
      else if (e.gasUsed !== undefined) assert.equal(r.gasUsed, e.gasUsed, `${e.test}: manifest gasUsed`);
    }
    t.diagnostic(`${entries.length - failures.length}/${entries.length} passed`);
    assert.deepEqual(failures, [], `${failures.length} failed:\n${failures.join('\n')}`);
  });
}

const slow = manifest.filter((e) => e.flags?.includes('slow'));
test(
  `VMTests slow vmPerformance loops (homestead, evm-interp): all ${slow.length} pass`,
  { skip: skip || (process.env['JITBENCH_VMTESTS_SLOW'] ? false : 'about 25 s: set JITBENCH_VMTESTS_SLOW=1 to run them') },
  (t) => {
    const failures: string[] = [];
    for (const e of slow) {
      const r = runVmTestFile(join(dir, e.file), { engine: evmInterpEngine, fork: 'homestead' });
      if (!r.passed) failures.push(`${e.test}: ${r.reason}`);
      else t.diagnostic(`${e.test}: ${Math.round(r.ms ?? 0)} ms`);
    }
    assert.deepEqual(failures, [], failures.join('\n'));
  },
);

/** Set in the child of the test below, which runs this file again. */
const CHILD = 'JITBENCH_TEST_VMTESTS_CHILD';

test(`a missing VMTests folder is loud: the path looked at and the ${VMTESTS_IN_SUITE} tests skipped are printed (${VMTESTS_ENV})`, { skip: process.env[CHILD] ? 'this is the child run of this test' : false }, async () => {
  const empty = mkdtempSync(join(tmpdir(), 'jitbench-no-vmtests-'));
  const r = await new Promise<{ code: number | null; out: string }>((done) => {
    const c = spawn(process.execPath, ['--test', '--test-reporter=spec', fileURLToPath(import.meta.url)], {
      // (without NODE_TEST_CONTEXT, which the runner sets for its own children: this one is a runner of its own)
      env: { ...process.env, NODE_TEST_CONTEXT: undefined, [VMTESTS_ENV]: empty, [CHILD]: '1', JITBENCH_VMTESTS_SLOW: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    c.stdout.on('data', (d) => { out += d; });
    c.stderr.on('data', (d) => { out += d; });
    c.on('close', (code) => done({ code, out }));
  });
  assert.equal(r.code, 0, r.out);
  const reason = `${VMTESTS_IN_SUITE} VMTests on evm-interp skipped: no manifest.json in ${empty} (set ${VMTESTS_ENV}=DIR to use a copy elsewhere)`;
  const lines = r.out.split('\n');
  assert.ok(lines.includes(`# ${reason}`), `printed when the file loads:\n${r.out}`);
  assert.ok(lines.some((l) => l.includes(`manifest lists the ${VMTESTS_IN_SUITE} legacy tests`) && l.endsWith(`# ${reason}`)), `the skipped test gives the reason:\n${r.out}`);
  assert.doesNotMatch(r.out, /VMTests \w+ \(homestead, evm-interp\): all/, 'no category ran');
});

// ---------------------------------------------------------------------------------------------
// Hand-written programs: exact return data and gas, counted by hand from the fork's schedule.

const A = '0x' + 'aa'.repeat(20);
const B = '0x' + 'bb'.repeat(20);
const C = '0x' + 'cc'.repeat(20);
const word = (v: number | bigint) => '0x' + BigInt(v).toString(16).padStart(64, '0');

function run(fork: Fork, src: string, preState: PreState = {}) {
  return runMessageCall(evmInterpEngine, { fork, code: assemble(src), caller: C, address: A, gasLimit: 100_000, preState });
}

const RETURN_TOP = 'PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN'; // 3 + (3 + 3 memory) + 3 + 3 = 15 with fresh memory

test('hand-written programs: return data and gas are exact', async (t) => {
  await t.test('return 42 (homestead): 4 PUSH1 + MSTORE + 1 word of memory = 18 gas', () => {
    const r = run('homestead', 'PUSH1 42 ' + RETURN_TOP);
    assert.equal(r.status, 'success');
    assert.equal(bytesToHex(r.returnData), word(42));
    assert.equal(r.gasUsed, 18);
    assert.equal(r.gasLeft, 100_000 - 18);
  });

  await t.test('sum 1..100 in a loop (homestead): 6 + 100 * 38 + POP 2 + 15 = 3823 gas', () => {
    // per iteration: JUMPDEST 1 + 8 x 3 + PUSH2 3 + JUMPI 10 = 38
    const r = run('homestead', 'PUSH1 0 PUSH1 100 loop: DUP1 SWAP2 ADD SWAP1 PUSH1 1 SWAP1 SUB DUP1 @loop JUMPI POP ' + RETURN_TOP);
    assert.equal(r.status, 'success');
    assert.equal(bytesToHex(r.returnData), word(5050));
    assert.equal(r.gasUsed, 3823);
  });

  await t.test('SSTORE then SLOAD: 20000 + 50 (homestead), cold 2100 + 20000 then warm 100 (berlin)', () => {
    const src = 'PUSH1 7 PUSH1 1 SSTORE PUSH1 1 SLOAD ' + RETURN_TOP;
    const h = run('homestead', src);
    assert.equal(bytesToHex(h.returnData), word(7));
    assert.equal(h.gasUsed, 6 + 20000 + 3 + 50 + 15);
    assert.deepEqual(h.storageWrites, [{ address: A, key: 1n, original: 0n, value: 7n }]);
    assert.equal(h.postState.get(A)?.storage.get(1n), 7n);
    const b = run('berlin', src);
    assert.equal(b.gasUsed, 6 + 2100 + 20000 + 3 + 100 + 15);
  });

  await t.test('clearing a slot refunds 15000 (homestead)', () => {
    const r = run('homestead', 'PUSH1 0 PUSH1 1 SSTORE STOP', { [A]: { storage: new Map([[1n, 5n]]) } });
    assert.equal(r.status, 'success');
    assert.equal(r.gasUsed, 6 + 5000);
    assert.equal(r.gasRefund, 15000);
    assert.equal(r.postState.get(A)?.storage.size, 0);
  });

  await t.test('REVERT (byzantium) returns its data and the gas left; state is rolled back', () => {
    const r = run('byzantium', 'PUSH1 9 PUSH1 1 SSTORE PUSH1 0xaa PUSH1 0 MSTORE8 PUSH1 1 PUSH1 0 REVERT');
    assert.equal(r.status, 'revert');
    assert.equal(bytesToHex(r.returnData), '0xaa');
    assert.equal(r.gasUsed, 6 + 20000 + 3 + 3 + 3 + 3 + 3 + 3);
    assert.deepEqual(r.storageWrites, []);
    assert.equal(r.postState.get(A), undefined);
  });

  await t.test('exceptional halts consume all gas: stack underflow, bad jump, an opcode from a later fork', () => {
    for (const [fork, src, reason] of [
      ['homestead', 'ADD', 'stack underflow'],
      ['homestead', 'PUSH1 3 JUMP STOP STOP', 'bad jump destination'],
      ['homestead', 'PUSH1 1 PUSH1 4 SHL', 'invalid opcode'],
      ['byzantium', 'PUSH1 0 PUSH1 0 REVERT', undefined],
    ] as const) {
      const r = run(fork, src);
      if (reason === undefined) {
        assert.equal(r.status, 'revert');
        assert.equal(r.gasUsed, 6);
        continue;
      }
      assert.equal(r.status, 'halt', src);
      assert.equal(r.haltReason, reason, src);
      assert.equal(r.gasUsed, 100_000, src);
    }
    const c = run('constantinople', 'PUSH1 1 PUSH1 4 SHL ' + RETURN_TOP);
    assert.equal(bytesToHex(c.returnData), word(16));
    assert.equal(c.gasUsed, 9 + 15);
  });

  await t.test('CALL runs the callee: 40 + memory 3 + callee 18 (homestead), 700 (tangerineWhistle)', () => {
    const pre = { [B]: { code: assemble('PUSH1 7 ' + RETURN_TOP) } };
    const src = `PUSH1 32 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${B} PUSH2 1000 CALL PUSH1 32 PUSH1 0 RETURN`;
    const h = run('homestead', src, pre);
    assert.equal(h.status, 'success');
    assert.equal(bytesToHex(h.returnData), word(7));
    assert.equal(h.gasUsed, 21 + 40 + 3 + 18 + 6);
    assert.equal(run('tangerineWhistle', src, pre).gasUsed, 21 + 700 + 3 + 18 + 6);
  });

  await t.test('CREATE deploys the returned code at keccak(rlp([sender, nonce])) (homestead)', () => {
    // initcode 0x600060005360016000f3: MSTORE8 0 at 0, RETURN 1 byte: 18 gas, deposit 200
    const r = run('homestead', 'PUSH10 0x600060005360016000f3 PUSH1 0 MSTORE PUSH1 10 PUSH1 22 PUSH1 0 CREATE ' + RETURN_TOP);
    const created = createAddress(A, 0n);
    assert.equal(r.status, 'success');
    assert.equal(bytesToHex(r.returnData), '0x' + created.slice(2).padStart(64, '0'));
    assert.equal(r.gasUsed, 12 + 9 + 32000 + 18 + 200 + 12); // memory already one word at the end
    assert.deepEqual(r.created, [created]);
    assert.equal(bytesToHex(r.postState.get(created)!.code), '0x00');
    assert.equal(r.postState.get(A)!.nonce, 1n);
  });

  await t.test('a self-call chain reaches the full depth of 1025 frames without growing the JavaScript stack', () => {
    // each frame: SLOAD 0 +1 SSTORE, then CALL itself with all but 700 gas; the call at depth 1024 fails
    const code = assemble(`PUSH1 0 SLOAD PUSH1 1 ADD PUSH1 0 SSTORE
      PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 ADDRESS GAS PUSH2 700 SWAP1 SUB CALL STOP`);
    const pre = { [A]: { code } };
    // per frame 62 + SSTORE + 68 (homestead: CALL 40); SSTORE 20000 once then 5000
    const h = runMessageCall(evmInterpEngine, { fork: 'homestead', caller: C, address: A, gasLimit: 2 ** 50, preState: pre });
    assert.equal(h.status, 'success');
    assert.equal(h.postState.get(A)!.storage.get(0n), 1025n);
    assert.equal(h.gasUsed, 1025 * 130 + 20000 + 1024 * 5000);
    // tangerineWhistle: SLOAD 200, CALL 700
    const tw = runMessageCall(evmInterpEngine, { fork: 'tangerineWhistle', caller: C, address: A, gasLimit: 2 ** 50, preState: pre });
    assert.equal(tw.postState.get(A)!.storage.get(0n), 1025n);
    assert.equal(tw.gasUsed, 1025 * 940 + 20000 + 1024 * 5000);
  });

  await t.test('createAddress matches the known vector', () => {
    assert.equal(createAddress('0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0', 0n), '0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d');
  });
});
