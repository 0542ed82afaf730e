/**
 * How jitbench decides (README "How jitbench decides"): cross-engine votes, the worst checked call,
 * the scenario's own pi reference, intervals that include the variation between processes, who may
 * win in a report, and the exit codes of run and compare.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from './helpers.js';
import type { Accuracy, KernelOutput } from '../src/core/types.js';
import { worstAccuracy } from '../src/core/types.js';
import { CellRecorder, useRecorder } from '../src/metrics/recorder.js';
import { accuracy, perfTime } from '../src/metrics/decorators.js';
import { bootstrapMedians, medianOfForkMedians, percentileInterval, ratioInterval } from '../src/metrics/bootstrap.js';
import { describe as describeSamples } from '../src/metrics/stats.js';
import { cellRows } from '../src/report/data.js';
import { findings } from '../src/report/findings.js';
import { compareExitCode, compareRuns } from '../src/results/compare.js';
import type { CellResult, ResultsDocument } from '../src/results/document.js';
import { loadResults } from '../src/results/load.js';
import { EXIT, runExitCode } from '../src/results/verdict.js';
import { checkAnswers } from '../src/results/answers.js';
import { applyAnswerCheck, cellResult } from '../src/results/cell-result.js';
import type { ForkMeasurement } from '../src/results/measurement.js';
import { piAccuracy } from '../scenarios/monte-carlo-pi/accuracy.js';
import { countHitsReference } from '../scenarios/monte-carlo-pi/generator.js';
import { referenceHits } from '../scenarios/monte-carlo-pi/reference.js';
import { tallyByEngine } from '../src/results/votes.js';
import './builtins.js';

const FIXTURE = `${ROOT}test/fixtures/results-small.json`;

/** A measured fork with the given answers (each checked once) and samples. */
function fork(outputs: KernelOutput[], samples: number[] = [1, 1.1, 0.9], acc?: Accuracy): ForkMeasurement {
  return {
    status: 'ok', fork: 1, pid: 1, execArgv: [], toolLoadMs: 0, compileMs: 1, firstCallMs: 1, timeToFirstResultMs: 2, batch: 1,
    warmupCalls: 0, warmupSamples: [], samples, samplesTruncated: false, stats: describeSamples(samples), warmupClass: 'flat',
    samplesPerSecond: 1, nsPerSample: 1, output: outputs[outputs.length - 1], checkedCalls: outputs.length, timedCalls: outputs.length,
    outputs: outputs.map((output) => ({ output, calls: 1 })), ...(acc ? { accuracy: acc } : {}),
    memory: { peakRssBytes: 0, heapUsedPeakBytes: 0, heapTotalBytes: 0, externalBytes: 0, arrayBuffersBytes: 0 }, info: {}, wallMs: 1,
  };
}

/** A finished cell of `backend` on `scenario` whose forks gave `answers` (one list per fork). */
function cell(scenario: string, backend: string, n: number, answers: KernelOutput[][], tier = 'default'): CellResult {
  const forks = answers.map((a, i) => ({ ...fork(a), fork: i + 1 }));
  const key = `${scenario}/${backend}/${tier}/t1/n${n}`;
  return cellResult({ key, scenario, backend, n, threads: 1, tier, v8Flags: [] } as never, 7, forks, forks.length);
}

const evm = (gasUsed: number, returnData = `0x${'00'.repeat(31)}2a`, logs = 0): KernelOutput => ({ n: 10, evm: { status: 'success', returnData, gasUsed, logs, logsHash: `0x${'11'.repeat(32)}` } });
const decide = (cells: CellResult[]) => {
  checkAnswers(cells);
  cells.forEach(applyAnswerCheck);
  return cells;
};
const statuses = (cells: CellResult[]) => Object.fromEntries(cells.map((c) => [c.backend, c.status]));

// ---------------------------------------------------------------- 1. votes of distinct engines

