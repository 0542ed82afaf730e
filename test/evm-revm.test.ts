import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { evmInterpEngine } from '../backends/evm-interp/index.js';
import { decodeLogs, encodeCall, selector, word } from '../backends/revm/abi.js';
import { buildHarness, decodeHarnessOutput } from '../backends/revm/harness.js';
import { measureRevmCallOverhead, revmAvailability, revmEngine, REVM_FORKS } from '../backends/revm/index.js';
import { assemble } from '../src/evm/asm.js';
import { evmEngines, findEvmEngine } from '../src/evm/engines.js';
import './builtins.js';
import { FuzzGenerator, Rng, toMessageCall } from '../src/evm/fuzz/index.js';
import { bytesToHex, hexToBytes } from '../src/evm/hex.js';
import { runMessageCall } from '../src/evm/message.js';
import { EvmUnsupportedError } from '../src/evm/precompiles.js';
import type { CallResult, MessageCall, PreState } from '../src/evm/types.js';
import { runCli } from './helpers.js';
import { A, B, C, RETURN_TOP, asmCall, callSummary } from './evm-helpers.js';


const av = revmAvailability();
if (!av.ok) process.stdout.write(`# revm engine unavailable, its EDR tests skip: ${av.reason}\n`);

/** Skip the test (with the reason printed) when EDR cannot load here. */
function needEdr(t: TestContext): boolean {
  if (av.ok) return true;
  t.skip(`EDR unavailable: ${av.reason}`);
  return false;
}

const call = asmCall;

function summary(r: CallResult) {
  return {
    ...callSummary(r),
    balances: [...r.postState].map(([a, d]) => `${a}=${d.balance}/${d.nonce}`).sort(),
  };
}

/** Runs `c` on revm and evm-interp; both must agree on everything in summary(). */
function both(c: MessageCall): CallResult {
  const r = runMessageCall(revmEngine, c);
  assert.deepEqual(summary(r), summary(runMessageCall(evmInterpEngine, c)));
  return r;
}

// ------------------------------------------------------------ without EDR (pure modules)

test('revm harness ABI: cheatcode calldata and Vm.Log[] decoding', () => {
  assert.equal(bytesToHex(selector('etch(address,bytes)')), '0xb4d6c782');
  const enc = encodeCall('etch(address,bytes)', [{ word: word(0xaan) }, { bytes: new Uint8Array([1, 2, 3]) }]);
  assert.equal(enc.length, 4 + 32 * 4);
  assert.equal(bytesToHex(enc.subarray(36, 68)), bytesToHex(word(64n))); // offset of the bytes
  assert.equal(bytesToHex(enc.subarray(68, 100)), bytesToHex(word(3n)));
  // one log: topics [0x05], data 0xabcd, emitter 0xaa..aa (as abi.encode(Log[]) lays it out)
  const w = (v: bigint) => bytesToHex(word(v)).slice(2);
  const logs = hexToBytes(
    w(32n) + w(1n) + w(32n) + // array offset, length, offset of log 0
      w(96n) + w(160n) + A.slice(2).padStart(64, '0') + // topics at +96, data at +160, emitter
      w(1n) + w(5n) + // topics
      w(2n) + 'abcd'.padEnd(64, '0'), // data
  );
  const [log] = decodeLogs(logs);
  assert.equal(log!.address, A);
  assert.deepEqual(log!.topics.map(bytesToHex), ['0x' + w(5n)]);
  assert.equal(bytesToHex(log!.data), '0xabcd');
});

test('revm harness: pre-Berlin forks and oversized value calls are refused, never run', () => {
  const base = {
    code: new Uint8Array([0]), calldata: new Uint8Array(0), address: A, caller: C, origin: C, value: 0n, gas: 100_000, isStatic: false,
    accounts: [], warmAddresses: [], warmSlots: [], blockHashes: [], gasPrice: 0n, blobHashes: [],
    block: { number: 0n, timestamp: 0n, coinbase: '0x' + '00'.repeat(20), gasLimit: 30_000_000n, difficulty: 0n, prevRandao: 0n, baseFee: 0n, chainId: 1n, blobBaseFee: 1n },
  };
  assert.deepEqual(REVM_FORKS, ['london', 'paris', 'shanghai', 'cancun', 'prague']);
  assert.throws(() => buildHarness({ ...base, fork: 'berlin' }), (e: Error) => e instanceof EvmUnsupportedError && /accepted forks: london, paris, shanghai, cancun, prague/.test(e.message));
  assert.throws(() => buildHarness({ ...base, fork: 'cancun', value: 1n, gas: 2000 }), EvmUnsupportedError);
  const h = buildHarness({ ...base, fork: 'cancun' });
  assert.equal(h.job.hardfork, 'cancun');
  assert.deepEqual(h.known, [A]);
  assert.throws(() => decodeHarnessOutput('not hex', h), /unexpected console.log output/);
});

