import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { evmNativeBackends } from '../backends/evm-native/backend.js';
import { callStatsSince, statsSnapshot, type CallStats } from '../backends/evm-native/call-stats.js';
import { evmNativeEngine, loadEvmNative } from '../backends/evm-native/index.js';
import { setEvmNativeTiming, timing } from '../backends/evm-native/timing.js';
import { registerEvmCode } from '../scenarios/evm/index.js';
import { assemble } from '../src/evm/asm.js';
import { bytesToHex } from '../src/evm/hex.js';
import { runMessageCall } from '../src/evm/message.js';
import type { MessageCall } from '../src/evm/types.js';
import { runCli } from './helpers.js';
import { scenario } from './builtins.js';

before(loadEvmNative);

const A = '0x' + 'aa'.repeat(20);
const C = '0x' + 'cc'.repeat(20);

/**
 * Called without calldata, the contract CALLs itself with one byte of calldata, reads a BLOCKHASH
 * (an opcode that leaves the module), then returns slot 1. The inner call runs a loop of `n`
 * SLOAD/SSTORE (slots n..1 each set to 1) and STOPs.
 */
const selfCallLoop = (n: number) => assemble(`CALLDATASIZE @inner JUMPI
  PUSH1 0 PUSH1 0 PUSH1 1 PUSH1 0 PUSH1 0 ADDRESS GAS CALL
  POP PUSH1 0 BLOCKHASH POP
  back: ; a block of its own: the BLOCKHASH exit ends here, the module takes over again
  PUSH1 1 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN
  inner: PUSH2 ${n} l: DUP1 SLOAD PUSH1 1 ADD DUP2 SSTORE PUSH1 1 SWAP1 SUB DUP1 @l JUMPI STOP`);

const call = (n: number): MessageCall => {
  const code = selfCallLoop(n);
  return { fork: 'cancun', code, caller: C, address: A, gasLimit: 30_000_000, preState: { [A]: { code } } };
};

/** Opcode -> count of a stats list. */
const counts = (xs: CallStats['exitsByOpcode']) => Object.fromEntries(xs.map((x) => [x.op, x.count]));

/**
 * The counts of call(5): imports SLOAD 5 (the inner frame's first read of each slot fills the slot
 * cache; its SSTOREs and the outer frame's SLOAD of slot 1 after the call find their slot there)
 * and the CALL (which runs the inner frame's module from inside the import); CALLDATASIZE and
 * ADDRESS are loads from the frame's environment region; exits: the BLOCKHASH (RETURN and the
 * inner STOP end in the module).
 */
const EXPECTED_IMPORTS = { SLOAD: 5, CALL: 1 };
const EXPECTED_EXITS = { BLOCKHASH: 1 };

test('evm-native stats: exact exits and host_op calls by opcode of a call with a nested native frame', () => {
  runMessageCall(evmNativeEngine, call(5)); // compiled: the counted call is all cache hits
  const before = statsSnapshot();
  const r = runMessageCall(evmNativeEngine, call(5));
  const s = callStatsSince(before, 'cancun');
  assert.equal(bytesToHex(r.returnData), '0x' + '1'.padStart(64, '0'));
  assert.deepEqual(counts(s.importsByOpcode), EXPECTED_IMPORTS);
  assert.deepEqual(counts(s.exitsByOpcode), EXPECTED_EXITS);
  assert.equal(s.imports, 6);
  assert.equal(s.exits, 1);
  assert.deepEqual({ compiled: s.compiled, cacheHits: s.cacheHits, nativeFrames: s.nativeFrames, interpretedFrames: s.interpretedFrames }, { compiled: 0, cacheHits: 2, nativeFrames: 2, interpretedFrames: 0 });
  assert.equal(s.time, undefined, 'no times when timing is off');
});