test('a 1:1 split between two engines is disputed on both sides, whatever the order, and names the field', () => {
  for (const order of [[0, 1], [1, 0]]) {
    const both = [cell('evm:code:abc', 'evm-interp', 10, [[evm(100)]]), cell('evm:code:abc', 'ethereumjs', 10, [[evm(101)]])];
    const cells = decide(order.map((i) => both[i]!));
    assert.deepEqual(statuses(cells), { 'evm-interp': 'disputed', ethereumjs: 'disputed' });
    for (const c of cells) {
      assert.deepEqual(c.answerCheck?.disagreement?.fields, ['gasUsed']);
      assert.match(c.reason!, /engines disagree on gasUsed with no majority of distinct engines: evm-interp: success 0x0+2a gas 100 .* \| ethereumjs: success 0x0+2a gas 101/);
    }
  }
});

test('variants of one engine (--opt levels, tiers) vote once: three evm-native cells do not outvote two engines', () => {
  const cells = decide([
    cell('evm:code:abc', 'evm-native:O0', 10, [[evm(99)]]),
    cell('evm:code:abc', 'evm-native:O1', 10, [[evm(99)]]),
    cell('evm:code:abc', 'evm-native:O3', 10, [[evm(99)]]),
    cell('evm:code:abc', 'evm-interp', 10, [[evm(100)]]),
    cell('evm:code:abc', 'ethereumjs', 10, [[evm(100)]]),
  ]);
  assert.deepEqual(statuses(cells), { 'evm-native:O0': 'wrong', 'evm-native:O1': 'wrong', 'evm-native:O3': 'wrong', 'evm-interp': 'ok', ethereumjs: 'ok' });
  assert.match(cells[0]!.reason!, /got success 0x0+2a gas 99 .*expected 0x0+2a gas 100 .*cross-backend check with evm-interp, ethereumjs/);
  // two engines against one: a strict majority decides
  const three = decide([cell('evm:code:abc', 'revm', 10, [[evm(1)]]), cell('evm:code:abc', 'evm-interp', 10, [[evm(2)]]), cell('evm:code:abc', 'ethereumjs', 10, [[evm(2)]])]);
  assert.deepEqual(statuses(three), { revm: 'wrong', 'evm-interp': 'ok', ethereumjs: 'ok' });
});

test('an engine whose variants disagree among themselves does not vote', () => {
  const t = tallyByEngine([
    { backend: 'evm-native:O0', a: 'x' }, { backend: 'evm-native:O2', a: 'y' }, { backend: 'evm-interp', a: 'x' },
  ], (c) => [c.a]);
  assert.deepEqual(t.voters, ['evm-interp']);
  assert.equal(t.expected, 'x');
});

test('the reference decides, not the vote: an EVM cell failing its independent answer is wrong even when it is the majority', () => {
  const bad: Accuracy = { exact: true, expected: '0x2b', actual: '0x2a', matches: false, suspect: true };
  const mk = (b: string) => {
    const c = cell('evm:fib', b, 10, [[evm(100)]]);
    c.forks[0]!.accuracy = bad;
    return cellResult({ key: c.key, scenario: c.scenario, backend: b, n: 10, threads: 1, tier: 'default', v8Flags: [] } as never, 7, c.forks, 1);
  };
  const cells = decide([mk('evm-interp'), mk('evm-native'), cell('evm:fib', 'ethereumjs', 10, [[evm(100, `0x${'00'.repeat(31)}2b`)]])]);
  assert.deepEqual(statuses(cells), { 'evm-interp': 'wrong', 'evm-native': 'wrong', ethereumjs: 'ok' });
});

