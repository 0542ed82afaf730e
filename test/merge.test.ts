import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, resultsValidator, runCli, hitsOf } from './helpers.js';
import { mergeCommand, type MergeArgs } from '../src/cli/commands/merge.js';
import { allBackends, findScenario } from '../src/core/registry.js';
import { isEvmOutput } from '../src/core/types.js';
import './builtins.js';
import { planCells } from '../src/plan/plan.js';
import type { CellResult, ResultsDocument } from '../src/results/document.js';
import { mergeShards, type MergeInput } from '../src/results/merge.js';
import { cellKey } from '../src/plan/cell-spec.js';
import { UsageError } from '../src/util/errors.js';

const validate = resultsValidator();
const dir = mkdtempSync(join(tmpdir(), 'jitbench-merge-'));
const file = (name: string) => join(dir, name);
const shards: Record<number, ResultsDocument> = {};
let otherPlan: ResultsDocument;

const clone = <T>(x: T): T => structuredClone(x);
const keys = (d: ResultsDocument) => d.cells.map((c) => c.key);
const EXPECTED_KEYS = ['pi/ts/default/t1/n1000', 'pi/ts/default/t1/n10000', 'pi/wasm/default/t1/n1000', 'pi/wasm/default/t1/n10000'];

async function shardRun(i: number, shuffleSeed: number, samples: string, out: string): Promise<ResultsDocument> {
  const r = await runCli(['run', '--json', '--backend', 'ts,wasm', '--samples', samples, '--forks', '1', '--time', '50',
    '--shard', `${i}/2`, '--shuffle-seed', String(shuffleSeed), '--out', out], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as ResultsDocument;
}

/** Writes an edited copy of a shard document and returns its path. */
function variant(name: string, base: ResultsDocument, edit: (d: ResultsDocument) => void): string {
  const d = clone(base);
  edit(d);
  writeFileSync(file(name), JSON.stringify(d));
  return file(name);
}

/** Runs mergeCommand with stdout and stderr captured (not printed). */
async function merge(a: Partial<MergeArgs> & { files: string[] }): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const [out, err] = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((s: string) => { stdout += s; return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { stderr += s; return true; }) as typeof process.stderr.write;
  try {
    const code = await mergeCommand({ out: file('merged.json'), allowPartial: false, json: false, ...a });
    return { code, stdout, stderr };
  } finally {
    [process.stdout.write, process.stderr.write] = [out, err];
  }
}

/** Expects a one-line UsageError whose message matches every pattern. */
async function refuses(a: Partial<MergeArgs> & { files: string[] }, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(merge(a), (e: Error) => {
    assert.ok(e instanceof UsageError, `not a UsageError: ${e.stack}`);
    assert.ok(!e.message.includes('\n'), 'one line');
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

describe('jitbench merge', () => {
  before(async () => {
    shards[1] = await shardRun(1, 111, '1e3,1e4', 'shard-1.json');
    shards[2] = await shardRun(2, 222, '1e3,1e4', 'shard-2.json');
    otherPlan = await shardRun(2, 333, '1e3', 'other-2.json');
  });

  test('the shards are disjoint and together cover the unsharded plan', () => {
    const [k1, k2] = [keys(shards[1]!), keys(shards[2]!)];
    assert.equal(k1.filter((k) => k2.includes(k)).length, 0, 'disjoint');
    const { shard: _, ...plan } = shards[1]!.plan;
    const planned = planCells(plan, allBackends(), new Map(), (id) => findScenario(id)).map((c) => c.key);
    assert.deepEqual(planned, EXPECTED_KEYS);
    assert.deepEqual([...k1, ...k2].sort(), [...planned].sort());
    assert.deepEqual([shards[1]!.plan.shuffleSeed, shards[2]!.plan.shuffleSeed], [111, 222]);
  });

  test('merges two shards into one valid document', async () => {
    const files = [file('shard-2.json'), file('shard-1.json')]; // any order
    const r = await merge({ files, json: true });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(readFileSync(file('merged.json'), 'utf8')) as ResultsDocument;
    assert.deepEqual(JSON.parse(r.stdout), doc, '--json prints the written document');
    assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.match(r.stderr, /^merged 2\/2 shards: 4 cells \(4 ok\) from 1 machine, status complete -> .*merged\.json\n$/);

    const [s1, s2] = [shards[1]!, shards[2]!];
    assert.equal(doc.status, 'complete');
    assert.match(doc.runId, /^[0-9a-f]{8}$/);
    assert.ok(doc.runId !== s1.runId && doc.runId !== s2.runId);
    assert.deepEqual(doc.command, ['merge', ...files]);
    const { shard: _, ...plan } = s1.plan;
    assert.deepEqual(doc.plan, plan, 'the common plan, without shard');
    assert.equal(doc.startedAt, [s1.startedAt, s2.startedAt].sort()[0]);
    assert.equal(doc.finishedAt, [s1.finishedAt!, s2.finishedAt!].sort()[1]);
    assert.deepEqual(doc.environment, s1.environment);
    assert.deepEqual(doc.harnessOverhead, s1.harnessOverhead);

    assert.deepEqual(doc.shards!.map((s) => s.shard), [{ index: 1, count: 2 }, { index: 2, count: 2 }]);
    assert.deepEqual(doc.shards!.map((s) => s.runId), [s1.runId, s2.runId]);
    assert.deepEqual(doc.shards!.map((s) => s.environment), [s1.environment, s2.environment]);
    assert.deepEqual(doc.shards!.map((s) => s.harnessOverhead), [s1.harnessOverhead, s2.harnessOverhead]);

    assert.deepEqual(keys(doc), EXPECTED_KEYS, 'plan order');
    for (const c of doc.cells) {
      const from = s1.cells.some((x) => x.key === c.key) ? s1 : s2;
      assert.equal(c.shard, from.plan.shard!.index, c.key);
      const { shard: _s, ...rest } = c;
      assert.deepEqual(rest, from.cells.find((x) => x.key === c.key), `${c.key} kept as measured`);
      assert.equal(c.status, 'ok');
      assert.deepEqual(c.answerCheck, { method: 'reference', expectedHits: hitsOf(c.output), matches: true });
    }
  });

  test('refuses shards of different plans', async () => {
    await refuses({ files: [file('shard-1.json'), file('other-2.json')] }, /other-2\.json/, /plan\.samples/, /\[1000\]/, /\[1000,10000\]/);
    assert.equal(otherPlan.cells.length, 1);
  });

  test('refuses different versions and environments', async () => {
    const s2 = shards[2]!;
    await refuses({ files: [file('shard-1.json'), variant('tool.json', s2, (d) => { d.tool.version = '0.0.9'; })] }, /tool\.json/, /tool\.version/, /"0\.0\.9"/);
    await refuses({ files: [file('shard-1.json'), variant('node.json', s2, (d) => { d.environment.node = 'v20.0.0'; })] }, /node\.json/, /environment\.node/);
    await refuses({ files: [file('shard-1.json'), variant('v8.json', s2, (d) => { d.environment.v8 = '11.0'; })] }, /environment\.v8/);
    await refuses({ files: [file('shard-1.json'), variant('lib.json', s2, (d) => { d.environment.libraries.binaryen = '1.0.0'; })] }, /environment\.libraries\.binaryen/);
    await refuses({ files: [file('shard-1.json'), variant('count.json', s2, (d) => { d.plan.shard!.count = 3; })] }, /count\.json/, /plan\.shard\.count/);
    const git = (commit: string) => (d: ResultsDocument) => { d.environment.git = { commit, dirty: false }; };
    await refuses({ files: [variant('git-a.json', shards[1]!, git('aaaa')), variant('git-b.json', s2, git('bbbb'))] }, /git-b\.json/, /environment\.git\.commit/);
    // A commit on one side only is not a difference.
    const one = mergeShards([{ path: 'a', doc: clone(shards[1]!) }, { path: 'b', doc: variant2(s2, git('bbbb')) }], { allowPartial: false });
    assert.equal(one.status, 'complete');
  });

  test('refuses the same shard twice, a cell twice and a file that is not a shard', async () => {
    const copy = variant('copy-1.json', shards[1]!, () => {});
    await refuses({ files: [file('shard-1.json'), copy, file('shard-2.json')] }, /'.*shard-1\.json' and '.*copy-1\.json' are both shard 1 of 2/);
    const stolen = variant('stolen.json', shards[2]!, (d) => { d.cells.push(clone(shards[1]!.cells[0]!)); });
    await refuses({ files: [file('shard-1.json'), stolen] }, new RegExp(`cell ${shards[1]!.cells[0]!.key} is in both`), /stolen\.json/);
    const whole = variant('whole.json', shards[1]!, (d) => { delete d.plan.shard; });
    await refuses({ files: [whole, file('shard-2.json')] }, /whole\.json/, /not a shard/);
    await refuses({ files: [] }, /nothing to merge/);
    await refuses({ files: [file('nope.json')] }, /nope\.json/);
  });

  test('a missing shard is refused, or merged with --allow-partial as interrupted', async () => {
    await refuses({ files: [file('shard-1.json')] }, /missing shard 2 of 2/, /--allow-partial/);
    const r = await merge({ files: [file('shard-1.json')], allowPartial: true, out: file('partial.json') });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /merged 1\/2 shards: 4 cells \(2 ok, 2 skipped\)/);
    const doc = JSON.parse(readFileSync(file('partial.json'), 'utf8')) as ResultsDocument;
    assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.equal(doc.status, 'interrupted');
    assert.equal(doc.shards!.length, 1);
    assert.deepEqual(keys(doc), EXPECTED_KEYS, 'the missing shard\'s cells are listed, in plan order');
    for (const c of doc.cells) {
      if (keys(shards[1]!).includes(c.key)) {
        assert.equal(c.shard, 1);
        assert.equal(c.status, 'ok');
      } else {
        assert.equal(c.shard, undefined, 'no machine measured it');
        assert.equal(c.status, 'skipped');
        assert.match(c.reason!, /shard 2\/2 is missing/);
      }
    }
  });

  test('an interrupted or unfinished shard makes the merge interrupted', () => {
    const interrupted = variant2(shards[2]!, (d) => { d.status = 'interrupted'; });
    assert.equal(mergeShards([{ path: 'a', doc: shards[1]! }, { path: 'b', doc: interrupted }], { allowPartial: false }).status, 'interrupted');
    const running = variant2(shards[2]!, (d) => {
      d.status = 'running';
      delete d.finishedAt;
      Object.assign(d.cells[0]!, { status: 'pending', forks: [] });
      for (const k of ['summary', 'output', 'accuracy', 'answerCheck'] as const) delete d.cells[0]![k];
    });
    const doc = mergeShards([{ path: 'a', doc: shards[1]! }, { path: 'b', doc: running }], { allowPartial: false });
    assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.equal(doc.status, 'interrupted');
    assert.equal(doc.finishedAt, shards[1]!.finishedAt);
    const cell = doc.cells.find((c) => c.key === running.cells[0]!.key)!;
    assert.equal(cell.status, 'skipped');
    assert.match(cell.reason!, /shard 2\/2 did not finish/);
  });

  test('above 1e8, exact answers are cross-checked across the shards', () => {
    // Stand-ins for n = 2e8 cells: ts measured by shard 1, wasm by shard 2, each alone in its
    // shard (so each shard could only check it statistically).
    const N = 2e8;
    const relabel = (c: CellResult, hits: number) => {
      Object.assign(c, { n: N, key: cellKey({ ...c, n: N }), answerCheck: { method: 'statistical' } });
      c.output = { hits, n: N };
      for (const f of c.forks) {
        f.output = { hits, n: N };
        f.outputs = [{ output: { hits, n: N }, calls: 1 }];
      }
    };
    const build = (wasmHits: (h: number) => number, wasmEdit: (c: CellResult) => void = () => {}): ResultsDocument => {
      const [s1, s2] = [clone(shards[1]!), clone(shards[2]!)];
      for (const d of [s1, s2]) d.plan.samples = [1e3, 1e4, N];
      const ts = s1.cells.find((c) => c.backend === 'ts')!;
      const wasm = s2.cells.find((c) => c.backend === 'wasm')!;
      const hits = hitsOf(ts.output);
      relabel(ts, hits);
      relabel(wasm, wasmHits(hits));
      wasmEdit(wasm);
      const inputs: MergeInput[] = [{ path: 'a', doc: s1 }, { path: 'b', doc: s2 }];
      return mergeShards(inputs, { allowPartial: false });
    };
    const big = (d: ResultsDocument) => d.cells.filter((c) => c.n === N);

    const agree = build((h) => h);
    assert.ok(validate(agree), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.equal(big(agree).length, 2);
    for (const c of big(agree)) {
      assert.deepEqual(c.answerCheck, { method: 'cross-backend', expectedHits: hitsOf(c.output), comparedWith: [c.backend === 'ts' ? 'wasm' : 'ts'], matches: true }, c.key);
      assert.equal(c.status, 'ok');
    }
    for (const c of agree.cells.filter((x) => x.n !== N)) assert.equal(c.answerCheck?.method, 'reference', 'kept from its run');

    // two engines that disagree with no reference to decide: neither is declared right, both are disputed
    const disagree = build((h) => h + 1);
    const disputed = big(disagree).filter((c) => c.status === 'disputed');
    assert.equal(disputed.length, 2);
    for (const c of disputed) assert.match(c.reason!, /engines disagree on hits with no majority of distinct engines: ts: hits \d+ \| wasm: hits \d+|wasm: hits \d+ \| ts: hits \d+/);

    // A 'wrong' from a shard's own cross-check is decided again by the merged group.
    const undone = build((h) => h, (c) => { c.status = 'wrong'; c.reason = 'hits 1 != expected 2 (cross-backend check)'; });
    for (const c of big(undone)) {
      assert.equal(c.status, 'ok', c.key);
      assert.equal(c.reason, undefined);
    }
  });

  test('EVM engines measured on different shards are cross-checked in the merge (status, return data, gas, logs)', async () => {
    const evmShard = async (i: number) => {
      const r = await runCli(['run', '--json', '--scenario', 'evm:fib', '--backend', 'evm-interp,ethereumjs', '--samples', '100', '--forks', '1', '--time', '50',
        '--shard', `${i}/2`, '--shuffle-seed', '1', '--out', file(`evm-${i}.json`)], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as ResultsDocument;
    };
    const [e1, e2] = [await evmShard(1), await evmShard(2)];
    for (const d of [e1, e2]) {
      assert.equal(d.cells.length, 1, 'one engine per shard');
      assert.equal(d.cells[0]!.answerCheck?.method, 'reference', 'alone in its shard: only the reference answer is checked');
    }
    const merged = mergeShards([{ path: 'a', doc: e1 }, { path: 'b', doc: e2 }], { allowPartial: false });
    assert.ok(validate(merged), JSON.stringify(validate.errors?.slice(0, 3)));
    for (const c of merged.cells) {
      assert.equal(c.status, 'ok', `${c.key}: ${c.reason}`);
      assert.deepEqual([c.answerCheck?.method, c.answerCheck?.matches, c.answerCheck?.comparedWith?.length], ['cross-backend', true, 1]);
    }
    // the same shards with ethereumjs's logs digest changed: a 1:1 split with no majority, so both cells are disputed, naming the field
    const bad = clone(e2);
    for (const f of bad.cells[0]!.forks) for (const o of [f.output, ...(f.outputs ?? []).map((x) => x.output)]) if (o && isEvmOutput(o)) o.evm.logsHash = `0x${'ab'.repeat(32)}`;
    const off = mergeShards([{ path: 'a', doc: e1 }, { path: 'b', doc: bad }], { allowPartial: false });
    assert.equal(off.cells.filter((c) => c.status === 'disputed').length, 2);
    for (const c of off.cells) assert.match(c.reason!, /engines disagree on logs with no majority of distinct engines/);
  });

  test('the workflow runs the shards as a matrix, then merges and reports them', () => {
    // No YAML parser among the dependencies: check the shape and the commands as text.
    const yml = readFileSync(join(ROOT, '.github/workflows/bench.yml'), 'utf8');
    assert.ok(!yml.includes('\t'), 'YAML is indented with spaces');
    for (const line of yml.split('\n')) assert.equal((/^ */.exec(line)![0].length) % 2, 0, `indentation: ${line}`);
    const jobs = [...yml.split(/^jobs:\n/m)[1]!.matchAll(/^ {2}([\w-]+):\s*$/gm)].map((m) => m[1]);
    assert.deepEqual(jobs, ['bench', 'merge', 'pages']);
    assert.match(yml, /^on:\n(?: .*\n)*? {2}push:\n {4}branches: \[main\]\n {2}workflow_dispatch:\n {4}inputs:/m);
    assert.match(yml, /default: '--samples 1e3\.\.1e7 --forks 3'/);
    assert.match(yml, /matrix:\n {8}shard: \[1, 2, 3, 4\]/);
    assert.match(yml, /npx jitbench run \$JITBENCH_ARGS --shard \$\{\{ matrix\.shard \}\}\/4 --out results\/shard-\$\{\{ matrix\.shard \}\}\.json --no-progress/);
    assert.match(yml, /node-version: 20/);
    assert.match(yml, /^ {2}merge:\n {4}needs: bench/m);
    assert.match(yml, /npx jitbench merge results\/shard-\*\.json --out results\/merged\.json/);
    assert.match(yml, /npx jitbench report results\/merged\.json --out reports\/merged/);
    assert.match(yml, /actions\/upload-pages-artifact@v\d+\n\s+if: .*refs\/heads\/main/);
    assert.match(yml, /pages: write\n\s+id-token: write/);
    assert.match(yml, /uses: actions\/deploy-pages@v\d+/);
    for (const m of yml.matchAll(/uses: (\S+)/g)) assert.match(m[1]!, /^actions\/[\w-]+@v\d+$/, 'pinned to a major version');
  });
});

/** An edited in-memory copy. */
function variant2(base: ResultsDocument, edit: (d: ResultsDocument) => void): ResultsDocument {
  const d = clone(base);
  edit(d);
  return d;
}
