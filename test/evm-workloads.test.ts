import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ethereumjsEngine } from '../backends/ethereumjs/index.js';
import { evmInterpEngine } from '../backends/evm-interp/index.js';
import { encodeArg, argWords } from '../scenarios/evm/abi-args.js';
import { codeCall, encodeCall, WORKLOAD_CALLER, WORKLOAD_CONTRACT } from '../scenarios/evm/call.js';
import { parseSolidityCallId, pipelineOf, splitPipeline, splitScenarioList, withPipeline } from '../scenarios/evm/ids.js';
import { codeScenarioId, evmScenarioCode, registerEvmCode, resolveEvmCase, workloadArtifact } from '../scenarios/evm/index.js';
import { logsDigest } from '../scenarios/evm/kernel.js';
import { EVM_WORKLOADS, findEvmWorkload, sha256Message, STEPPER_ADDRESS } from '../scenarios/evm/workloads.js';
import { bytesToBigint, bytesToHex, hexToBytes } from '../src/evm/hex.js';
import { keccak256 } from '../src/evm/keccak.js';
import { runMessageCall } from '../src/evm/message.js';
import type { CallResult, EvmEngine, MessageCall } from '../src/evm/types.js';
import type { CellResult, ResultsDocument } from '../src/results/document.js';
import { checkAnswers } from '../src/results/answers.js';
import { applyAnswerCheck } from '../src/results/cell-result.js';
import { writeReport } from '../src/report/write-report.js';
import { resultsValidator, runCli } from './helpers.js';
import './builtins.js';

const SEED = 12345;
const NEW = ['keccak', 'storage', 'erc20', 'call', 'sha256'] as const;
const word = (r: CallResult) => (assert.equal(r.status, 'success', `${r.status} ${r.haltReason ?? ''}`), bytesToBigint(r.returnData));
const call = (id: string, n: number, seed = SEED): MessageCall => resolveEvmCase(id).load().call(n, seed);
const run = (id: string, n: number, seed = SEED, engine: EvmEngine = evmInterpEngine) => runMessageCall(engine, call(id, n, seed));
const topic = (sig: string) => bytesToHex(keccak256(new TextEncoder().encode(sig)));

test('scenario ids: pipeline suffix, lists with call arguments, Solidity calls', () => {
  assert.deepEqual(splitPipeline('evm:fib@viaIR'), { base: 'evm:fib', pipeline: 'viaIR', explicit: true });
  assert.deepEqual(splitPipeline('evm:fib'), { base: 'evm:fib', pipeline: 'legacy', explicit: false });
  assert.deepEqual(splitPipeline('evm:fib@legacy'), { base: 'evm:fib', pipeline: 'legacy', explicit: true });
  assert.equal(withPipeline('evm:fib', 'legacy'), 'evm:fib');
  assert.equal(withPipeline('evm:fib', 'viaIR'), 'evm:fib@viaIR');
  assert.equal(pipelineOf('evm:code:12345678'), undefined);
  assert.equal(pipelineOf('pi'), undefined);
  assert.equal(resolveEvmCase('evm:fib@legacy').id, 'evm:fib', 'legacy is the plain id');
  assert.deepEqual(splitScenarioList('pi, evm:a.sol:A.f(1,2),evm:fib@viaIR'), ['pi', 'evm:a.sol:A.f(1,2)', 'evm:fib@viaIR']);
  assert.deepEqual(parseSolidityCallId('evm:./x/My.sol:My.run(n, 7)@viaIR'), { file: './x/My.sol', contract: 'My', fn: 'run', args: ['n', '7'], pipeline: 'viaIR' });
  assert.deepEqual(parseSolidityCallId('evm:My.sol:My.f()')?.args, []);
  assert.equal(parseSolidityCallId('evm:My.sol:My.f'), undefined);
  assert.equal(resolveEvmCase('evm:My.sol:My.run(n, 7)').id, 'evm:My.sol:My.run(n,7)', 'spaces dropped: one canonical id');
});