test('pi above the reference bound: exact engines that split 1:1 are disputed; a wrong hit count in any call is seen', () => {
  const pi = (hits: number): KernelOutput => ({ hits, n: 2e8 });
  const cells = decide([cell('pi', 'ts', 2e8, [[pi(5)]]), cell('pi', 'wasm', 2e8, [[pi(6)]])]);
  assert.deepEqual(statuses(cells), { ts: 'disputed', wasm: 'disputed' });
  // up to the bound the scenario's reference decides, on every checked call of every fork (not only the last one)
  const n = 1000;
  const right = referenceHits(7, n);
  const one = decide([cell('pi', 'ts', n, [[{ hits: right, n }], [{ hits: right + 1, n }, { hits: right, n }]])]);
  assert.equal(one[0]!.status, 'wrong');
  assert.match(one[0]!.reason!, new RegExp(`hits ${right}, ${right + 1} != expected ${right} \\(reference check\\)`));
  assert.equal(decide([cell('pi', 'ts', n, [[{ hits: right, n }], [{ hits: right, n }]])])[0]!.status, 'ok');
});

// ---------------------------------------------------------------- 2. the worst checked call

test('NaN, Infinity and a wrong n rank worst; a suspect answer with a small |z| outranks a fine one with a larger |z|', () => {
  const p = { n: 1000, seed: 1, threads: 1 };
  const fine = piAccuracy({ hits: 790, n: 1000 }, p);
  const nan = piAccuracy({ hits: NaN, n: 1000 }, p);
  const otherN = piAccuracy({ hits: 785, n: 999 }, p);
  assert.equal(worstAccuracy([fine, nan]), nan);
  assert.equal(worstAccuracy([nan, fine]), nan);
  assert.equal(worstAccuracy([fine, otherN]), otherN);
  const suspectSmallZ = { ...fine, z: 0.1, suspect: true };
  assert.equal(worstAccuracy([{ ...fine, z: 3 }, suspectSmallZ]), suspectSmallZ);
  // one malformed call among fine ones makes the cell wrong; a suspect one makes it suspect
  const mk = (acc: Accuracy) => cellResult({ key: 'k', scenario: 'pi', backend: 'tfjs:cpu', n: 1000, threads: 1, tier: 'default', v8Flags: [] } as never, 1,
    [fork([{ hits: 790, n: 1000 }], undefined, fine), { ...fork([{ hits: 790, n: 1000 }], undefined, acc), fork: 2 }], 2);
  assert.equal(mk(nan).status, 'wrong');
  assert.match(mk(nan).reason!, /malformed answer: hits NaN is not an integer/);
  assert.equal(mk(otherN).status, 'wrong');
  assert.equal(mk(suspectSmallZ).status, 'suspect');
});

test('the recorder keeps the worst answer over every checked call, the distinct answers, and counts checked against timed calls', () => {
  class Kernel {
    calls = 0;
    @accuracy(piAccuracy)
    @perfTime()
    run(p: { n: number; seed: number; threads: number }): KernelOutput {
      this.calls++;
      return { hits: this.calls === 2 ? NaN : 785, n: p.n };
    }
  }
  const rec = useRecorder(new CellRecorder());
  const k = new Kernel();
  const p = { n: 1000, seed: 1, threads: 1 };
  for (let i = 0; i < 4; i++) k.run(p);
  assert.ok(Number.isNaN((rec.worstAccuracy as { estimate: number }).estimate), 'the NaN call is the worst, though later calls were fine');
  assert.deepEqual([...rec.outputs.values()].map((o) => [JSON.stringify(o.output), o.calls]), [['{"hits":785,"n":1000}', 3], ['{"hits":null,"n":1000}', 1]]);
  rec.batch = 5;
  k.run(p);
  assert.deepEqual([rec.checkedCalls, rec.timedCalls], [5, 9], 'a batch of 5 is 5 timed calls and 1 checked one');
});

test('an entry point without @accuracy is unchecked, never ok', () => {
  const f = fork([]);
  f.checkedCalls = 0;
  delete f.outputs;
  delete f.output;
  const c = cellResult({ key: 'k', scenario: 'pi', backend: 'mine', n: 1000, threads: 1, tier: 'default', v8Flags: [] } as never, 1, [f], 1);
  assert.equal(c.status, 'unchecked');
  assert.match(c.reason!, /no answer was checked .*no @accuracy/);
});

