import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ethereumjsEngine } from '../backends/ethereumjs/index.js';
import { evmInterpEngine } from '../backends/evm-interp/index.js';
import { evmNativeEngine, loadEvmNative } from '../backends/evm-native/index.js';
import { revmAvailability, revmEngine } from '../backends/revm/index.js';
import { WORKLOAD_CONTRACT } from '../scenarios/evm/call.js';
import { corpusSteps } from '../scenarios/evm/corpus/case.js';
import { CORPUS_ALIAS, CORPUS_ENGINE_CHECKED, CORPUS_WORKLOADS, corpusScenarioIds, expandCorpusAlias } from '../scenarios/evm/corpus/index.js';
import { buildPreState, runSteps } from '../scenarios/evm/corpus/prestate.js';
import { hasReferenceAnswer, splitPipeline } from '../scenarios/evm/ids.js';
import { EVM_SCENARIOS, resolveEvmCase } from '../scenarios/evm/index.js';
import { logsDigest } from '../scenarios/evm/kernel.js';
import { compileContract, DEFAULT_SOLC_SETTINGS, SolcError } from '../scenarios/evm/solc-compile.js';
import { importClosure, solidityPackageDir } from '../scenarios/evm/solc-imports.js';
import { checksumAddress } from '../scenarios/evm/corpus/text.js';
import { bytesToBigint, bytesToHex } from '../src/evm/hex.js';
import { keccak256 } from '../src/evm/keccak.js';
import { runMessageCall } from '../src/evm/message.js';
import type { CallResult, EvmEngine } from '../src/evm/types.js';
import type { ResultsDocument } from '../src/results/document.js';
import { cellRows } from '../src/report/data.js';
import { buildCharts } from '../src/report/charts.js';
import { findings } from '../src/report/findings.js';
import { resultsValidator, runCli } from './helpers.js';
import './builtins.js';

const SEED = 7;
const CORPUS_DIR = new URL('../../scenarios/evm/corpus/contracts/', import.meta.url).pathname;
/** The size every engine runs each corpus scenario at (small: ethereumjs is slow). */
const N = 3;
/** Gas used at n = N, seed SEED: a change here is a change of the code, the set-up or the gas schedule. */
const GAS_AT_N: Record<string, number> = {
  'evm:oz-erc20': 55853,
  'evm:oz-votes': 94319,
  'evm:oz-governor': 365841,
  'evm:oz-p256': 736683,
  'evm:oz-p256-recover': 739181,
  'evm:ec-mul': 927887,
  'evm:sha1': 42258,
  'evm:solady-keccak': 665,
  'evm:oz-merkle': 10727,
  'evm:solady-signed': 2722,
  'evm:solady-expln': 16355,
  'evm:solady-sort': 4087,
  'evm:solady-string': 67526,
  'evm:base64': 4810,
  'evm:univ3-swap': 185977,
  'evm:univ2-swap': 112617,
  'evm:oz-governor@viaIR': 368826,
};

const outcome = (r: CallResult) => ({
  status: r.status,
  returnData: bytesToHex(r.returnData),
  gasUsed: r.gasUsed,
  logs: r.logs.map((l) => [l.address, l.topics.map(bytesToHex), bytesToHex(l.data)]),
  logsDigest: logsDigest(r.logs),
});