test('revm is registered; findEvmEngine explains when it cannot run', (t) => {
  assert.ok(evmEngines().includes(revmEngine));
  if (av.ok) assert.equal(findEvmEngine('revm'), revmEngine);
  else assert.throws(() => findEvmEngine('revm'), /engine 'revm' is unavailable: /);
  if (!needEdr(t)) return;
  assert.match(av.ok ? av.version : '', /^0\.22\./);
});

// ------------------------------------------------------------ on EDR

test('revm: 1 + 2 returns 3 with exactly the gas evm-interp uses', (t) => {
  if (!needEdr(t)) return;
  for (const fork of ['london', 'cancun', 'prague'] as const) {
    const r = both(call(fork, 'PUSH1 1 PUSH1 2 ADD ' + RETURN_TOP));
    assert.equal(r.status, 'success');
    assert.equal(bytesToHex(r.returnData), '0x' + '3'.padStart(64, '0'));
    assert.equal(r.gasUsed, 3 + 3 + 3 + 3 + 6 + 3 + 3); // no intrinsic gas: the frame's own
  }
});

test('revm: revert with data, and an exceptional halt', (t) => {
  if (!needEdr(t)) return;
  const rev = both(call('cancun', 'PUSH1 9 PUSH1 1 SSTORE PUSH1 0xaa PUSH1 0 MSTORE8 PUSH1 1 PUSH1 0 REVERT', { [A]: { storage: new Map([[1n, 5n]]) } }));
  assert.equal(rev.status, 'revert');
  assert.equal(bytesToHex(rev.returnData), '0xaa');
  assert.equal(rev.gasUsed, 3 + 3 + 2100 + 2900 + 3 + 3 + 6 + 3 + 3); // cold SSTORE, then undone
  assert.deepEqual(rev.storageWrites, []);
  const halt = runMessageCall(revmEngine, call('cancun', 'PUSH1 1 ADD'));
  assert.equal(halt.status, 'halt');
  assert.equal(halt.gasUsed, 1_000_000); // a halt burns all the frame's gas
  assert.equal(halt.haltReason, undefined); // not exposed on this path
});

test('revm: storage writes, a log and the refund come back', (t) => {
  if (!needEdr(t)) return;
  const r = both(call('london', 'PUSH1 7 PUSH1 1 SSTORE PUSH1 0 PUSH1 2 SSTORE PUSH1 0xbe PUSH1 0 MSTORE8 PUSH1 5 PUSH1 4 PUSH1 1 PUSH1 0 LOG2 STOP', { [A]: { balance: 1n, storage: new Map([[2n, 9n]]) } }));
  assert.deepEqual(summary(r).storage, [`${A}[1]=7`, `${A}[2]=0`]);
  assert.equal(r.gasRefund, 4800); // EIP-3529: clearing slot 2
  assert.equal(r.logs.length, 1);
  assert.equal(r.logs[0]!.address, A);
  assert.deepEqual(r.logs[0]!.topics.map((x) => BigInt(bytesToHex(x))), [4n, 5n]);
  assert.equal(bytesToHex(r.logs[0]!.data), '0xbe');
});

test('revm: a call into another pre-state account, with value, and a static call', (t) => {
  if (!needEdr(t)) return;
  const pre: PreState = { [A]: { balance: 100n }, [B]: { code: assemble('PUSH1 7 PUSH1 3 SSTORE CALLVALUE ' + RETURN_TOP) }, [C]: { balance: 1000n } };
  const r = both(call('shanghai', `PUSH1 32 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 3 PUSH20 ${B} PUSH2 30000 CALL POP PUSH1 32 PUSH1 0 RETURN`, pre, { value: 5n }));
  assert.equal(r.status, 'success');
  assert.equal(BigInt(bytesToHex(r.returnData)), 3n); // B saw CALLVALUE 3
  assert.deepEqual(summary(r).storage, [`${B}[3]=7`]);
  assert.equal(r.postState.get(B)!.balance, 3n);
  assert.equal(r.postState.get(A)!.balance, 102n); // 100 + 5 from the caller - 3 to B
  assert.equal(r.postState.get(C)!.balance, 995n);
  const s = both(call('cancun', `PUSH1 32 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${B} GAS STATICCALL ${RETURN_TOP}`, pre));
  assert.equal(BigInt(bytesToHex(s.returnData)), 0n); // SSTORE in a static context fails
});

test('revm: warm and cold accounts and slots (EIP-2929, access lists) are priced as in a message call', (t) => {
  if (!needEdr(t)) return;
  const pre: PreState = { [A]: { storage: new Map([[1n, 5n]]) }, [B]: { balance: 1n }, [C]: { balance: 1000n } };
  const cold = both(call('cancun', `PUSH20 ${B} BALANCE PUSH1 1 SLOAD STOP`, pre));
  assert.equal(cold.gasUsed, 3 + 2600 + 3 + 2100);
  const warm = both(call('cancun', `PUSH20 ${B} BALANCE PUSH1 1 SLOAD STOP`, pre, { accessList: [{ address: B }, { address: A, storageKeys: [1n] }] }));
  assert.equal(warm.gasUsed, 3 + 100 + 3 + 100);
  both(call('cancun', 'ORIGIN BALANCE CALLER BALANCE COINBASE BALANCE ADD ADD ' + RETURN_TOP, pre));
});

