import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultsValidator, runCli, hitsOf } from './helpers.js';
import type { ResultsDocument } from '../src/results/document.js';
import './builtins.js';

const validate = resultsValidator();

test('jitbench run --json: valid results on stdout, in the run file and in latest.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-e2e-'));
  const r = await runCli(['run', '--json', '--backend', 'ts,wasm', '--samples', '1e3,1e4', '--threads', '1,2', '--forks', '2', '--time', '60', '--csv', 'out.csv', '--out', 'run.json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as ResultsDocument;
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));
  assert.equal(doc.status, 'complete');
  assert.equal(doc.cells.length, 8);
  for (const c of doc.cells) {
    assert.equal(c.status, 'ok', `${c.key}: ${c.reason}`);
    assert.equal(c.forks.length, 2);
    assert.equal(c.answerCheck?.method, 'reference');
    assert.equal(c.answerCheck?.matches, true);
    assert.ok(c.summary!.p50Ms > 0);
    assert.ok(c.summary!.timeToFirstResultMs >= c.summary!.compileMs);
    assert.notEqual(c.forks[0]!.pid, c.forks[1]!.pid, 'each fork runs in its own process');
  }
  const hits = (b: string, n: number, t: number) => hitsOf(doc.cells.find((c) => c.backend === b && c.n === n && c.threads === t)!.output);
  for (const n of [1e3, 1e4]) for (const t of [1, 2]) assert.equal(hits('wasm', n, t), hits('ts', n, t));
  assert.ok(doc.harnessOverhead.timedRegionFloorNs < 1000);
  const file = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  assert.deepEqual(file.cells.map((c: { key: string }) => c.key).sort(), doc.cells.map((c) => c.key).sort());
  assert.ok(existsSync(join(dir, 'results', 'latest.json')));
  const csv = readFileSync(join(dir, 'out.csv'), 'utf8').trim().split('\n');
  assert.equal(csv.length, 9);
  assert.match(csv[0]!, /^scenario,backend,tier,threads,n,/);
  assert.match(r.stderr, /8\/8|done: 16 runs/);
});

test('a crashing backend marks its cells as errors and the run goes on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-crash-'));
  const r = await runCli(['run', '--json', '--backend', 'ts,wasm', '--samples', '1e3', '--forks', '1', '--time', '50'], { cwd: dir, env: { JITBENCH_CHILD_FAULT: 'abort:wasm' } });
  assert.equal(r.code, 4, `some cells errored, the others are measured: exit 4 (${r.stderr})`);
  const doc = JSON.parse(r.stdout) as ResultsDocument;
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));
  const byBackend = Object.fromEntries(doc.cells.map((c) => [c.backend, c]));
  assert.equal(byBackend.ts!.status, 'ok');
  assert.equal(byBackend.wasm!.status, 'error');
  assert.match(byBackend.wasm!.reason!, /SIGABRT|134/);
});

test('Ctrl-C keeps completed cells in a valid file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-int-'));
  let sent = false;
  const r = await runCli(['run', '--backend', 'ts', '--samples', '1e3..1e6', '--forks', '1', '--time', '400', '--out', 'run.json'], {
    cwd: dir,
    onStderr: (s, child) => {
      if (!sent && /\] [12]\/4/.test(s)) { sent = true; setTimeout(() => child.kill('SIGINT'), 100); }
    },
  });
  assert.equal(r.code, 130, r.stderr);
  const doc = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as ResultsDocument;
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));
  assert.equal(doc.status, 'interrupted');
  const done = doc.cells.filter((c) => c.status === 'ok');
  const notRun = doc.cells.filter((c) => c.status === 'skipped');
  assert.ok(done.length >= 1, 'at least one completed cell kept');
  assert.ok(notRun.length >= 1, 'cells not run are listed');
  for (const c of notRun) assert.match(c.reason!, /interrupted/);
});

test('a tier a backend lacks is listed as skipped, not dropped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-tier-'));
  const r = await runCli(['run', '--json', '--backend', 'ts,wasm', '--samples', '1e3', '--forks', '1', '--time', '50', '--tier', 'jitless'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as ResultsDocument;
  const ts = doc.cells.find((c) => c.backend === 'ts')!;
  const wasm = doc.cells.find((c) => c.backend === 'wasm')!;
  assert.equal(ts.status, 'ok');
  assert.deepEqual(ts.v8Flags, ['--jitless']);
  assert.deepEqual(ts.forks[0]!.execArgv, ['--jitless'], 'the child really ran with the tier flags');
  assert.equal(wasm.status, 'skipped');
  assert.match(wasm.reason!, /tier 'jitless' is not defined for wasm/);
});
