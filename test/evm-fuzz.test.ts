import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evmInterpEngine } from '../backends/evm-interp/index.js';
import { ethereumjsEngine } from '../backends/ethereumjs/index.js';
import { bytesToHex } from '../src/evm/hex.js';
import {
  FUZZ_FORKS, FuzzGenerator, KNOWN_ETHEREUMJS_DEVIATIONS, Rng, caseFromJson, caseToJson, ddmin, defaultRegressionDir, diffOutcomes, loadRegressions, minimizeCase, runCase, runFuzz,
} from '../src/evm/fuzz/index.js';
import { parseArgs } from '../src/evm/fuzz/main-args.js';

test('fuzz: the generator is deterministic per seed and covers every fork', () => {
  const a = new FuzzGenerator(new Rng(42));
  const b = new FuzzGenerator(new Rng(42));
  for (let i = 0; i < 30; i++) {
    const fork = FUZZ_FORKS[i % FUZZ_FORKS.length]!;
    assert.deepEqual(caseToJson(a.nextCase(fork)), caseToJson(b.nextCase(fork)));
  }
  const other = new FuzzGenerator(new Rng(43)).nextCase('cancun');
  assert.notDeepEqual(caseToJson(other), caseToJson(new FuzzGenerator(new Rng(42)).nextCase('cancun')));
  // JSON round trip
  const c = new FuzzGenerator(new Rng(7)).nextCase('london');
  assert.deepEqual(caseToJson(caseFromJson(JSON.parse(JSON.stringify(caseToJson(c))))), caseToJson(c));
});

test('fuzz: generated programs mostly run (not only exceptional halts)', () => {
  const gen = new FuzzGenerator(new Rng(5));
  const status: Record<string, number> = {};
  for (let i = 0; i < 200; i++) {
    const o = runCase(evmInterpEngine, gen.nextCase(FUZZ_FORKS[i % FUZZ_FORKS.length]!));
    const k = 'unsupported' in o ? 'unsupported' : o.status;
    status[k] = (status[k] ?? 0) + 1;
  }
  assert.ok((status['success'] ?? 0) + (status['revert'] ?? 0) >= 60, JSON.stringify(status));
  assert.ok((status['halt'] ?? 0) >= 20, JSON.stringify(status));
});

test('fuzz: ddmin finds a minimal failing subset', () => {
  const items = Array.from({ length: 40 }, (_, i) => i);
  const out = ddmin(items, (xs) => xs.includes(7) && xs.includes(23) && xs.indexOf(7) < xs.indexOf(23));
  assert.deepEqual(out, [7, 23]);
});

test('fuzz: the case minimizer shrinks a program to what keeps the property', () => {
  // the property: slot 1 of the program's account ends up 7; plant a store that does it
  const c = new FuzzGenerator(new Rng(3)).nextCase('berlin');
  c.gasLimit = 1_000_000;
  const code = c.preState.get(c.address)!.code;
  const store7 = [0x60, 0x07, 0x60, 0x01, 0x55];
  const stores7 = (x: typeof c) => {
    const o = runCase(evmInterpEngine, x);
    return !('unsupported' in o) && o.storage.includes(`${x.address}[0x1]=0x7`);
  };
  c.preState.get(c.address)!.code = Uint8Array.from([...store7, ...code]);
  if (!stores7(c)) c.preState.get(c.address)!.code = Uint8Array.from([...store7, 0x00, ...code]);
  assert.ok(stores7(c));
  const small = minimizeCase(c, stores7);
  assert.ok(stores7(small));
  assert.ok(small.preState.get(small.address)!.code.length <= 5, bytesToHex(small.preState.get(small.address)!.code));
  assert.ok(small.preState.size <= c.preState.size);
});

test('fuzz: 300 fixed-seed programs on 8 forks, evm-interp and ethereumjs agree', () => {
  const report = runFuzz({ count: 300, seed: 20240601 });
  const lines = report.divergences.map((d) => `program ${d.index} (${d.fork}): ${d.fields.join(',')} ${d.error ?? ''}\n${JSON.stringify(caseToJson(d.case))}`);
  assert.deepEqual(lines, []);
  assert.equal(report.programs, 300);
  assert.ok(report.compared >= 290, `compared ${report.compared}`);
  for (const f of FUZZ_FORKS) assert.ok((report.perFork[f] ?? 0) >= 35, f);
});

test('fuzz regressions (test/fixtures/evm-regressions): evm-interp gives the specified outcome', (t) => {
  const regs = loadRegressions(defaultRegressionDir());
  assert.ok(regs.length >= 1, `no regression cases in ${defaultRegressionDir()}`);
  for (const r of regs) {
    const ours = runCase(evmInterpEngine, r.case);
    assert.ok(!('unsupported' in ours), r.file);
    assert.deepEqual(diffOutcomes(ours, r.doc.expected), [], `${r.doc.name}: ${r.doc.description}`);
    const theirs = runCase(ethereumjsEngine, r.case);
    assert.ok(!('unsupported' in theirs));
    const fields = diffOutcomes(theirs, r.doc.expected);
    if (!r.doc.ethereumjsWrong) {
      assert.deepEqual(fields, [], `${r.doc.name}: ethereumjs`);
      continue;
    }
    // ethereumjs is wrong here by the specification: the case must be one the fuzzer files under a known deviation
    assert.ok(KNOWN_ETHEREUMJS_DEVIATIONS.some((k) => k.occursIn(r.case, evmInterpEngine)), `${r.doc.name}: no known deviation occurs in it`);
    t.diagnostic(`${r.doc.name}: ethereumjs ${fields.length ? `differs from the specification in ${fields.join(', ')}` : 'now agrees with the specification'}`);
  }
});

test('fuzz main: argument parsing', () => {
  const a = parseArgs(['--count', '25', '--seed=9', '--forks', 'berlin,cancun', '--no-save']);
  assert.equal(a.count, 25);
  assert.equal(a.seed, 9);
  assert.deepEqual(a.forks, ['berlin', 'cancun']);
  assert.equal(a.saveDir, undefined);
  assert.throws(() => parseArgs(['--count', 'x']), /invalid --count 'x'/);
  assert.throws(() => parseArgs(['--forks', 'lisbon']), /unknown fork 'lisbon'/);
  assert.throws(() => parseArgs(['--bogus']), /unknown argument '--bogus'/);
});
