import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ethereumjsEngine } from '../backends/ethereumjs/index.js';
import { evmInterpEngine } from '../backends/evm-interp/index.js';
import { countHitsReference } from '../scenarios/monte-carlo-pi/generator.js';
import { emptyCall, encodeCall, workloadCall } from '../scenarios/evm/call.js';
import { evmAccuracy, workloadArtifact } from '../scenarios/evm/index.js';
import { builtInContract, compileContract, DEFAULT_SOLC_SETTINGS, SolcError } from '../scenarios/evm/solc-compile.js';
import { EVM_WORKLOADS, findEvmWorkload } from '../scenarios/evm/workloads.js';
import { bytesToBigint, bytesToHex, hexToBytes } from '../src/evm/hex.js';
import { keccak256 } from '../src/evm/keccak.js';
import { runMessageCall } from '../src/evm/message.js';
import type { ResultsDocument } from '../src/results/document.js';
import { checkAnswers } from '../src/results/answers.js';
import { applyAnswerCheck } from '../src/results/cell-result.js';
import { writeReport } from '../src/report/write-report.js';
import { resultsValidator, runCli } from './helpers.js';
import { isEvmOutput } from '../src/core/types.js';
import './builtins.js';

const fib = findEvmWorkload('fib')!;
const fact = findEvmWorkload('fact')!;
const pi = findEvmWorkload('pi')!;
const run = (w: typeof fib, n: number, seed = 1, engine = evmInterpEngine) => runMessageCall(engine, workloadCall(w, workloadArtifact(w), n, seed));

test('solc: the workloads compile through Standard JSON with the pinned settings; the artifact proves its bytecode', () => {
  for (const w of EVM_WORKLOADS) {
    const a = workloadArtifact(w);
    assert.match(a.solcVersion, /^0\.8\.37\+commit\./);
    assert.deepEqual(a.settings, { ...DEFAULT_SOLC_SETTINGS, pipeline: 'legacy' });
    assert.equal(a.runtimeKeccak, bytesToHex(keccak256(hexToBytes(a.runtime))));
    assert.ok(a.selectors[w.signature], `${w.id}: selector of ${w.signature}`);
    assert.ok(a.creation.length > a.runtime.length, 'creation code contains the runtime');
    const ir = workloadArtifact(w, 'viaIR');
    assert.notEqual(ir.runtimeKeccak, a.runtimeKeccak, `${w.id}: viaIR is a different pipeline`);
    assert.notEqual(ir.inputHash, a.inputHash);
  }
  // selectors are keccak256(signature)[0..4]
  assert.equal(workloadArtifact(fib).selectors['fib(uint256)'], bytesToHex(keccak256(new TextEncoder().encode('fib(uint256)'))).slice(2, 10));
});

test('solc: artifacts are cached by input hash (no recompilation), and bad input fails clearly', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-solc-'));
  process.env['JITBENCH_SOLC_CACHE'] = dir;
  try {
    const fibPath = builtInContract(fib.file);
    const a = compileContract(fibPath, fib.contract, { ...DEFAULT_SOLC_SETTINGS, pipeline: 'legacy' });
    assert.ok(existsSync(join(dir, `${a.inputHash}.json`)));
    assert.deepEqual(JSON.parse(readFileSync(join(dir, `${a.inputHash}.json`), 'utf8')), a);
    const t0 = performance.now();
    assert.deepEqual(compileContract(fibPath, fib.contract, { ...DEFAULT_SOLC_SETTINGS, pipeline: 'legacy' }), a);
    assert.ok(performance.now() - t0 < 1000, 'a cache hit does not run solc');
    assert.throws(() => compileContract('Missing.sol', 'X', a.settings), (e) => e instanceof SolcError && /not found: Missing\.sol/.test(e.message));
    assert.throws(() => compileContract(fibPath, 'Nope', a.settings), /contract 'Nope' not found in Fibonacci\.sol: it defines Fibonacci/);
    // a bare name is a path like any other: no quiet look in the built-in contracts folder
    assert.equal(existsSync(fib.file), false, `no ${fib.file} in the working directory`);
    assert.throws(() => compileContract(fib.file, fib.contract, a.settings), (e) => e instanceof SolcError && e.message === `Solidity file not found: ${fib.file}`);
  } finally {
    delete process.env['JITBENCH_SOLC_CACHE'];
  }
});