test('ABI arguments: static types, ranges, two\'s complement, left-aligned bytesN, n and seed', () => {
  const w = (type: string, lit: string) => {
    const a = encodeArg(type, lit, 'x');
    assert.equal(a.kind, 'word');
    return a.kind === 'word' ? a.value : 0n;
  };
  assert.equal(w('uint256', '1e18'), 10n ** 18n);
  assert.equal(w('uint8', '0xff'), 255n);
  assert.equal(w('int8', '-1'), (1n << 256n) - 1n);
  assert.equal(w('int256', '-128'), (1n << 256n) - 128n);
  assert.equal(w('bool', 'true'), 1n);
  assert.equal(w('address', '0x00000000000000000000000000000000000000aa'), 0xaan);
  assert.equal(w('bytes4', '0x12345678'), 0x12345678n << 224n);
  assert.throws(() => encodeArg('uint8', '256', 'x'), /256 is out of range for uint8 \(0 \.\. 255\)/);
  assert.throws(() => encodeArg('int8', '-129', 'x'), /out of range for int8/);
  assert.throws(() => encodeArg('uint256', '-1', 'x'), /out of range/);
  assert.throws(() => encodeArg('bytes4', '0x12', 'x'), /not a bytes4/);
  assert.throws(() => encodeArg('string', '"a"', 'x'), /string is not supported/);
  assert.throws(() => encodeArg('bool', 'n', 'x'), /'n' stands for a number, but the parameter is bool/);
  const args = [encodeArg('uint256', 'n', 'x'), encodeArg('uint32', 'seed', 'x'), encodeArg('uint8', '3', 'x')];
  assert.deepEqual(argWords(args, 1000, 7, 'f'), [1000n, 7n, 3n]);
  assert.throws(() => argWords([encodeArg('uint8', 'n', 'x')], 1000, 7, 'f'), /f \(n\): 1000 is out of range for uint8/);
});

test('keccak chain: the exact hash after n rounds, from the seed word', () => {
  const seedWord = new Uint8Array(32);
  seedWord[31] = 7;
  assert.equal(bytesToHex(bigintBytes(word(run('evm:keccak', 0, 7)))), bytesToHex(seedWord));
  assert.equal(bytesToHex(bigintBytes(word(run('evm:keccak', 1, 7)))), bytesToHex(keccak256(seedWord)));
  assert.equal(bytesToHex(bigintBytes(word(run('evm:keccak', 2, 7)))), bytesToHex(keccak256(keccak256(seedWord))));
  const w = findEvmWorkload('keccak')!;
  for (const n of [10, 1000]) assert.equal(word(run('evm:keccak', n)), w.expected(n, SEED));
});

test('storage loop: n cold SSTOREs, read back, exact checksum', () => {
  const w = findEvmWorkload('storage')!;
  for (const n of [0, 1, 7, 1000]) assert.equal(word(run('evm:storage', n)), w.expected(n, SEED), `n ${n}`);
  const r = run('evm:storage', 100);
  assert.equal(r.storageWrites.length, 100, 'one fresh slot per iteration');
  assert.ok(r.storageWrites.every((s) => s.original === 0n && s.value !== 0n));
  assert.ok(r.gasUsed > 100 * 22_100, `cold zero-to-nonzero SSTOREs cost 22,100 each (Berlin+): ${r.gasUsed}`);
});