test('the corpus: at least 12 workloads, each from an npm package with its source pinned, covering what issue 12 lists', () => {
  assert.ok(CORPUS_WORKLOADS.length >= 12, `${CORPUS_WORKLOADS.length} workloads`);
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
  for (const w of CORPUS_WORKLOADS) {
    assert.ok(w.origin.length > 0, w.id);
    for (const o of w.origin) assert.match(pkg.dependencies[o.package] ?? '', /^\d+\.\d+\.\d+$/, `${w.id}: ${o.package} is a dependency pinned to an exact version`);
    assert.equal(w.check === 'engines', w.expected === undefined, `${w.id}: a reference check has an expected answer, an engines check has none`);
    assert.equal(CORPUS_ENGINE_CHECKED.has(`evm:${w.id}`), w.check === 'engines', `${w.id}: ids.ts lists the engine-checked ids`);
    assert.equal(hasReferenceAnswer(`evm:${w.id}@viaIR`), w.check === 'reference');
  }
  const origins = CORPUS_WORKLOADS.flatMap((w) => w.origin);
  for (const p of ['@openzeppelin/contracts', 'solady', '@uniswap/v3-core', '@uniswap/v2-core', '@ensdomains/solsha1', 'elliptic-solidity']) {
    assert.ok(origins.some((o) => o.package === p), `uses ${p}`);
  }
  assert.ok(origins.some((o) => o.use === 'published bytecode') && origins.some((o) => o.use === 'source'));
});

test('evm:corpus expands to every corpus workload plus the large contract with viaIR; each is listed and resolves', () => {
  const ids = corpusScenarioIds();
  assert.deepEqual(expandCorpusAlias(['pi', CORPUS_ALIAS, 'evm:fib']), ['pi', ...ids, 'evm:fib']);
  assert.deepEqual(ids.filter((id) => id.endsWith('@viaIR')), ['evm:oz-governor@viaIR']);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) {
    assert.ok(EVM_SCENARIOS.some((s) => s.id === id), `jitbench list shows ${id}`);
    const c = resolveEvmCase(id);
    assert.deepEqual([c.kind, c.group, c.id], ['corpus', 'corpus', id]);
  }
  assert.throws(() => resolveEvmCase('evm:corpus'), /unknown scenario 'evm:corpus'.*the corpus evm:oz-erc20, .* \(each also as @viaIR; evm:corpus for all of them\)/);
});

test('solc imports: npm sources go into the Standard JSON input; a missing one is a clear error', () => {
  const c = importClosure(join(CORPUS_DIR, 'OzGovernor.sol'));
  assert.equal(c.root, 'OzGovernor.sol');
  assert.deepEqual(c.packages, { '@openzeppelin/contracts': '5.7.0' });
  assert.ok(c.sources['@openzeppelin/contracts/governance/Governor.sol'], 'imported by path');
  assert.ok(c.sources['@openzeppelin/contracts/utils/math/SafeCast.sol'], 'imported relatively from inside the package');
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-imports-'));
  // a user's file outside the repository imports an installed package
  writeFileSync(join(dir, 'Mine.sol'), 'pragma solidity ^0.8.24;\nimport {FixedPointMathLib as F} from "solady/src/utils/FixedPointMathLib.sol";\ncontract Mine { function f(uint256 x) external pure returns (uint256) { return F.sqrt(x); } }\n');
  const mine = compileContract(join(dir, 'Mine.sol'), 'Mine', { ...DEFAULT_SOLC_SETTINGS, pipeline: 'legacy' });
  assert.deepEqual(mine.packages, { solady: '0.1.26' });
  const root = runMessageCall(evmInterpEngine, resolveEvmCase(`evm:${join(dir, 'Mine.sol')}:Mine.f(1000000)`).load().call(1, 0));
  assert.equal(bytesToBigint(root.returnData), 1000n);
  writeFileSync(join(dir, 'Bad.sol'), 'pragma solidity ^0.8.0;\nimport {X} from "no-such-package/X.sol";\ncontract Bad {}\n');
  assert.throws(() => compileContract(join(dir, 'Bad.sol'), 'Bad', { ...DEFAULT_SOLC_SETTINGS, pipeline: 'legacy' }),
    (e) => e instanceof SolcError && /Bad\.sol imports "no-such-package\/X\.sol": .*package no-such-package is not installed/.test(e.message));
});