test('revm: block and transaction environment', (t) => {
  if (!needEdr(t)) return;
  const r = both(
    call('cancun', 'NUMBER TIMESTAMP ADD BASEFEE ADD CHAINID ADD PREVRANDAO ADD GASPRICE ADD BLOBBASEFEE ADD COINBASE ADD ' + RETURN_TOP, {}, {
      block: { number: 7n, timestamp: 99n, baseFee: 3n, chainId: 5n, prevRandao: 77n, blobBaseFee: 2n, coinbase: B },
      gasPrice: 11n,
    }),
  );
  assert.equal(BigInt(bytesToHex(r.returnData)), 7n + 99n + 3n + 5n + 77n + 11n + 2n + BigInt(B));
  for (const blobBaseFee of [1n, 2n, 1000n]) {
    const bf = both(call('prague', 'BLOBBASEFEE ' + RETURN_TOP, {}, { block: { blobBaseFee } }));
    assert.equal(BigInt(bytesToHex(bf.returnData)), blobBaseFee);
  }
  // EDR sets the blob fee through the excess blob gas, and no excess gives this fee exactly
  assert.throws(() => runMessageCall(revmEngine, call('cancun', 'BLOBBASEFEE ' + RETURN_TOP, {}, { block: { blobBaseFee: 123_456_789n } })), EvmUnsupportedError);
  // GASLIMIT is honoured when the block holds the harness's transaction, refused when it does not
  const gl = both(call('cancun', 'GASLIMIT ' + RETURN_TOP, {}, { block: { gasLimit: 50_000_000n } }));
  assert.equal(BigInt(bytesToHex(gl.returnData)), 50_000_000n);
  assert.throws(() => runMessageCall(revmEngine, call('cancun', 'GASLIMIT ' + RETURN_TOP, {}, { block: { gasLimit: 100_000n } })), EvmUnsupportedError);
});

test('revm: unsupported forks are refused with the accepted ones named', (t) => {
  if (!needEdr(t)) return;
  assert.throws(() => runMessageCall(revmEngine, call('homestead', 'STOP')), /fork 'homestead' is not supported by EDR; accepted forks: london, paris, shanghai, cancun, prague/);
});

test('revm agrees with evm-interp on status, return data and gas of fuzzed programs (fixed seed)', (t) => {
  if (!needEdr(t)) return;
  // Only what this path exposes exactly is compared (README "revm": logs of reverted frames,
  // created and self-destructed accounts, touches and the Berlin SELFDESTRUCT refund are not).
  const gen = new FuzzGenerator(new Rng(20261121));
  let compared = 0;
  for (let i = 0; i < 40; i++) {
    const c = gen.nextCase(REVM_FORKS[i % REVM_FORKS.length]!);
    const mc = toMessageCall(c);
    let ours: CallResult;
    try {
      ours = runMessageCall(revmEngine, mc);
    } catch (err) {
      if (err instanceof EvmUnsupportedError) continue;
      throw err;
    }
    let ref: CallResult;
    try {
      ref = runMessageCall(evmInterpEngine, mc);
    } catch (err) {
      if (err instanceof EvmUnsupportedError) continue;
      throw err;
    }
    compared++;
    const pick = (r: CallResult) => ({ status: r.status, returnData: bytesToHex(r.returnData), gasUsed: r.gasUsed });
    assert.deepEqual(pick(ours), pick(ref), `case ${i} (${c.fork})`);
  }
  assert.ok(compared >= 25, `only ${compared} of 40 cases compared`);
});

test('revm: the fixed per-call overhead is measured on the empty contract', (t) => {
  if (!needEdr(t)) return;
  const o = measureRevmCallOverhead(20);
  assert.equal(o.calls, 20);
  assert.ok(o.medianUs > 0 && o.p10Us <= o.medianUs && o.medianUs <= o.p90Us, JSON.stringify(o));
  assert.ok(o.edrMedianUs > 0 && o.edrMedianUs < o.medianUs, JSON.stringify(o));
});

test('jitbench evm run --engine revm prints the result', async (t) => {
  if (!needEdr(t)) return;
  const r = await runCli(['evm', 'run', '--code', '0x600160020160005260206000f3', '--engine', 'revm', '--fork', 'cancun']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /status: +success/);
  assert.match(r.stdout, /return data: 0x0{63}3/);
  assert.match(r.stdout, /gas used: +24\n/);
  const bad = await runCli(['evm', 'run', '--code', '0x00', '--engine', 'revm', '--fork', 'istanbul']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /accepted forks: london/);
});