test('ERC-20 token: exact balance checksum, one Transfer event per transfer (and the mint), replayable from the logs', () => {
  const w = findEvmWorkload('erc20')!;
  for (const n of [0, 1, 5, 200]) assert.equal(word(run('evm:erc20', n)), w.expected(n, SEED), `n ${n}`);
  const r = run('evm:erc20', 50);
  assert.equal(r.logs.length, 51);
  const transfer = topic('Transfer(address,address,uint256)');
  const addr = (t: Uint8Array) => `0x${bytesToHex(t).slice(26)}`;
  const balances = new Map<string, bigint>();
  for (const [i, l] of r.logs.entries()) {
    assert.equal(l.address, WORKLOAD_CONTRACT);
    assert.equal(bytesToHex(l.topics[0]!), transfer);
    const [from, to, value] = [addr(l.topics[1]!), addr(l.topics[2]!), bytesToBigint(l.data)];
    if (i === 0) assert.deepEqual([from, to, value], ['0x' + '00'.repeat(20), WORKLOAD_CALLER, 10n ** 24n], 'the mint');
    else balances.set(from, (balances.get(from) ?? 0n) - value);
    balances.set(to, (balances.get(to) ?? 0n) + value);
  }
  // the checksum folds the holders' balances in FNV style, caller first: recompute it from the events alone
  const holders = [WORKLOAD_CALLER, ...[1, 2, 3].map((k) => `0x${(0x1000 + k).toString(16).padStart(40, '0')}`)];
  const fold = holders.reduce((c, h) => ((c * 0x100000001b3n) % (1n << 256n)) ^ (balances.get(h) ?? 0n), 0n);
  assert.equal(word(r), fold);
  assert.equal([...balances.values()].reduce((a, b) => a + b, 0n), 10n ** 24n, 'transfers keep the supply');
});

test('cross-contract calls: n CALLs into the callee, whose counter ends at n', () => {
  const w = findEvmWorkload('call')!;
  for (const n of [0, 1, 100]) assert.equal(word(run('evm:call', n)), w.expected(n, SEED), `n ${n}`);
  const r = run('evm:call', 30);
  assert.ok(r.touched.includes(STEPPER_ADDRESS as never));
  const counter = r.storageWrites.filter((s) => s.address === STEPPER_ADDRESS && s.key === 0n);
  assert.deepEqual(counter.map((s) => s.value), [30n]);
  assert.equal(evmScenarioCode('evm:call').others[0]!.address, STEPPER_ADDRESS);
});