test('ABI calldata: selector then one 32-byte word per argument', () => {
  assert.equal(bytesToHex(encodeCall('c6c2ea17', [1000n])), '0xc6c2ea17' + (1000).toString(16).padStart(64, '0'));
  assert.equal(bytesToHex(encodeCall('00000001', [(1n << 256n) - 1n, 0n])), '0x00000001' + 'f'.repeat(64) + '0'.repeat(64));
});

test('fibonacci and factorial return the exact values (mod 2^256)', () => {
  const word = (r: ReturnType<typeof run>) => (assert.equal(r.status, 'success'), bytesToBigint(r.returnData));
  assert.equal(word(run(fib, 0)), 0n);
  assert.equal(word(run(fib, 10)), 55n);
  assert.equal(word(run(fib, 93)), 12200160415121876738n);
  assert.equal(word(run(fib, 1000)), fib.expected(1000, 0));
  assert.equal(fib.expected(1000, 0), 0x2e3510283c1d60b00930b7e8803c312b4c8e6d5286805fc70b594dc75cc0604bn);
  assert.equal(word(run(fact, 20)), 2432902008176640000n);
  assert.equal(word(run(fact, 57)), fact.expected(57, 0));
  assert.notEqual(fact.expected(57, 0), 0n);
  assert.equal(word(run(fact, 1000)), 0n, '1000! has more than 256 factors of two');
});

test('Monte Carlo pi in Solidity counts exactly the hits of the scenario generator', () => {
  for (const [seed, n] of [[1, 1000], [7, 333], [0xffffffff, 50]] as const) {
    const r = run(pi, n, seed);
    assert.equal(r.status, 'success');
    assert.equal(Number(bytesToBigint(r.returnData)), countHitsReference(seed, 0, n), `seed ${seed} n ${n}`);
  }
});

test('ethereumjs returns the same data and gas on every workload', () => {
  for (const [w, n] of [[fib, 1000], [fact, 1000], [pi, 200]] as const) {
    const a = run(w, n, 3);
    const b = run(w, n, 3, ethereumjsEngine);
    assert.deepEqual([b.status, bytesToHex(b.returnData), b.gasUsed], [a.status, bytesToHex(a.returnData), a.gasUsed], w.id);
  }
  assert.equal(run(fib, 1000).gasUsed, 58289, 'fib(1000) gas with solc 0.8.37 legacy -O200, cancun');
});

test('the empty call (STOP) succeeds with no gas used: the fixed per-call cost is pure engine overhead', () => {
  const r = runMessageCall(evmInterpEngine, emptyCall());
  assert.deepEqual([r.status, r.gasUsed, r.returnData.length], ['success', 0, 0]);
});

test('the exact check flags a wrong or failed answer', () => {
  const check = evmAccuracy(fib);
  const params = { n: 10, seed: 1, threads: 1 };
  const ok = check({ n: 10, evm: { status: 'success', returnData: '0x' + (55).toString(16).padStart(64, '0'), gasUsed: 1 } }, params);
  assert.deepEqual([ok.matches, ok.suspect], [true, false]);
  const wrong = check({ n: 10, evm: { status: 'success', returnData: '0x' + (56).toString(16).padStart(64, '0'), gasUsed: 1 } }, params);
  assert.deepEqual([wrong.matches, wrong.suspect], [false, true]);
  const reverted = check({ n: 10, evm: { status: 'revert', returnData: '0x' + (55).toString(16).padStart(64, '0'), gasUsed: 1 } }, params);
  assert.equal(reverted.matches, false, 'the right word from a reverted call is not an answer');
});

