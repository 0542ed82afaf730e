import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { evmInterpEngine } from '../backends/evm-interp/index.js';
import { evmNativeEngine } from '../backends/evm-native/index.js';
import { ethereumjsEngine } from '../backends/ethereumjs/index.js';
import { bytesToHex, hexToBytes } from '../src/evm/hex.js';
import type { EvmEngine } from '../src/evm/types.js';
import {
  FUZZ_FORKS, FuzzGenerator, Rng, caseFromJson, caseToJson, compareCase, ddmin, defaultRegressionDir, diffOutcomes, explainingDeviation, loadRegressions, minimizeCase, runCase, runFuzz,
  type FuzzCase,
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
  const report = runFuzz({ count: 300, seed: 20240601, engine: evmInterpEngine, reference: ethereumjsEngine });
  const lines = report.divergences.map((d) => `program ${d.index} (${d.fork}): ${d.fields.join(',')} ${d.error ?? ''}\n${JSON.stringify(caseToJson(d.case))}`);
  assert.deepEqual(lines, []);
  assert.equal(report.programs, 300);
  assert.ok(report.compared + report.masked >= 290, `compared ${report.compared}, masked ${report.masked}`);
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
    // ethereumjs is wrong here by the specification: a known deviation, emulated, must explain its whole outcome
    if (fields.length) assert.ok(explainingDeviation(r.case, evmInterpEngine, theirs), `${r.doc.name}: no known deviation explains ethereumjs's outcome`);
    t.diagnostic(`${r.doc.name}: ethereumjs ${fields.length ? `differs from the specification in ${fields.join(', ')}` : 'now agrees with the specification'}`);
  }
});

// ------------------------------------------------------------------ known ethereumjs deviations

const KNOWN_EF00 = 'legacy-create-of-ef00-initcode';

/** The regression case with a CREATE2 of 0xEF00 initcode (ethereumjs skips it, the specification runs it). */
function ef00Case(): FuzzCase {
  const reg = loadRegressions(defaultRegressionDir()).find((r) => r.file === join(defaultRegressionDir(), 'create-ef00-initcode-cancun.json'));
  assert.ok(reg, 'create-ef00-initcode-cancun.json is missing');
  return reg.case;
}

/** `inner` with a different id whose top-level frame returns 0x42 in place of its return data. */
function alteringReturnData(inner: EvmEngine, id: string): EvmEngine {
  return {
    id,
    description: `${inner.id}, return data replaced`,
    execute(frame, host) {
      const r = inner.execute(frame, host);
      return frame.depth === 0 ? { ...r, returnData: Uint8Array.of(0x42) } : r;
    },
  };
}

test('fuzz: an EF00 create between two engines that are not ethereumjs is compared, not masked', async () => {
  await evmNativeEngine.load?.();
  const c = ef00Case();
  assert.deepEqual(compareCase(c, evmNativeEngine, evmInterpEngine), { kind: 'same' });
  const r = compareCase(c, alteringReturnData(evmInterpEngine, 'evm-interp-altered'), evmInterpEngine);
  assert.equal(r.kind, 'diverge');
  assert.deepEqual(r.kind === 'diverge' && r.fields, ['returnData']);
});

test('fuzz: ethereumjs against evm-interp on an EF00 create is masked as the known deviation, either way round', () => {
  const c = ef00Case();
  assert.deepEqual(compareCase(c, evmInterpEngine, ethereumjsEngine), { kind: 'known', id: KNOWN_EF00 });
  assert.deepEqual(compareCase(c, ethereumjsEngine, evmInterpEngine), { kind: 'known', id: KNOWN_EF00 });
});

test('fuzz: the emulated deviation keeps the return data buffer (ethereumjs does not clear it on an EF00 create)', () => {
  // STATICCALL identity(32 bytes) -> return buffer 32 bytes; CREATE(0xEF00); return RETURNDATASIZE
  const c = ef00Case();
  const code = '60206000602060006004' + '5afa50' + '61ef0060f01b600052' + '600260006000f050' + '3d60005260206000f3';
  c.preState.get(c.address)!.code = hexToBytes(`0x${code}`);
  const spec = runCase(evmInterpEngine, c);
  const ejs = runCase(ethereumjsEngine, c);
  assert.ok(!('unsupported' in spec) && !('unsupported' in ejs));
  assert.equal(BigInt(spec.returnData), 0n); // the specification: the failed create empties the buffer
  assert.equal(BigInt(ejs.returnData), 32n); // ethereumjs: still the identity call's 32 bytes
  assert.deepEqual(compareCase(c, evmInterpEngine, ethereumjsEngine), { kind: 'known', id: KNOWN_EF00 });
});

test('fuzz: an EF00 create plus an unrelated difference from ethereumjs is reported, not masked', () => {
  const c = ef00Case();
  const r = compareCase(c, evmInterpEngine, alteringReturnData(ethereumjsEngine, 'ethereumjs'));
  assert.equal(r.kind, 'diverge');
  assert.deepEqual(r.kind === 'diverge' && r.fields, ['returnData', 'gasUsed', 'accounts']);
});

test('fuzz: evm-native against evm-interp masks nothing; masked cases are counted apart from compared ones', async () => {
  await evmNativeEngine.load?.();
  const native = runFuzz({ count: 40, seed: 11, engine: evmNativeEngine, reference: evmInterpEngine });
  assert.deepEqual(native.divergences, []);
  assert.equal(native.masked, 0);
  assert.equal(native.compared + native.unsupported, 40);
  const ejs = runFuzz({ count: 40, seed: 11, engine: evmInterpEngine, reference: ethereumjsEngine });
  assert.equal(ejs.compared + ejs.masked + ejs.unsupported, 40);
  assert.equal(ejs.masked, Object.values(ejs.knownEthereumjs).reduce((a, b) => a + b, 0));
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