test('SHA-256 in Solidity: the large contract matches node:crypto on the derived messages and on padding edge cases', () => {
  for (const n of [0, 1, 55, 56, 63, 64, 65, 512]) {
    const want = BigInt(`0x${createHash('sha256').update(sha256Message(SEED, n)).digest('hex')}`);
    assert.equal(word(run('evm:sha256', n)), want, `n ${n}`);
    assert.equal(findEvmWorkload('sha256')!.expected(n, SEED), want);
  }
  // hash(bytes) on the FIPS 180-2 vectors, through the same contract
  const a = workloadArtifact(findEvmWorkload('sha256')!);
  for (const msg of ['', 'abc', 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq']) {
    const data = new TextEncoder().encode(msg);
    const padded = new Uint8Array(Math.ceil(data.length / 32) * 32);
    padded.set(data);
    const calldata = new Uint8Array([...encodeCall(a.selectors['hash(bytes)']!, [32n, BigInt(data.length)]), ...padded]);
    const r = runMessageCall(evmInterpEngine, codeCall(hexToBytes(a.runtime), calldata));
    assert.equal(bytesToHex(r.returnData), `0x${createHash('sha256').update(data).digest('hex')}`, msg);
  }
  for (const p of ['legacy', 'viaIR'] as const) {
    const bytes = (resolveEvmCase(withPipeline('evm:sha256', p)).load().facts['bytecodeBytes'] as number);
    assert.ok(bytes >= 3000, `sha256 ${p}: ${bytes} bytes of runtime code`);
  }
});

test('every workload, both pipelines: evm-interp and ethereumjs agree on status, return data, gas, logs and storage', () => {
  for (const w of EVM_WORKLOADS) {
    const gas: number[] = [];
    for (const p of ['legacy', 'viaIR'] as const) {
      const id = withPipeline(`evm:${w.id}`, p);
      const n = w.id === 'pi' ? 300 : w.defaultSizes[0]!;
      const c = call(id, n, 3);
      const a = runMessageCall(evmInterpEngine, c);
      const b = runMessageCall(ethereumjsEngine, c);
      assert.equal(a.status, 'success', id);
      assert.equal(bytesToHex(a.returnData), resolveEvmCase(id).load().expected!(n, 3), `${id}: exact answer`);
      assert.deepEqual([b.status, bytesToHex(b.returnData), b.gasUsed], [a.status, bytesToHex(a.returnData), a.gasUsed], `${id}: ethereumjs`);
      assert.deepEqual(b.logs.map((l) => [l.address, l.topics.map(bytesToHex), bytesToHex(l.data)]), a.logs.map((l) => [l.address, l.topics.map(bytesToHex), bytesToHex(l.data)]), `${id}: logs`);
      assert.equal(logsDigest(b.logs), logsDigest(a.logs));
      const writes = (r: CallResult) => r.storageWrites.map((s) => `${s.address}/${s.key}=${s.value}`).sort();
      assert.deepEqual(writes(b), writes(a), `${id}: storage writes`);
      gas.push(a.gasUsed);
    }
    assert.notEqual(gas[0], gas[1], `${w.id}: the pipelines compile to different code with different gas`);
  }
});

test('raw code scenarios: the id is a keccak prefix of code (and calldata); the code runs as is', () => {
  const id = registerEvmCode('0x600260030260005260206000f3', '0x');
  assert.equal(id, codeScenarioId(hexToBytes('0x600260030260005260206000f3'), new Uint8Array()));
  assert.match(id, /^evm:code:[0-9a-f]{8}$/);
  assert.match(registerEvmCode('0x600260030260005260206000f3', '0x1234'), /^evm:code:[0-9a-f]{8}:[0-9a-f]{8}$/);
  assert.equal(word(runMessageCall(evmInterpEngine, resolveEvmCase(id).load().call(1, 0))), 6n);
  assert.deepEqual(resolveEvmCase(id).fixedSizes, [1]);
  assert.throws(() => resolveEvmCase('evm:code:00000000'), /unknown raw-bytecode scenario/);
});

function bigintBytes(v: bigint): Uint8Array {
  return hexToBytes(v.toString(16).padStart(64, '0'));
}

const tmp = () => mkdtempSync(join(tmpdir(), 'jitbench-evm-wl-'));
const runArgs = (dir: string, ...args: string[]) => ['run', '--json', '--forks', '1', '--time', '100', '--out', join(dir, 'r.json'), ...args];

test('jitbench run --pipeline legacy,viaIR: one cell per pipeline, both ok, gas differs, the report compares them', async () => {
  const dir = tmp();
  const r = await runCli(runArgs(dir, '--scenario', 'evm:fib,evm:call', '--pipeline', 'legacy,viaIR', '--backend', 'evm-interp,ethereumjs'), { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as ResultsDocument;
  assert.ok(resultsValidator()(doc), JSON.stringify(resultsValidator().errors));
  assert.deepEqual(doc.plan.scenarios, ['evm:fib', 'evm:fib@viaIR', 'evm:call', 'evm:call@viaIR']);
  assert.deepEqual(doc.plan.pipelines, ['legacy', 'viaIR']);
  assert.equal(doc.cells.length, 8);
  assert.equal(new Set(doc.cells.map((c) => c.key)).size, 8, 'unique cell keys');
  for (const c of doc.cells) {
    assert.equal(c.status, 'ok', `${c.key}: ${c.reason}`);
    assert.deepEqual([c.answerCheck?.method, c.answerCheck?.matches], ['cross-backend', true]);
    const info = c.forks[0]!.info;
    const pipeline = c.scenario.endsWith('@viaIR') ? 'viaIR' : 'legacy';
    assert.equal(info['pipeline'], pipeline);
    assert.deepEqual(info['solcSettings'], { optimizer: { enabled: true, runs: 200 }, evmVersion: 'cancun', pipeline });
    assert.match(String(info['bytecodeKeccak']), /^0x[0-9a-f]{64}$/);
  }
  const gas = (s: string) => new Set(doc.cells.filter((c) => c.scenario === s).map((c) => c.answerCheck?.expectedGasUsed));
  for (const w of ['evm:fib', 'evm:call']) {
    assert.equal(gas(w).size, 1);
    assert.notDeepEqual([...gas(w)], [...gas(`${w}@viaIR`)], `${w}: legacy and viaIR gas differ`);
  }
  const callInfo = doc.cells.find((c) => c.scenario === 'evm:call@viaIR')!.forks[0]!.info;
  assert.equal((callInfo['otherContracts'] as Array<{ address: string; contract: string }>)[0]!.contract, 'CrossCall.sol:Stepper');

  const rep = await writeReport([{ label: 'pipelines', doc }], join(dir, 'report'));
  assert.deepEqual(rep.charts, ['evm-time', 'evm-mgas', 'evm-pipelines']);
  const md = readFileSync(rep.markdown, 'utf8');
  assert.match(md, /## EVM: legacy against viaIR/);
  assert.match(md, /\| evm:fib \| 1e3 \| evm-interp \| 58,289 \| 62,183 \|/);
  assert.match(md, /\*\*evm:call n=1e2\*\* viaIR against legacy: gas [\d,]+ vs [\d,]+ \([\d.]+x\); time (ethereumjs|evm-interp) [\d.]+x, /);
  const spec = JSON.parse(readFileSync(join(dir, 'report', 'charts', 'evm-time.vl.json'), 'utf8'));
  assert.ok(spec.data.values.some((v: { workload: string }) => v.workload === 'evm:fib viaIR (1000)'), 'EVM charts name the pipeline');
  assert.match(readFileSync(rep.html, 'utf8'), /<section id="evm-pipelines">/);
});

test('jitbench run: a user\'s Solidity function and raw --code run on every engine and are cross-checked; alone they are unchecked', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'My.sol'), `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract My {
    uint256 private base = 5;
    function mix(uint256 a, int8 b, bool c, address d) external view returns (uint256) {
        return a * 3 + uint256(int256(b) + 200) + (c ? 1 : 0) + uint160(d) + base;
    }
    function squares(uint256 n, uint256 seed) external pure returns (uint256 s) {
        unchecked { for (uint256 i = 0; i < n; i++) s += i * i + seed; }
    }
    function fails() external pure returns (uint256) { revert("no luck"); }
}
`);
  const mix = 'evm:./My.sol:My.mix(7, -3, true, 0x00000000000000000000000000000000000000aa)';
  const r = await runCli(runArgs(dir, '--scenario', `${mix},evm:My.sol:My.squares(n,seed)`, '--samples', '10,100', '--backend', 'evm-interp,ethereumjs'), { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as ResultsDocument;
  assert.ok(resultsValidator()(doc), JSON.stringify(resultsValidator().errors));
  const canonical = 'evm:./My.sol:My.mix(7,-3,true,0x00000000000000000000000000000000000000aa)';
  assert.deepEqual(doc.plan.scenarios, [canonical, 'evm:My.sol:My.squares(n,seed)']);
  assert.deepEqual(doc.cells.filter((c) => c.scenario === canonical).map((c) => c.n), [1, 1], 'a call without n runs once per engine, at n = 1, whatever --samples says');
  assert.deepEqual(doc.cells.filter((c) => c.scenario !== canonical).map((c) => c.n).sort((a, b) => a - b), [10, 10, 100, 100]);
  for (const c of doc.cells) {
    assert.equal(c.status, 'ok', `${c.key}: ${c.reason}`);
    assert.deepEqual([c.answerCheck?.method, c.answerCheck?.matches], ['cross-backend', true]);
  }
  // storage is empty: the constructor does not run (base reads 0); int8 -3 arrives sign-extended
  assert.equal(doc.cells.find((c) => c.scenario === canonical)!.answerCheck?.expectedReturnData, `0x${(7n * 3n + 197n + 1n + 0xaan).toString(16).padStart(64, '0')}`);
  const sq = (n: number) => [...Array(n).keys()].reduce((s, i) => s + BigInt(i * i + doc.plan.seed), 0n);
  assert.equal(doc.cells.find((c) => c.scenario !== canonical && c.n === 100)!.answerCheck?.expectedReturnData, `0x${sq(100).toString(16).padStart(64, '0')}`);
  assert.equal(doc.cells.find((c) => c.scenario === canonical)!.forks[0]!.info['function'], 'mix(uint256,int8,bool,address)');

  const code = await runCli(runArgs(dir, '--code', '0x600260030260005260206000f3', '--backend', 'evm-interp,ethereumjs'), { cwd: dir });
  assert.equal(code.code, 0, code.stderr);
  const cdoc = JSON.parse(code.stdout) as ResultsDocument;
  assert.ok(resultsValidator()(cdoc), JSON.stringify(resultsValidator().errors));
  assert.equal(cdoc.plan.scenarios.length, 1, 'with --code and no --scenario, only the code runs');
  const id = cdoc.plan.scenarios[0]!;
  assert.match(id, /^evm:code:[0-9a-f]{8}$/);
  assert.deepEqual(cdoc.plan.cases, { [id]: { kind: 'code', code: '0x600260030260005260206000f3', calldata: '0x' } });
  for (const c of cdoc.cells) {
    assert.equal(c.status, 'ok', `${c.key}: ${c.reason}`);
    assert.deepEqual([c.answerCheck?.method, c.answerCheck?.matches, c.answerCheck?.expectedReturnData, c.answerCheck?.expectedGasUsed], ['cross-backend', true, `0x${'6'.padStart(64, '0')}`, 26]);
  }

  // one engine: nothing to compare with and no independent answer
  const one = await runCli(runArgs(dir, '--code', '@code.hex', '--calldata', '0x01', '--backend', 'evm-interp', '--scenario', 'evm:My.sol:My.squares(3,1)'), { cwd: dir });
  assert.equal(one.code, 2, 'a missing @FILE is a usage error');
  writeFileSync(join(dir, 'code.hex'), '600260030260005260206000f3\n');
  const single = await runCli(runArgs(dir, '--code', '@code.hex', '--calldata', '0x01', '--backend', 'evm-interp', '--scenario', 'evm:My.sol:My.squares(3,1)'), { cwd: dir });
  assert.equal(single.code, 0, single.stderr);
  const sdoc = JSON.parse(single.stdout) as ResultsDocument;
  assert.equal(sdoc.cells.length, 2);
  for (const c of sdoc.cells) assert.deepEqual([c.status, c.answerCheck?.method, c.answerCheck?.matches], ['ok', 'unchecked', true], c.key);
  assert.match(sdoc.plan.scenarios[1]!, /^evm:code:[0-9a-f]{8}:[0-9a-f]{8}$/);

  // a call that reverts is an error cell with the revert reason
  const bad = await runCli(runArgs(dir, '--scenario', 'evm:My.sol:My.fails()', '--backend', 'evm-interp'), { cwd: dir });
  const bdoc = JSON.parse(bad.stdout) as ResultsDocument;
  assert.equal(bdoc.cells[0]!.status, 'error');
  assert.match(bdoc.cells[0]!.reason!, /the call ended with revert "no luck": a benchmarked call must succeed/);
});

const USAGE: Array<[string[], RegExp]> = [
  [['--scenario', 'evm:./missing.sol:A.f(1)'], /Solidity file not found: \.\/missing\.sol/],
  [['--scenario', 'evm:My.sol:Nope.f(1)'], /contract 'Nope' not found in My\.sol: it defines My/],
  [['--scenario', 'evm:My.sol:My.nope(1)'], /contract My in My\.sol has no external function 'nope': it has f\(uint8\), g\(string\)/],
  [['--scenario', 'evm:My.sol:My.f(1,2)'], /My\.f\(uint8\) takes 1 argument\(s\), got 2/],
  [['--scenario', 'evm:My.sol:My.f(300)'], /argument 1 of My\.f\(uint8\): 300 is out of range for uint8/],
  [['--scenario', 'evm:My.sol:My.f(abc)'], /argument 1 of My\.f\(uint8\): 'abc' is not an integer/],
  [['--scenario', 'evm:My.sol:My.g(1)'], /My\.g\(string\): only static uintN, intN, bool, address and bytesN arguments are supported/],
  [['--scenario', 'evm:Broken.sol:B.f()'], /solc: Broken\.sol: .*Broken\.sol:2:\d+/],
  [['--scenario', 'evm:My.sol:My.f'], /malformed Solidity call scenario 'evm:My\.sol:My\.f': expected evm:FILE\.sol:Contract\.function\(arg,\.\.\.\)/],
  [['--scenario', 'evm:nope'], /unknown scenario 'evm:nope': accepted EVM scenarios are evm:fib, .*evm:sha256 \(each also as @viaIR\)/],
  [['--scenario', 'evm:fib', '--pipeline', 'viair'], /unknown pipeline 'viair': accepted pipelines are legacy, viaIR/],
  [['--scenario', 'pi', '--pipeline', 'viaIR'], /--pipeline viaIR applies to Solidity EVM scenarios/],
  [['--code', '0xzz'], /invalid --code: '0xzz' is not hex/],
  [['--code', '0x123'], /invalid --code: odd-length hex/],
  [['--code', '0x'], /empty --code/],
  [['--code', '0x00', '--calldata', 'xyz'], /invalid --calldata: 'xyz' is not hex/],
  [['--calldata', '0x12'], /--calldata needs --code/],
];

test('usage errors of EVM scenarios: one line, exit 2, before the run starts', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'My.sol'), 'pragma solidity ^0.8.20;\ncontract My { function f(uint8 x) external pure returns (uint8) { return x; } function g(string calldata s) external pure returns (uint256) { return bytes(s).length; } }\n');
  writeFileSync(join(dir, 'Broken.sol'), 'pragma solidity ^0.8.20;\ncontract B { function f() external pure returns (uint256) { return y; } }\n');
  const queue = [...USAGE];
  await Promise.all([1, 2, 3, 4].map(async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      const [args, message] = item;
      const r = await runCli(['run', '--backend', 'evm-interp', '--forks', '1', '--time', '50', ...args], { cwd: dir });
      assert.equal(r.code, 2, `exit code for ${args.join(' ')}: ${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one line expected, got:\n${r.stderr}`);
      assert.match(lines[0]!, message);
      assert.equal(r.stdout, '');
    }
  }));
});

