/**
 * Bring your own benchmark (issue 13): the README's example plugin runs through the same
 * harness as the built-in scenarios (cells, answer checks, report, compare); bad plugins get one
 * line and exit 2; a backend that throws in prepare() is an error cell and the run goes on.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import type { ResultsDocument } from '../src/results/document.js';
import { ROOT, resultsValidator, runCli } from './helpers.js';

const EXAMPLE = join(ROOT, 'examples', 'sum-of-squares.js');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'plugins');
const COMPILED = join(ROOT, 'dist', 'test', 'fixtures', 'plugins');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'jitbench-plugin-'));
}

function assertOneLineUsage(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, pattern);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

test('the README example: two backends of a plugin scenario, checked exactly, reported and compared', async () => {
  assert.ok(readFileSync(EXAMPLE, 'utf8').trim().split('\n').length <= 30, 'the example is under 30 lines');
  const dir = tmp();
  try {
    const r = await runCli(['run', '--plugin', EXAMPLE, '--scenario', 'sum-squares', '--samples', '1e3,1e4', '--forks', '2', '--time', '150', '--json', '--out', 'run.json', '--csv', 'run.csv'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as ResultsDocument;
    assert.ok(resultsValidator()(doc), JSON.stringify(resultsValidator().errors));
    assert.deepEqual(doc.cells.map((c) => `${c.backend}/${c.n}/${c.status}`).sort(), ['js-loop/1000/ok', 'js-loop/10000/ok', 'js-typed-array/1000/ok', 'js-typed-array/10000/ok']);
    for (const c of doc.cells) {
      assert.equal(c.answerCheck?.method, 'reference');
      assert.equal(c.answerCheck?.matches, true);
      // sum of i*i for i < n, mod 2^32, computed here independently
      const expected = Number((BigInt(c.n - 1) * BigInt(c.n) * BigInt(2 * c.n - 1) / 6n) % 2n ** 32n);
      assert.equal(c.answerCheck?.expected, String(expected));
      assert.equal(c.forks.length, 2, 'two processes per cell');
      assert.ok(c.summary!.p50Ms > 0);
    }
    assert.deepEqual(doc.plan.plugins?.map((p) => [p.source, p.scenarios, p.backends]), [[EXAMPLE, ['sum-squares'], ['js-loop', 'js-typed-array']]]);
    const csv = readFileSync(join(dir, 'run.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 5);

    const rep = await runCli(['report', 'run.json', '--out', 'rep'], { cwd: dir });
    assert.equal(rep.code, 0, rep.stderr);
    const md = readFileSync(join(dir, 'rep', 'summary.md'), 'utf8');
    assert.match(md, /## sum-squares: js-(loop|typed-array) is fastest/);
    assert.ok(existsSync(join(dir, 'rep', 'charts', 'time-vs-n.svg')));

    const cmp = await runCli(['compare', 'run.json', 'run.json'], { cwd: dir });
    assert.equal(cmp.code, 0, cmp.stderr);
    assert.match(cmp.stdout, /4 no change/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('jitbench list shows a plugin\'s scenario and backends with their file; jitbench.config.js is picked up', async () => {
  const dir = tmp();
  try {
    writeFileSync(join(dir, 'jitbench.config.js'), `export default { plugins: [${JSON.stringify(EXAMPLE)}] };\n`);
    const r = await runCli(['list', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as { backends: Array<{ id: string; source: string; scenarios: string[] }>; scenarios: Array<{ id: string; source: string }> };
    assert.deepEqual(list.scenarios.find((s) => s.id === 'sum-squares')?.source, EXAMPLE);
    assert.deepEqual(list.backends.find((b) => b.id === 'js-loop'), { ...list.backends.find((b) => b.id === 'js-loop')!, source: EXAMPLE, scenarios: ['sum-squares'] });
    assert.equal(list.backends.find((b) => b.id === 'ts')?.source, 'built-in');
    const text = await runCli(['list'], { cwd: dir });
    assert.match(text.stdout, /sum-squares \[.*sum-of-squares\.js\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad plugins: one line naming the problem, exit 2', async () => {
  assertOneLineUsage(await runCli(['run', '--plugin', './nowhere.js']), /plugin '\.\/nowhere\.js' not found/);
  assertOneLineUsage(await runCli(['list', '--plugin', join(FIXTURES, 'no-exports.js')]), /exports no scenario or backend/);
  assertOneLineUsage(await runCli(['list', '--plugin', join(FIXTURES, 'duplicate-backend.js')]), /duplicate backend id 'ts': registered by built-in and again by .*duplicate-backend\.js/);
  assertOneLineUsage(await runCli(['run', '--plugin', join(FIXTURES, 'no-check.js')]), /scenario 'unjudged' has no check: give reference\(params\), statistical/);
  assertOneLineUsage(await runCli(['run', '--plugin', join(FIXTURES, 'decorated.ts')]), /failed to load: .*\.ts/);
  assertOneLineUsage(await runCli(['run', '--plugin']), /--plugin needs a file/);
});

test('a wrong backend is wrong, one that throws in prepare() is an error cell, the rest of the run goes on', async () => {
  const dir = tmp();
  try {
    const r = await runCli(['run', '--plugin', join(FIXTURES, 'mixed.js'), '--scenario', 'count-odd', '--forks', '1', '--time', '100', '--json', '--out', 'run.json'], { cwd: dir });
    assert.equal(r.code, 1, 'a wrong answer fails the run');
    const doc = JSON.parse(r.stdout) as ResultsDocument;
    const status = Object.fromEntries(doc.cells.map((c) => [`${c.backend}/${c.n}`, c.status]));
    assert.deepEqual(status, {
      'count-right/1000': 'ok', 'count-right/5000': 'ok',
      'count-wrong/1000': 'ok', 'count-wrong/5000': 'wrong',
      'count-broken/1000': 'error', 'count-broken/5000': 'error',
    });
    const broken = doc.cells.find((c) => c.backend === 'count-broken')!;
    assert.match(broken.reason!, /no compiler here/);
    const wrong = doc.cells.find((c) => c.status === 'wrong')!;
    assert.match(wrong.reason!, /2501/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a decorated kernel class is timed and checked like the built-ins; an undecorated one is an error that says why', async () => {
  const dir = tmp();
  try {
    const r = await runCli(['run', '--plugin', join(COMPILED, 'decorated.js'), '--scenario', 'halves', '--forks', '1', '--time', '100', '--json', '--out', 'run.json'], { cwd: dir });
    const doc = JSON.parse(r.stdout) as ResultsDocument;
    const cls = doc.cells.find((c) => c.backend === 'half-class')!;
    assert.equal(cls.status, 'ok', cls.reason);
    assert.equal(cls.answerCheck?.method, 'reference');
    assert.ok(cls.summary!.checkedCalls! > 0);
    assert.equal(cls.forks[0]!.info['style'], 'decorated class');
    const bare = doc.cells.find((c) => c.backend === 'half-bare')!;
    assert.equal(bare.status, 'error');
    assert.match(bare.reason!, /recorded no time: decorate it with @perfTime\(\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a statistical plugin scenario is judged by its z-score', async () => {
  const dir = tmp();
  try {
    const r = await runCli(['run', '--plugin', join(FIXTURES, 'statistical.js'), '--scenario', 'coin', '--forks', '1', '--time', '100', '--json', '--out', 'run.json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as ResultsDocument;
    const c = doc.cells[0]!;
    assert.equal(c.status, 'ok');
    assert.equal(c.answerCheck?.method, 'statistical');
    assert.ok(c.accuracy && 'z' in c.accuracy && Math.abs(c.accuracy.z) < 6, JSON.stringify(c.accuracy));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