// ---------------------------------------------------------------- 3. the pi reference belongs to the scenario

test('the scenario\'s pi reference matches the per-sample spec and does not come from a backend', () => {
  for (const [seed, n] of [[1, 1], [7, 1000], [12345, 54_321]] as const) assert.equal(referenceHits(seed, n), countHitsReference(seed, 0, n), `seed ${seed} n ${n}`);
  for (const f of ['src/results/answers.ts', 'scenarios/evm/answers.ts', 'scenarios/monte-carlo-pi/reference.ts', 'scenarios/evm/workloads.ts']) {
    assert.doesNotMatch(readFileSync(join(ROOT, f), 'utf8'), /backends\//, `${f} imports nothing from backends/`);
  }
});

// ---------------------------------------------------------------- 5. intervals that include the variation between processes

test('the hierarchical bootstrap interval spans the spread between forks; pooling would not', () => {
  const tight = (m: number) => Array.from({ length: 2000 }, (_, i) => m * (1 + ((i % 21) - 10) * 1e-4));
  const forks = [tight(1.0), tight(1.04), tight(1.08)];
  const reps = bootstrapMedians(forks, 42);
  const [lo, hi] = percentileInterval(reps);
  assert.equal(medianOfForkMedians(forks), 1.04);
  assert.ok(lo <= 1.0005 && hi >= 1.0795, `interval [${lo}, ${hi}] covers the fork medians 1.00 .. 1.08`);
  // one fork: only the noise within it
  const [l1, h1] = percentileInterval(bootstrapMedians([tight(1.0)], 42));
  assert.ok(l1 > 0.999 && h1 < 1.001, `one fork: [${l1}, ${h1}]`);
  assert.deepEqual(Array.from(bootstrapMedians(forks, 42)), Array.from(reps), 'seeded: the same interval every time');
  // a ratio of two cells: 2x apart, each with 4% between-fork spread
  const [rl, rh] = ratioInterval(bootstrapMedians(forks.map((f) => f.map((x) => 2 * x)), 1), reps);
  assert.ok(rl < 2 && rh > 2 && rl > 1.8 && rh < 2.2, `ratio interval [${rl}, ${rh}]`);
});

test('report intervals come from the bootstrap over forks', () => {
  const doc = loadResults(FIXTURE);
  const rows = cellRows([{ label: 'f', doc }]);
  for (const r of rows) {
    const c = doc.cells.find((x) => x.key === r.key)!;
    const forks = c.forks.filter((f) => f.status === 'ok').map((f) => f.samples);
    assert.equal(r.p50Ms, medianOfForkMedians(forks), r.key);
    const meds = forks.map((s) => medianOfForkMedians([s]));
    if (meds.length === 2) assert.ok(r.ciLoMs <= Math.min(...meds) * 1.0001 && r.ciHiMs >= Math.max(...meds) * 0.9999, `${r.key}: [${r.ciLoMs}, ${r.ciHiMs}] vs fork medians ${meds}`);
  }
});

// ---------------------------------------------------------------- 6. a suspect cell never wins

test('a suspect cell is never fastest, a crossover or on the Pareto frontier', () => {
  const doc = loadResults(FIXTURE);
  const suspect = doc.cells.find((c) => c.status === 'suspect')!;
  // make the suspect cell by far the fastest
  for (const f of suspect.forks) f.samples = f.samples.map((s) => s / 1000);
  const rows = cellRows([{ label: 'f', doc }]);
  const f = findings([doc], rows);
  const s = rows.find((r) => r.key === suspect.key)!;
  assert.ok(f.fastest.every((x) => !(x.series === s.series && x.n === s.n)), 'not fastest');
  assert.ok(f.pareto.every((r) => r.key !== suspect.key), 'not on the frontier');
  assert.ok(f.crossovers.every((c) => c.from !== s.series && c.to !== s.series), 'no crossover');
  assert.ok(f.speedups.every((x) => !(x.series === s.series && x.n === s.n)), 'no speedup');
  assert.ok(f.flagged.some((x) => x.key === suspect.key && x.status === 'suspect'), 'flagged');
});

// ---------------------------------------------------------------- 7. exit codes

test('run exit codes: wrong/disputed/suspect 1, nothing measured 3, some errors 4', () => {
  const doc = loadResults(FIXTURE);
  const only = (statuses: string[]) => ({ ...doc, cells: statuses.map((s, i) => ({ ...doc.cells[i]!, status: s })) }) as ResultsDocument;
  assert.equal(runExitCode(only(['ok', 'ok'])), EXIT.ok);
  assert.equal(runExitCode(only(['ok', 'unchecked', 'skipped'])), EXIT.ok);
  assert.equal(runExitCode(only(['ok', 'disputed'])), EXIT.failure);
  assert.equal(runExitCode(only(['ok', 'suspect'])), EXIT.failure);
  assert.equal(runExitCode(only(['error', 'wrong'])), EXIT.failure);
  assert.equal(runExitCode(only(['error', 'error', 'skipped'])), EXIT.broken);
  assert.equal(runExitCode(only(['ok', 'error'])), EXIT.partial);
  assert.equal(runExitCode({ ...only(['ok']), status: 'interrupted' }), EXIT.interrupted);
});

test('jitbench run exits 3 when every cell errored and 4 when some did', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-exit-'));
  const args = ['run', '--backend', 'ts,wasm', '--samples', '1e3', '--forks', '1', '--time', '30', '--no-progress', '--out', join(dir, 'r.json')];
  const all = await runCli(args, { cwd: dir, env: { JITBENCH_CHILD_FAULT: 'exit' } });
  assert.equal(all.code, 3, all.stderr);
  assert.match(all.stderr, /exit 3: no cell was measured \(2 error\)/);
  const some = await runCli(args, { cwd: dir, env: { JITBENCH_CHILD_FAULT: 'exit:wasm' } });
  assert.equal(some.code, 4, some.stderr);
  assert.match(some.stderr, /exit 4: 1 error cell\(s\)/);
});