test('jitbench run on EVM scenarios: exact and cross-engine checks; a gas mismatch between engines makes a cell wrong', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-evm-run-'));
  const r = await runCli(['run', '--json', '--scenario', 'evm:fib,evm:pi', '--backend', 'evm-interp,ethereumjs', '--samples', '100', '--forks', '1', '--time', '100', '--out', join(dir, 'r.json')], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as ResultsDocument;
  assert.ok(resultsValidator()(doc), JSON.stringify(resultsValidator().errors));
  assert.equal(doc.cells.length, 4);
  for (const c of doc.cells) {
    assert.equal(c.status, 'ok', `${c.key}: ${c.reason}`);
    assert.equal(c.answerCheck?.method, 'cross-backend');
    assert.equal(c.answerCheck?.matches, true);
    assert.deepEqual(c.answerCheck?.comparedWith, [c.backend === 'evm-interp' ? 'ethereumjs' : 'evm-interp']);
    const info = c.forks[0]!.info;
    assert.equal(typeof info['emptyCallUs'], 'number');
    assert.match(String(info['bytecodeKeccak']), /^0x[0-9a-f]{64}$/);
  }
  const piCell = doc.cells.find((c) => c.scenario === 'evm:pi')!;
  assert.equal(piCell.answerCheck?.expectedReturnData, '0x' + countHitsReference(piCell.seed, 0, 100).toString(16).padStart(64, '0'));

  // the report has the EVM charts and compares each engine with ethereumjs
  const rep = await writeReport([{ label: 'evm', doc }], join(dir, 'report'));
  assert.deepEqual(rep.charts, ['evm-time', 'evm-mgas']);
  const svg = readFileSync(join(dir, 'report', 'charts', 'evm-time.svg'), 'utf8');
  assert.match(svg, /^<svg/);
  const md = readFileSync(rep.markdown, 'utf8');
  // one line per engine against ethereumjs, every workload in it
  assert.match(md, /\*\*evm-interp\*\* against ethereumjs: [^\n]*evm:fib n=1e2 [\d.]+x faster \(95% interval [\d.]+ - [\d.]+/);
  // the net figure exists only where each engine's empty call measured below its call (on a busy machine it may not): then the cell is flagged instead
  const netShown = /\*\*evm-interp\*\* against ethereumjs: [^\n]*evm:fib n=1e2 [\d.]+x faster \(95% interval [\d.]+ - [\d.]+; [\d.]+x net of each engine's empty-call time\)/.test(md);
  const netFlagged = /net time undefined: empty call [\d.]+ us >= this call's median/.test(md);
  assert.ok(netShown || netFlagged, 'either a net speedup or a flagged cell saying why there is none');

  // the same document with one engine's gas changed: that cell becomes wrong, the others stay ok
  const edited = structuredClone(doc);
  const victim = edited.cells.find((c) => c.scenario === 'evm:fib' && c.backend === 'ethereumjs')!;
  for (const f of victim.forks) for (const o of [f.output, ...(f.outputs ?? []).map((x) => x.output)]) if (o && isEvmOutput(o)) o.evm.gasUsed += 1;
  if (victim.output && isEvmOutput(victim.output)) victim.output.evm.gasUsed += 1;
  const third = structuredClone(edited.cells.find((c) => c.scenario === 'evm:fib' && c.backend === 'evm-interp')!);
  third.backend = 'evm-interp-copy';
  edited.cells.push(third);
  checkAnswers(edited.cells);
  edited.cells.forEach(applyAnswerCheck);
  assert.equal(victim.status, 'wrong');
  assert.match(victim.reason!, /gas \d+ logs 0 \(0x[0-9a-f]{8}\); expected 0x[0-9a-f]{64} gas \d+ logs 0 \(0x[0-9a-f]{8}\) \(cross-backend check with evm-interp, evm-interp-copy\)/);
  assert.equal(edited.cells.find((c) => c.scenario === 'evm:fib' && c.backend === 'evm-interp')!.status, 'ok');
});

test('jitbench run: an EVM size above the workload\'s bound is an error cell with the reason, not a crash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-evm-run-'));
  const r = await runCli(['run', '--json', '--scenario', 'evm:pi', '--backend', 'evm-interp', '--samples', '1e7', '--forks', '1', '--time', '50', '--out', join(dir, 'r.json')], { cwd: dir });
  const doc = JSON.parse(r.stdout) as ResultsDocument;
  assert.equal(doc.cells[0]!.status, 'error');
  assert.match(doc.cells[0]!.reason!, /evm:pi takes integer n up to 1000000, got 10000000/);
});