test('answer check: logs are compared across engines; a lone user call is unchecked', () => {
  const cell = (backend: string, logsHash: string, scenario = 'evm:erc20'): CellResult => {
    const output = { n: 200, evm: { status: 'success' as const, returnData: '0x01', gasUsed: 10, logs: 1, logsHash } };
    return {
      key: `${scenario}/${backend}`, scenario, backend, n: 200, seed: 1, threads: 1, tier: 'default', v8Flags: [], status: 'ok', output,
      forks: [{ output } as never],
    };
  };
  const h = (c: string) => `0x${c.repeat(64)}`;
  const cells = [cell('evm-interp', h('a')), cell('ethereumjs', h('a')), cell('evm-native', h('b'))];
  checkAnswers(cells);
  cells.forEach(applyAnswerCheck);
  assert.deepEqual(cells.map((c) => c.status), ['ok', 'ok', 'wrong']);
  assert.match(cells[2]!.reason!, /logs 1 \(0xbbbbbbbb\); expected 0x01 gas 10 logs 1 \(0xaaaaaaaa\) \(cross-backend check with evm-interp, ethereumjs\)/);
  const lone = [cell('evm-interp', h('a'), 'evm:code:12345678')];
  checkAnswers(lone);
  assert.deepEqual([lone[0]!.answerCheck?.method, lone[0]!.answerCheck?.matches], ['unchecked', true]);
  const ref = [cell('evm-interp', h('a'))];
  checkAnswers(ref);
  assert.equal(ref[0]!.answerCheck?.method, 'reference');
});