test('every corpus workload on evm-interp at its default size: the reference answer, exactly, and the same outcome call after call', () => {
  for (const id of corpusScenarioIds()) {
    const c = resolveEvmCase(id);
    const loaded = c.load();
    const n = c.defaultSizes[0]!;
    const call = loaded.call(n, SEED);
    const a = runMessageCall(evmInterpEngine, call);
    assert.equal(a.status, 'success', `${id}: ${a.status} ${bytesToHex(a.returnData).slice(0, 140)}`);
    if (loaded.expected) assert.equal(bytesToHex(a.returnData), loaded.expected(n, SEED), `${id}: reference answer`);
    else assert.equal(CORPUS_ENGINE_CHECKED.has(splitPipeline(id).base), true);
    assert.deepEqual(outcome(runMessageCall(evmInterpEngine, call)), outcome(a), `${id}: every call starts from the same pre-state`);
  }
});

test('the references can fail: they tell valid from altered inputs', () => {
  const p256 = resolveEvmCase('evm:oz-p256').load();
  // signatures 0 and 1 valid, 2 has an altered message, 3 a high s (malleable): rejected
  assert.equal(BigInt(p256.expected!(4, SEED)), 0b0011n);
  const merkle = resolveEvmCase('evm:oz-merkle').load();
  // every seventh leaf is altered: 14 of 16 proofs reach the root
  assert.equal(BigInt(merkle.expected!(16, SEED).slice(0, 66)), 14n);
  // EIP-55's own example
  assert.equal(checksumAddress(0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaedn), '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed');
});

test('what a corpus case records: group, check, origin with versions, and the keccak of the code as deployed', () => {
  for (const id of corpusScenarioIds()) {
    const loaded = resolveEvmCase(id).load();
    const f = loaded.facts;
    assert.equal(f['group'], 'corpus');
    assert.match(String(f['check']), /^(reference|engines):/);
    assert.equal(f['bytecodeKeccak'], bytesToHex(keccak256(loaded.code)), id);
    assert.equal(f['bytecodeBytes'], loaded.code.length);
    assert.equal(f['pipeline'], id.endsWith('@viaIR') ? 'viaIR' : 'legacy');
    assert.match(String(f['preStateHash']), /^[0-9a-f]{64}$/);
    for (const o of f['origin'] as Array<{ package: string; version: string }>) assert.match(o.version, /^\d+\.\d+\.\d+$/, `${id}: ${o.package}`);
    for (const o of f['otherContracts'] as Array<{ address: string; bytecodeKeccak: string }>) {
      assert.equal(o.bytecodeKeccak, bytesToHex(keccak256(loaded.others.find((x) => x.address === o.address)!.runtime)));
    }
  }
  // the large contract, both pipelines, and the published Uniswap code created in the set-up
  for (const id of ['evm:oz-governor', 'evm:oz-governor@viaIR']) assert.ok((resolveEvmCase(id).load().facts['bytecodeBytes'] as number) >= 10_000, id);
  const v3 = resolveEvmCase('evm:univ3-swap').load();
  const created = (v3.facts['otherContracts'] as Array<{ deployedBy: string; bytecodeBytes: number }>).filter((o) => o.deployedBy === 'created during the set-up');
  const pool = JSON.parse(readFileSync(join(solidityPackageDir('@uniswap/v3-core')!, 'artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json'), 'utf8')) as { deployedBytecode: string };
  assert.deepEqual(created.map((o) => o.bytecodeBytes), [(pool.deployedBytecode.length - 2) / 2], 'the pool the factory created: UniswapV3Pool\'s published runtime code (immutables filled in)');
});

