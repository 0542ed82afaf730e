/** The report's first screen (src/report/headline.ts) and the missing-parts list (src/cli/missing-parts.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers.js';
import type { CellRow } from '../src/report/data.js';
import type { Fastest } from '../src/report/findings.js';
import { familiesOf, familyOf, groupedFastest, headlines } from '../src/report/headline.js';
import { buildModel } from '../src/report/model.js';
import { reportMarkdown } from '../src/report/markdown.js';
import { loadResults } from '../src/results/load.js';
import { formatMissingParts, missingParts } from '../src/cli/missing-parts.js';
import type { Probe } from '../src/core/types.js';
import './builtins.js';

function row(scenario: string, series: string, n: number, p50Ms: number, status = 'ok', group?: string): CellRow {
  return {
    key: `${scenario}/${series}/${n}`, scenario, family: scenario.split(':')[0]!, series, backend: series, tier: 'default', threads: 1, n, status, p50Ms, ciLoMs: p50Ms * 0.95, ciHiMs: p50Ms * 1.05,
    nsPerSample: 0, compileMs: 0, firstCallMs: 0, warmupClass: 'flat', forks: 2, source: 'test', ...(group !== undefined ? { group } : {}),
  };
}

test('headline: one table per scenario family, led by the backend fastest at the most points, the others as a geometric mean of their time over its time', () => {
  const rows = [
    row('pi', 'wasm', 1e3, 1), row('pi', 'ts', 1e3, 4), row('pi', 'wasm', 1e4, 10), row('pi', 'ts', 1e4, 40 * 1.21), row('pi', 'gpujs', 1e4, 5, 'wrong'),
    row('evm:fib', 'evm-native', 1000, 2), row('evm:fib', 'evm-interp', 1000, 20), row('evm:fact', 'evm-native', 1000, 3), row('evm:fact', 'evm-interp', 1000, 3 * 10),
    row('evm:oz-erc20', 'evm-native', 1000, 9, 'ok', 'corpus'),
  ];
  assert.deepEqual([familyOf(rows[0]!), familyOf(rows[5]!), familyOf(rows[9]!)], ['pi', 'evm', 'evm corpus']);
  const h = headlines(rows);
  assert.deepEqual(h.map((x) => [x.family, x.leader]), [['pi', 'wasm'], ['evm', 'evm-native'], ['evm corpus', 'evm-native']]);
  const pi = h[0]!;
  assert.deepEqual(pi.rows.map((r) => r.series), ['wasm', 'ts', 'gpujs']);
  const ts = pi.rows[1]!;
  assert.equal(ts.fastestAt, 0);
  assert.equal(ts.points, 2);
  assert.ok(Math.abs(ts.ratio!.geomean - 4 * 1.1) < 1e-9, 'geomean of 4x and 4.84x');
  assert.deepEqual([ts.ratio!.min, ts.ratio!.max].map((v) => +v.toFixed(6)), [4, 4.84]);
  // a wrong answer is never a win, and its count shows
  assert.deepEqual(pi.rows[2]!.problems, ['1 wrong']);
  assert.equal(pi.rows[2]!.ratio, undefined);
  assert.deepEqual(pi.rows[0]!.problems, []);
  assert.equal(h[1]!.rows[1]!.ratio!.geomean.toFixed(6), (10).toFixed(6));
});

const fmt = { n: (n: number) => String(n), num: (v: number | undefined) => (v === undefined ? '-' : v.toFixed(2)), ms: (v: number) => `${v} ms`, name: (s: string) => s };
const fastest = (scenario: string, n: number, series: string, runnerUp: string, margin: number, tie = false): Fastest => ({ scenario, n, series, p50Ms: 1, runnerUp, margin, marginLo: margin * 0.9, marginHi: margin * 1.1, tie });

test('grouped findings: one line for a scenario (or a family) whose every point has the same leader and runner-up, one line per point otherwise', () => {
  const families = new Map([['pi', 'pi'], ['evm:fib', 'evm'], ['evm:fact', 'evm'], ['x', 'x']]);
  const lines = groupedFastest([
    fastest('pi', 1e3, 'wasm', 'ts', 4.4), fastest('pi', 1e4, 'wasm', 'ts', 4.8, true),
    fastest('evm:fib', 1000, 'evm-native', 'evm-interp', 10), fastest('evm:fact', 1000, 'evm-native', 'evm-interp', 6),
    fastest('x', 1, 'a', 'b', 2), fastest('x', 2, 'b', 'a', 3),
  ], families, fmt);
  assert.deepEqual(lines, [
    '- **pi**: fastest is **wasm** at every n (1000..10000), 4.40-4.80x ahead of ts (a tie within the noise at pi n=10000).',
    '- **evm**: fastest is **evm-native** on every workload (evm:fib, evm:fact), 6.00-10.00x ahead of evm-interp.',
    '- **x n=1**: fastest is **a** (1 ms per call), 2.00x (95% interval 1.80 - 2.20) ahead of b.',
    '- **x n=2**: fastest is **b** (1 ms per call), 3.00x (95% interval 2.70 - 3.30) ahead of a.',
  ]);
  assert.deepEqual(familiesOf([row('evm:fib', 'a', 1, 1), row('evm:oz-erc20', 'a', 1, 1, 'ok', 'corpus')]), new Map([['evm:fib', 'evm'], ['evm:oz-erc20', 'evm corpus']]));
});

test('summary.md opens with the headline tables, then what is not installed, before the findings; every flagged cell stays listed', () => {
  const doc = loadResults(`${ROOT}test/fixtures/results-small.json`);
  doc.missingParts = [{ part: 'Xvfb, a virtual display', add: 'apt-get install -y xvfb xauth', backends: ['gpujs', 'gpujs:gl'] }];
  const md = reportMarkdown(buildModel([{ label: 'fixture', doc }]));
  const at = (s: string) => md.indexOf(s);
  assert.ok(at('## pi: ') > 0 && at('## pi: ') < at('## Findings'), 'the pi headline comes first');
  assert.match(md, /\| backend \| fastest at \(points\) \| time vs fastest/);
  assert.ok(at('Xvfb, a virtual display [gpujs, gpujs:gl]: `apt-get install -y xvfb xauth`') > at('## pi: ') && at('Xvfb') < at('## Findings'));
  for (const flagged of ['**WRONG** pi/wasm/default/t2/n10000', '**SUSPECT**', '**ERROR**', '**SKIPPED**']) assert.ok(md.includes(flagged), flagged);
});

test('missing parts: merged by part across backends, one line each with the command, nothing when all is installed', () => {
  const gl = { part: 'gl', add: 'npm install --no-save gl' };
  const probes = new Map<string, Probe>([
    ['gpujs', { available: true, detail: 'cpu fallback', missing: [gl] }],
    ['gpujs:gl', { available: false, detail: '', reason: 'no WebGL', missing: [gl, { part: 'Xvfb', add: 'apt-get install -y xvfb xauth' }] }],
    ['ts', { available: true, detail: 'V8' }],
  ]);
  const all = missingParts(probes);
  assert.deepEqual(all, [{ ...gl, backends: ['gpujs', 'gpujs:gl'] }, { part: 'Xvfb', add: 'apt-get install -y xvfb xauth', backends: ['gpujs:gl'] }]);
  assert.deepEqual(missingParts(probes, ['gpujs']).map((p) => p.part), ['gl']);
  assert.equal(formatMissingParts(all), 'Not installed here (optional; the command adds it):\n  gl [gpujs, gpujs:gl]: npm install --no-save gl\n  Xvfb [gpujs:gl]: apt-get install -y xvfb xauth\n');
  assert.equal(formatMissingParts(missingParts(probes, ['ts'])), '');
});

test('the results schema takes missingParts as part, add and backends, and refuses anything else in them', () => {
  const doc = JSON.parse(readFileSync(`${ROOT}test/fixtures/results-small.json`, 'utf8')) as Record<string, unknown>;
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-missing-'));
  const load = (parts: unknown) => {
    const file = join(dir, 'r.json');
    writeFileSync(file, JSON.stringify({ ...doc, missingParts: parts }));
    return loadResults(file);
  };
  assert.deepEqual(load([{ part: 'gl', add: 'npm install --no-save gl', backends: ['gpujs'] }]).missingParts, [{ part: 'gl', add: 'npm install --no-save gl', backends: ['gpujs'] }]);
  assert.throws(() => load([{ part: 'gl', backends: ['gpujs'] }]), /does not match the results schema: \/missingParts\/0/);
  assert.throws(() => load([{ part: 'gl', add: 'x', backends: [], extra: 1 }]), /does not match the results schema/);
});

test('jitbench list --json: a hidden optional package shows up in missingParts with the backends it holds back and the command that adds it', async () => {
  const { runCli } = await import('./helpers.js');
  const { HIDE_ENV } = await import('./hide-modules.js');
  const r = await runCli(['list', '--json'], { env: { [HIDE_ENV]: '@nomicfoundation/edr,@tensorflow/tfjs-node', NODE_OPTIONS: `--import ${new URL('./hide-modules.js', import.meta.url).href}` } });
  assert.equal(r.code, 0, r.stderr);
  const parts = (JSON.parse(r.stdout) as { missingParts: Array<{ part: string; add: string; backends: string[] }> }).missingParts;
  const edr = parts.find((p) => p.add === 'npm run setup:revm');
  assert.deepEqual(edr?.backends, ['revm']);
  const tf = parts.find((p) => p.add === 'npm install @tensorflow/tfjs-node');
  assert.ok(tf?.backends.includes('tfjs:node') && tf.backends.includes('tfjs'), JSON.stringify(tf));
});

test('missing parts from several runs or shards: one entry per part, the backends of every mention', async () => {
  const { mergeMissingParts } = await import('../src/results/missing-parts.js');
  assert.deepEqual(mergeMissingParts([
    { part: 'gl', add: 'a', backends: ['gpujs'] },
    { part: 'Xvfb', add: 'b', backends: ['gpujs:gl'] },
    { part: 'gl', add: 'a', backends: ['gpujs:gl', 'gpujs'] },
  ]), [{ part: 'gl', add: 'a', backends: ['gpujs', 'gpujs:gl'] }, { part: 'Xvfb', add: 'b', backends: ['gpujs:gl'] }]);
});