test('evm-native stats: timing off reads no clock; on, times are exclusive (a nested frame is not counted again in the CALL import)', () => {
  const c = call(400);
  runMessageCall(evmNativeEngine, c);
  const msBefore = Float64Array.from(timing.ms);
  runMessageCall(evmNativeEngine, c);
  assert.deepEqual(timing.ms, msBefore, 'an untimed call charges nothing');

  const before = statsSnapshot();
  setEvmNativeTiming(true);
  const t0 = performance.now();
  try {
    runMessageCall(evmNativeEngine, c);
  } finally {
    setEvmNativeTiming(false);
  }
  const wall = performance.now() - t0;
  const s = callStatsSince(before, 'cancun', true);
  const t = s.time!;
  for (const x of [...s.importsByOpcode, ...s.exitsByOpcode]) assert.ok(x.ms! >= 0, `${x.op} has a time`);
  assert.ok(t.moduleMs > 0 && t.importsMs > 0 && t.exitsMs > 0, JSON.stringify(t));
  // the inner frame's 400 imports run inside the outer CALL import: counted twice, the sum would pass the wall time
  assert.ok(t.engineMs <= wall, `engine ${t.engineMs} ms within the call's ${wall} ms`);
  assert.deepEqual(counts(s.importsByOpcode), { SLOAD: 400, CALL: 1 });
});

test('jitbench evm run --stats: the table, the stats field with --json, a usage error on another engine', async () => {
  const code = bytesToHex(selfCallLoop(5));
  const json = await runCli(['evm', 'run', '--code', code, '--engine', 'evm-native', '--stats', '--json']);
  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout);
  // `evm run` deploys the code at the callee address: the CALL to itself runs the loop in a second native frame
  assert.deepEqual(counts(out.stats.importsByOpcode), EXPECTED_IMPORTS);
  assert.deepEqual(counts(out.stats.exitsByOpcode), EXPECTED_EXITS);
  assert.deepEqual([out.stats.compiled, out.stats.nativeFrames], [1, 2]);
  for (const k of ['moduleMs', 'importsMs', 'exitsMs', 'compileMs', 'engineMs']) assert.equal(typeof out.stats.time[k], 'number', k);
  assert.doesNotMatch((await runCli(['evm', 'run', '--code', code, '--engine', 'evm-native', '--json'])).stdout, /"stats"/, 'no stats field without --stats');

  const table = await runCli(['evm', 'run', '--code', code, '--engine', 'evm-native', '--stats']);
  assert.equal(table.code, 0, table.stderr);
  for (const re of [/^time: /m, /^ {2}in module +\d+\.\d{3} ms$/m, /^ {2}in imports .*\(6 host_op calls\)$/m, /^ {4}SLOAD +\d+\.\d{3} ms {2}5$/m, /^ {2}in exits .*\(1 interpreter exits?\)$/m, /^ {4}BLOCKHASH +\d+\.\d{3} ms {2}1$/m, /^ {4}CALL +\d+\.\d{3} ms {2}1$/m, /^ {2}compiling .*\(1 compiled, 1 cache hits?\)$/m, /^ {2}frames +2 native/m]) assert.match(table.stdout, re);

  const interp = await runCli(['evm', 'run', '--code', code, '--engine', 'evm-interp', '--stats']);
  assert.equal(interp.code, 2);
  assert.match(interp.stderr, /--stats is not available with --engine evm-interp: engines with --stats: evm-native/);
  assert.doesNotMatch(interp.stderr, /\n\s+at /, 'no stack trace');
});

test('evm-native cell info: per-call exits and host_op calls by opcode (counts only)', async () => {
  const id = registerEvmCode(bytesToHex(selfCallLoop(5)), '0x');
  const kernel = await evmNativeBackends[0]!.prepare(scenario(id), { n: 1, seed: 1, threads: 1 });
  const info = (await kernel.calibrate!()) as { perCall: Record<string, unknown> };
  assert.deepEqual(info.perCall, { nativeFrames: 2, interpretedFrames: 0, exits: 1, exitsByOpcode: EXPECTED_EXITS, imports: 6, importsByOpcode: EXPECTED_IMPORTS });
});