test('pre-state: the set-up runs once, is cached by its steps, and the cache gives back the same accounts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-prestate-'));
  const w = CORPUS_WORKLOADS.find((x) => x.id === 'univ2-swap')!;
  const steps = corpusSteps(w, 'legacy');
  const ran = runSteps(steps);
  process.env['JITBENCH_SOLC_CACHE'] = dir;
  try {
    const first = buildPreState(steps);
    const second = buildPreState(steps);
    assert.equal(second.hash, first.hash);
    const dump = (m: typeof ran) => [...m].map(([a, d]) => [a, d.nonce, d.balance, bytesToHex(d.code), [...d.storage].sort((x, y) => (x[0] < y[0] ? -1 : 1))]);
    assert.deepEqual(dump(second.accounts), dump(ran));
    assert.deepEqual(dump(first.accounts), dump(ran));
    assert.ok(ran.get(WORKLOAD_CONTRACT as never)!.storage.size > 0, 'the router stored the pair and tokens in its set-up');
    assert.notEqual(buildPreState(steps.slice(0, -1)).hash, first.hash, 'other steps, other pre-state');
  } finally {
    delete process.env['JITBENCH_SOLC_CACHE'];
  }
});

const av = revmAvailability();

test('every corpus scenario at n = 3: evm-interp, evm-native, ethereumjs and revm agree on status, return data, gas and logs', async (t: TestContext) => {
  await loadEvmNative();
  const engines: EvmEngine[] = [evmNativeEngine, ethereumjsEngine];
  if (av.ok) engines.push(revmEngine);
  else t.diagnostic(`revm left out: ${av.reason}`);
  for (const id of corpusScenarioIds()) {
    const loaded = resolveEvmCase(id).load();
    const call = loaded.call(N, SEED);
    const a = runMessageCall(evmInterpEngine, call);
    assert.equal(a.status, 'success', id);
    assert.equal(a.gasUsed, GAS_AT_N[id], `${id}: gas used`);
    if (loaded.expected) assert.equal(bytesToHex(a.returnData), loaded.expected(N, SEED), `${id}: reference answer`);
    for (const e of engines) assert.deepEqual(outcome(runMessageCall(e, call)), outcome(a), `${id}: ${e.id} against evm-interp`);
  }
  assert.deepEqual(Object.keys(GAS_AT_N).sort(), corpusScenarioIds().sort());
});

test('the token workload logs every transfer: a thousand Transfer events at the default size', () => {
  const c = resolveEvmCase('evm:oz-erc20');
  const r = runMessageCall(evmInterpEngine, c.load().call(c.defaultSizes[0]!, SEED));
  const transfer = bytesToHex(keccak256(new TextEncoder().encode('Transfer(address,address,uint256)')));
  assert.ok(r.logs.length >= 1000, `${r.logs.length} logs`);
  assert.ok(r.logs.every((l) => bytesToHex(l.topics[0]!) === transfer && bytesToBigint(l.topics[1]!) >= 0x1000n));
});

test('jitbench run --scenario evm:corpus: the plan has every corpus scenario; a cell is checked and grouped as corpus in the report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-corpus-'));
  const ids = corpusScenarioIds();
  // one shard of as many as there are scenarios: a single cell runs
  const r = await runCli(['run', '--json', '--forks', '1', '--time', '100', '--out', join(dir, 'r.json'), '--scenario', 'evm:corpus', '--backend', 'evm-interp', '--isolate', 'none', '--shuffle-seed', '1', '--shard', `1/${ids.length}`], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as ResultsDocument;
  assert.ok(resultsValidator()(doc), JSON.stringify(resultsValidator().errors));
  assert.deepEqual([...doc.plan.scenarios].sort(), [...ids].sort());
  const ran = doc.cells.filter((c) => c.status !== 'skipped' && c.forks.length > 0);
  assert.equal(ran.length, 1);
  const cell = ran[0]!;
  assert.equal(cell.status, 'ok', `${cell.key}: ${cell.reason}`);
  assert.equal(cell.forks[0]!.info['group'], 'corpus');
  const rows = cellRows([{ label: 'r', doc }]);
  assert.equal(rows.find((x) => x.key === cell.key)?.group, 'corpus');
  const charts = buildCharts(rows, [], findings([doc], rows));
  assert.deepEqual(charts.filter((c) => c.id.startsWith('evm-')).map((c) => c.id).slice(0, 2), ['evm-time-corpus', 'evm-mgas-corpus']);
});
