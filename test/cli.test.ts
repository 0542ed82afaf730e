import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './helpers.js';

const BAD: Array<[string[], RegExp]> = [
  [['run', '--backend', 'cuda'], /unknown backend 'cuda': accepted backends are ts, wasm/],
  [['run', '--scenario', 'nbody'], /unknown scenario 'nbody': accepted scenarios are pi/],
  [['run', '--samples', '0'], /invalid sample count '0'/],
  [['run', '--samples', '2e10'], /invalid sample count '2e10'.*1 to 1e10/],
  [['run', '--samples', '-5'], /invalid sample count '-5'/],
  [['run', '--samples', '1e3..'], /malformed range '1e3\.\.'/],
  [['run', '--samples', '1e8..1e3'], /malformed range '1e8\.\.1e3'/],
  [['run', '--samples', '1e3..5e4'], /malformed range '1e3\.\.5e4'/],
  [['run', '--samples', 'lots'], /invalid sample count 'lots'/],
  [['run', '--samples', '1.5'], /invalid sample count '1.5'/],
  [['run', '--threads', '0'], /invalid --threads '0': expected an integer from 1/],
  [['run', '--forks', '0'], /invalid --forks '0'/],
  [['run', '--seed', '-1'], /invalid --seed '-1'/],
  [['run', '--tier', 'turbo'], /unknown tier 'turbo'.*accepted tiers are/],
  [['run', '--time', 'soon'], /invalid --time 'soon'/],
  [['run', '--isolate', 'vm'], /isolate.*vm/i],
  [['run', '--isolate', 'none', '--tier', 'jitless', '--backend', 'ts'], /--isolate none cannot apply V8 flags/],
  [['run', '--v8-flags', 'no-opt'], /invalid --v8-flags entry 'no-opt'/],
  [['run', '--full', '--samples', '1e3'], /--full and --samples '1e3' conflict/],
  [['run', '--scenario', 'evm:fib', '--pipeline', 'ir'], /unknown pipeline 'ir': accepted pipelines are legacy, viaIR/],
  [['run', '--scenario', 'evm:fib', '--backend', 'evm-native', '--opt', '7'], /unknown opt '7': accepted opts are 0, 1, 2, 3, 4/],
  [['run', '--scenario', 'pi', '--backend', 'ts', '--opt', '1'], /--opt 1 sets the optimize level of backends registered per level \(evm-native\), and the run has none/],
  [['run', '--scenario', 'evm:fib', '--pipeline', ''], /empty pipeline list: accepted pipelines are legacy, viaIR/],
  [['run', '--scenario', 'evm:fibonacci'], /unknown scenario 'evm:fibonacci': accepted EVM scenarios are evm:fib, evm:fact/],
  [['run', '--code', 'nothex'], /invalid --code: 'nothex' is not hex/],
  [['run', '--calldata', '0x00'], /--calldata needs --code/],
  [['run', '--bogus'], /Unknown argument: bogus/i],
  [['frobnicate'], /Unknown argument: frobnicate/i],
  [[], /a command is required/],
];

for (const [args, message] of BAD) {
  test(`usage error: jitbench ${args.join(' ')}`, async () => {
    const r = await runCli(args);
    assert.equal(r.code, 2, `exit code for ${args.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line expected, got:\n${r.stderr}`);
    assert.match(lines[0]!, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(r.stdout, '');
  });
}

test('--help works on every command', async () => {
  for (const args of [['--help'], ['run', '--help'], ['list', '--help']]) {
    const r = await runCli(args);
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, /--help/);
  }
});

test('list shows every backend with its availability and tiers', async () => {
  const r = await runCli(['list', '--json']);
  assert.equal(r.code, 0);
  const doc = JSON.parse(r.stdout) as { backends: Array<{ id: string; available: boolean; tiers: Record<string, string[]> }> };
  const ids = doc.backends.map((b) => b.id);
  assert.deepEqual(ids.slice(0, 2), ['ts', 'wasm']);
  assert.deepEqual(Object.keys(doc.backends[0]!.tiers).sort(), ['default', 'jitless', 'no-opt']);
  assert.deepEqual(Object.keys(doc.backends[1]!.tiers).sort(), ['default', 'liftoff-only', 'no-liftoff']);
  const text = await runCli(['list']);
  assert.match(text.stdout, /ts\s+yes/);
});

test('a results file over the 256 MiB limit is a usage error before it is read (report, compare, merge)', async () => {
  const { mkdtempSync, rmSync, truncateSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-big-results-'));
  const big = join(dir, 'big.json');
  writeFileSync(big, '');
  truncateSync(big, 257 * 1024 * 1024); // sparse: no disk space used
  try {
    for (const args of [['report', big], ['compare', big, big], ['merge', big, '--out', `${big}.merged`]]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, /results file '.*big\.json' is 257 MiB: the limit is 256 MiB/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the progress line names the scenario of each cell, so EVM workloads on one engine can be told apart', async () => {
  const { cellLabel } = await import('../src/cli/progress.js');
  const cell = (scenario: string) => ({ key: '', scenario, backend: 'evm-interp', n: 1000, threads: 1, tier: 'default', v8Flags: [] });
  assert.equal(cellLabel(cell('evm:fib'), 1, 2), 'evm:fib evm-interp n=1e3 t=1 default fork 2/2');
  assert.notEqual(cellLabel(cell('evm:fib'), 0, 1), cellLabel(cell('evm:fact'), 0, 1));
  assert.equal(cellLabel(cell('pi'), 0, 1), 'pi evm-interp n=1e3 t=1 default');
});