test('compare exits 3 when a HEAD cell turned wrong, errored or vanished, even with no slowdown', () => {
  const base = loadResults(FIXTURE);
  const healthy = structuredClone(base);
  healthy.cells = healthy.cells.filter((c) => c.status === 'ok' || c.status === 'skipped');
  const same = compareRuns(healthy, structuredClone(healthy), { thresholdPct: 5 });
  assert.equal(compareExitCode(same), EXIT.ok);
  const turned = structuredClone(healthy);
  turned.cells[0]!.status = 'wrong';
  turned.cells[0]!.reason = 'hits 1 != expected 2';
  const c1 = compareRuns(healthy, turned, { thresholdPct: 5 });
  assert.equal(compareExitCode(c1), EXIT.broken);
  assert.match(c1.broken[0]!.why, /HEAD is wrong: hits 1 != expected 2/);
  const vanished = structuredClone(healthy);
  vanished.cells.splice(1, 1);
  const c2 = compareRuns(healthy, vanished, { thresholdPct: 5 });
  assert.equal(compareExitCode(c2), EXIT.broken);
  assert.match(c2.broken[0]!.why, /measured in BASE, missing in HEAD/);
});

test('jitbench compare prints the broken cells and exits 3', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-cmp-exit-'));
  const head = loadResults(FIXTURE);
  head.cells.find((c) => c.status === 'ok')!.status = 'disputed';
  writeFileSync(join(dir, 'head.json'), JSON.stringify(head));
  const r = await runCli(['compare', FIXTURE, join(dir, 'head.json')]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stdout, /BROKEN \(\d+\): exit 3/);
  assert.match(r.stdout, /HEAD is disputed/);
});
