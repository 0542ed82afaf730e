import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareCommand, parseThreshold, type CompareArgs } from '../src/cli/commands/compare.js';
import { compareRuns, comparisonMarkdown, comparisonTable, MAX_SAMPLES_PER_SIDE, type CellComparison, type Comparison } from '../src/results/compare.js';
import type { CellStatus, ResultsDocument } from '../src/results/document.js';
import type { Environment } from '../src/results/environment.js';
import { resultsValidator } from '../src/results/load.js';
import { hodgesLehmann, kthPairwiseDifference, mannWhitneyU } from '../src/results/mann-whitney.js';
import { describe as describeSamples, forkSpread } from '../src/metrics/stats.js';
import { seededStream } from '../src/util/seeded-random.js';
import { UsageError } from '../src/util/errors.js';
import './builtins.js';

// ---- fixtures: a schema-valid results document with given cells and samples ----

/** Lognormal per-call times around `medianMs` (sigma on log scale) with rare 1.5x outliers, from a fixed seed. */
function lognormal(medianMs: number, count: number, seed: number, sigma = 0.08): number[] {
  const next = seededStream(seed);
  const u = () => (next() + 0.5) / 2 ** 32; // (0, 1)
  return Array.from({ length: count }, () => {
    const z = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    return medianMs * Math.exp(sigma * z) * (u() < 0.01 ? 1.5 : 1);
  });
}

/** Two forks of `perFork` samples; each fork gets its own small offset, as separate processes do. */
function forksOf(medianMs: number, seed: number, perFork = 1000): number[][] {
  return [0, 1].map((f) => lognormal(medianMs * (1 + (f === 0 ? 0.005 : -0.005)), perFork, seed * 7 + f));
}

interface FixtureCell {
  backend?: string;
  tier?: string;
  threads?: number;
  n?: number;
  status?: CellStatus;
  reason?: string;
  forks: number[][];
  forkStatus?: Array<'ok' | 'error'>;
}

const ENV: Environment = {
  hostname: 'bench-1', cpuModel: 'AMD EPYC', cpuCores: 2, availableParallelism: 2, totalMemoryBytes: 2 ** 34,
  os: { platform: 'linux', release: '6.1', arch: 'x64' }, node: 'v20.20.2', v8: '11.3.244.8-node.38', execArgv: [],
  libraries: { binaryen: '132.0.0' }, git: { commit: '0123456789abcdef0123456789abcdef01234567', dirty: false },
};

function makeDoc(cells: FixtureCell[], opts: { runId?: string; env?: Partial<Environment> } = {}): ResultsDocument {
  const doc: ResultsDocument = {
    schemaVersion: 2,
    tool: { name: 'jitbench', version: '0.1.0' },
    runId: opts.runId ?? '0000abcd',
    status: 'complete',
    startedAt: '2026-11-21T00:00:00.000Z',
    finishedAt: '2026-11-21T00:01:00.000Z',
    command: ['run'],
    plan: {
      scenarios: ['pi'], backends: ['ts', 'wasm'], samples: [1e6], threads: [1], tiers: ['default'], forks: 2,
      seed: 12345, shuffleSeed: 1, isolate: 'process', timeMs: 1000, timeoutMs: 300000, v8Flags: [],
    } as unknown as ResultsDocument['plan'],
    unavailableBackends: [],
    environment: { ...ENV, ...opts.env },
    method: { timer: 't', timing: 't', warmup: 'w', batching: 'b', isolation: 'i', throughput: 't', accuracy: 'a' },
    harnessOverhead: { timerResolutionNs: 40, timedRegionFloorNs: 40, decoratorsPerCallNs: 130, harnessPerCallNs: 700, method: 'm' } as unknown as ResultsDocument['harnessOverhead'],
    cells: cells.map((c) => {
      const backend = c.backend ?? 'ts';
      const tier = c.tier ?? 'default';
      const threads = c.threads ?? 1;
      const n = c.n ?? 1e6;
      const forks = c.forks.map((samples, i) => {
        const stats = describeSamples(samples);
        return {
          status: c.forkStatus?.[i] ?? 'ok', fork: i, pid: 1000 + i, execArgv: [], toolLoadMs: 0, compileMs: 0.1, firstCallMs: 5,
          timeToFirstResultMs: 5.1, batch: 1, warmupCalls: 10, warmupSamples: [], samples, samplesTruncated: false, stats,
          warmupClass: 'flat' as const, samplesPerSecond: n / (stats.p50 / 1e3), nsPerSample: (stats.p50 * 1e6) / n, checkedCalls: samples.length,
          memory: { peakRssBytes: 5e7, heapUsedPeakBytes: 6e6, heapTotalBytes: 9e6, externalBytes: 1e6, arrayBuffersBytes: 1e4 },
          info: {}, wallMs: 1000,
        };
      });
      const ok = forks.filter((f) => f.status === 'ok' && f.samples.length);
      const medians = ok.map((f) => f.stats.p50);
      return {
        key: `pi/${backend}/${tier}/t${threads}/n${n}`, scenario: 'pi', backend, n, seed: 12345, threads, tier, v8Flags: [],
        status: c.status ?? 'ok', ...(c.reason ? { reason: c.reason } : {}),
        ...(ok.length ? {
          summary: {
            forksOk: ok.length, p50Ms: describeSamples(medians).p50, meanMs: 1, rmePct: 1, nsPerSample: 1, samplesPerSecond: 1,
            compileMs: 0.1, firstCallMs: 5, timeToFirstResultMs: 5.1, toolLoadMs: 0, peakRssBytes: 5e7, heapUsedPeakBytes: 6e6,
            forkSpread: forkSpread(medians), warmupClasses: ok.map(() => 'flat' as const), batch: 1, samples: ok.reduce((a, f) => a + f.samples.length, 0),
          },
        } : {}),
        forks,
      } as unknown as ResultsDocument['cells'][number];
    }),
  };
  const validate = resultsValidator();
  assert.ok(validate(JSON.parse(JSON.stringify(doc))), `fixture must be schema-valid: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  return doc;
}

const cell = (c: CellComparison[], backend: string, tier = 'default'): CellComparison => {
  const found = c.find((x) => x.backend === backend && x.tier === tier);
  assert.ok(found, `cell ${backend}/${tier} in the comparison`);
  return found;
};

/** BASE: ts at 2.74 ms and wasm at 0.42 ms per call; HEAD: fresh samples (other seeds), wasm scaled by `wasmFactor`. */
function pair(wasmFactor: number): { base: ResultsDocument; head: ResultsDocument } {
  const base = makeDoc([{ backend: 'ts', forks: forksOf(2.74, 1) }, { backend: 'wasm', forks: forksOf(0.42, 2) }], { runId: 'aaaa0001' });
  const head = makeDoc([{ backend: 'ts', forks: forksOf(2.74, 3) }, { backend: 'wasm', forks: forksOf(0.42 * wasmFactor, 4) }], { runId: 'bbbb0002' });
  return { base, head };
}

// ---- the statistics ----

test('Mann-Whitney: no ties, checked by hand (and against R wilcox.test(exact = FALSE))', () => {
  // y = 4,5,6 all above x = 1,2,3: ranks of y 4+5+6 = 15, U = 15 - 6 = 9 = m*n.
  // E[U] = 4.5, Var U = 3*3*7/12 = 5.25, z = (9 - 4.5 - 0.5)/sqrt(5.25) = 1.7457, p = 2(1 - Phi(z)) = 0.080856.
  const r = mannWhitneyU([1, 2, 3], [4, 5, 6]);
  assert.equal(r.rankSumY, 15);
  assert.equal(r.u, 9);
  assert.equal(r.meanU, 4.5);
  assert.equal(r.varU, 5.25);
  assert.ok(Math.abs(r.z - 4 / Math.sqrt(5.25)) < 1e-12);
  assert.ok(Math.abs(r.p - 0.080856) < 1e-5, `p = ${r.p}`);
  // Swapping the sides flips the sign, not the p-value.
  const s = mannWhitneyU([4, 5, 6], [1, 2, 3]);
  assert.equal(s.u, 0);
  assert.ok(Math.abs(s.z + r.z) < 1e-12 && Math.abs(s.p - r.p) < 1e-12);
});

test('Mann-Whitney: ties get midranks and the tie-corrected variance, checked by hand', () => {
  // Pooled, sorted: 1x 2x 2x 2y 3x 3y 4y 5y. Midranks: 1 -> 1, the three 2s -> 3, the two 3s -> 5.5, 4 -> 7, 5 -> 8.
  // R_y = 3 + 5.5 + 7 + 8 = 23.5, U = 23.5 - 10 = 13.5, E[U] = 8.
  // Ties: (27 - 3) + (8 - 2) = 30; Var U = (16/12)(9 - 30/56) = 11.2857; z = (5.5 - 0.5)/3.35942 = 1.48835; p = 0.13666.
  const r = mannWhitneyU([1, 2, 2, 3], [2, 3, 4, 5]);
  assert.equal(r.rankSumY, 23.5);
  assert.equal(r.u, 13.5);
  assert.ok(Math.abs(r.varU - (16 / 12) * (9 - 30 / 56)) < 1e-12);
  assert.ok(Math.abs(r.z - 1.48835) < 1e-5, `z = ${r.z}`);
  assert.ok(Math.abs(r.p - 0.13666) < 1e-4, `p = ${r.p}`);
  // All values tied: no evidence either way.
  assert.equal(mannWhitneyU([1, 1], [1, 1, 1]).p, 1);
});

test('Hodges-Lehmann: the median of pairwise differences, and exact order statistics with ties', () => {
  // Differences of y = 4,5,6 minus x = 1,2,3: 1 2 2 3 3 3 4 4 5 -> median 3.
  assert.equal(hodgesLehmann([1, 2, 3], [4, 5, 6]).estimate, 3);
  // Order statistics of all pairwise differences against brute force, with many ties.
  const next = seededStream(99);
  for (let trial = 0; trial < 30; trial++) {
    const x = Array.from({ length: 1 + (next() % 12) }, () => next() % 7);
    const y = Array.from({ length: 1 + (next() % 12) }, () => (next() % 9) * 0.5);
    const all = x.flatMap((a) => y.map((b) => b - a)).sort((a, b) => a - b);
    const xs = Float64Array.from(x).sort();
    const ys = Float64Array.from(y).sort();
    for (let k = 1; k <= all.length; k++) assert.equal(kthPairwiseDifference(xs, ys, k), all[k - 1], `trial ${trial}, k ${k}`);
  }
  // Too few values for a 95% interval: open bounds.
  const tiny = hodgesLehmann([1, 2], [3, 4]);
  assert.equal(tiny.lower, -Infinity);
  assert.equal(tiny.upper, Infinity);
  // The interval covers a known shift: y = x + 10 plus noise.
  const x = lognormal(1, 400, 5).map(Math.log);
  const y = lognormal(1.2, 400, 6).map(Math.log);
  const hl = hodgesLehmann(x, y);
  assert.ok(hl.lower < Math.log(1.2) && Math.log(1.2) < hl.upper, JSON.stringify(hl));
});

// ---- verdicts ----

test('HEAD 20% slower on one cell is flagged slower; the other cell is no change', () => {
  const { base, head } = pair(1.2);
  const c = compareRuns(base, head, { thresholdPct: 5 });
  const wasm = cell(c.cells, 'wasm');
  assert.equal(wasm.verdict, 'slower', wasm.note);
  assert.ok(wasm.changePct! > 17 && wasm.changePct! < 23, `change ${wasm.changePct}`);
  assert.ok(wasm.ci95Pct!.lower! > 5 && wasm.ci95Pct!.lower! < 20 && wasm.ci95Pct!.upper! > 20, JSON.stringify(wasm.ci95Pct));
  assert.ok(wasm.pValue! < 1e-6);
  assert.ok(Math.abs(wasm.head!.medianMs! / wasm.base!.medianMs! - 1.2) < 0.03);
  assert.deepEqual(wasm.samplesUsed, { base: 2000, head: 2000 });
  assert.equal(wasm.base!.status, 'ok');
  assert.equal(cell(c.cells, 'ts').verdict, 'no change');
  assert.equal(c.counts.slower, 1);
  assert.deepEqual(c.warnings, []);
  // Deterministic: the same input gives the same document.
  assert.deepEqual(compareRuns(base, head, { thresholdPct: 5 }), c);
});

test('identical runs: no change everywhere, change 0 and p = 1', () => {
  const { base } = pair(1);
  const c = compareRuns(base, base, { thresholdPct: 5 });
  for (const x of c.cells) {
    assert.equal(x.verdict, 'no change');
    assert.equal(x.changePct, 0);
    assert.equal(x.pValue, 1);
    assert.match(x.note, /not significant/);
  }
  assert.equal(c.counts['no change'], 2);
});

test('HEAD 20% faster is flagged faster', () => {
  const { base, head } = pair(0.8);
  const w = cell(compareRuns(base, head, { thresholdPct: 5 }).cells, 'wasm');
  assert.equal(w.verdict, 'faster');
  assert.ok(w.changePct! < -17 && w.changePct! > -23, `change ${w.changePct}`);
  assert.match(w.note, /below -5%/);
});

test('a significant 2% change under a 5% threshold is no change, with the reason', () => {
  const base = makeDoc([{ backend: 'wasm', forks: forksOf(0.42, 2, 5000) }]);
  const head = makeDoc([{ backend: 'wasm', forks: forksOf(0.42 * 1.02, 4, 5000) }]);
  const w = cell(compareRuns(base, head, { thresholdPct: 5 }).cells, 'wasm');
  assert.ok(w.pValue! < 0.05, `the 2% change is significant here: p = ${w.pValue}`);
  assert.equal(w.verdict, 'no change');
  assert.match(w.note, /within the \+\/-5% threshold \(significant/);
  // The same data with a 1% threshold is slower.
  assert.equal(cell(compareRuns(base, head, { thresholdPct: 1 }).cells, 'wasm').verdict, 'slower');
});

test('cells on one side only are listed, never dropped', () => {
  const base = makeDoc([{ backend: 'ts', forks: forksOf(2.74, 1) }, { backend: 'ts', tier: 'jitless', forks: forksOf(160, 2) }]);
  const head = makeDoc([{ backend: 'ts', forks: forksOf(2.74, 3) }, { backend: 'wasm', threads: 2, forks: forksOf(0.21, 4) }]);
  const c = compareRuns(base, head, { thresholdPct: 5 });
  assert.equal(c.cells.length, 3);
  const jitless = cell(c.cells, 'ts', 'jitless');
  assert.equal(jitless.verdict, 'only in base');
  assert.equal(jitless.head, null);
  assert.ok(jitless.base!.medianMs! > 100);
  assert.equal(cell(c.cells, 'wasm').verdict, 'only in head');
  assert.equal(cell(c.cells, 'wasm').key, 'pi/wasm/default/t2/n1000000');
  const md = comparisonMarkdown(c);
  assert.match(md, /\*\*Only in base\*\* \(1\): `pi\/ts\/jitless\/t1\/n1000000`/);
  assert.match(md, /\*\*Only in head\*\* \(1\): `pi\/wasm\/default\/t2\/n1000000`/);
  const text = comparisonTable(c);
  assert.match(text, /only in base \(1\):\ncell\s+status\s+p50\n[- ]+\npi\/ts\/jitless\/t1\/n1000000\s+ok\s+1\d\d ms/);
  assert.match(text, /only in head \(1\):/);
});

test('cells that cannot be compared say why', () => {
  const base = makeDoc([
    { backend: 'ts', forks: forksOf(2.74, 1) },
    { backend: 'wasm', forks: forksOf(0.42, 2) },
    { backend: 'ts', tier: 'no-opt', forks: forksOf(99, 5) },
  ]);
  const head = makeDoc([
    { backend: 'ts', status: 'error', reason: 'child killed after 300 s', forks: [] },
    { backend: 'wasm', status: 'wrong', reason: 'hits 785066 != reference 785067', forks: forksOf(0.42, 4) },
    // status ok but every fork failed: nothing to compare
    { backend: 'ts', tier: 'no-opt', forks: [[], []], forkStatus: ['error', 'error'] },
  ]);
  const c = compareRuns(base, head, { thresholdPct: 5 });
  assert.equal(c.counts['not comparable'], 3);
  assert.equal(cell(c.cells, 'ts').note, 'head status error: child killed after 300 s');
  assert.match(cell(c.cells, 'wasm').note, /^head status wrong: hits/);
  assert.equal(cell(c.cells, 'ts', 'no-opt').note, 'head has no samples from ok forks');
  for (const x of c.cells) assert.equal(x.changePct, null);
  // A suspect cell (statistically unlikely answer) still has valid timings: compared (and the comparison is broken: exit 3).
  const suspect = makeDoc([{ backend: 'wasm', status: 'suspect', forks: forksOf(0.42, 4) }]);
  assert.equal(cell(compareRuns(base, suspect, { thresholdPct: 5 }).cells, 'wasm').verdict, 'no change');
});

test('two samples a side: too few for a 95% interval, so the bounds are open (null), and nothing is flagged', () => {
  const base = makeDoc([{ backend: 'wasm', forks: [[0.42, 0.43]] }]);
  const head = makeDoc([{ backend: 'wasm', forks: [[0.84, 0.86]] }]);
  const c = compareRuns(base, head, { thresholdPct: 5 });
  const w = cell(c.cells, 'wasm');
  assert.equal(w.verdict, 'no change');
  assert.match(w.note, /^not significant \(p = 0\.\d+\)$/);
  assert.deepEqual(w.ci95Pct, { lower: null, upper: null });
  assert.ok(Math.abs(w.changePct! - 100) < 3, `change ${w.changePct}`);
  assert.match(comparisonTable(c), /\[-inf, \+inf\]/);
});

test('samples only from ok forks are pooled', () => {
  const base = makeDoc([{ backend: 'wasm', forks: forksOf(0.42, 2) }]);
  // The error fork's samples (much slower) must not count.
  const head = makeDoc([{ backend: 'wasm', forks: [lognormal(0.42, 1000, 8), lognormal(4.2, 1000, 9)], forkStatus: ['ok', 'error'] }]);
  const w = cell(compareRuns(base, head, { thresholdPct: 5 }).cells, 'wasm');
  assert.equal(w.head!.samples, 1000);
  assert.equal(w.head!.forksOk, 1);
  assert.equal(w.verdict, 'no change');
});

test('different machines are a warning, not an error', () => {
  const { base } = pair(1);
  const head = makeDoc([{ backend: 'ts', forks: forksOf(2.74, 3) }], { env: { hostname: 'laptop', cpuModel: 'Apple M2' } });
  const c = compareRuns(base, head, { thresholdPct: 5 });
  assert.equal(c.warnings.length, 1);
  assert.match(c.warnings[0]!, /different machines \(hostname 'bench-1' vs 'laptop'; cpuModel 'AMD EPYC' vs 'Apple M2'\) for 1 cell/);
  assert.equal(cell(c.cells, 'ts').differentMachines, true);
  assert.match(comparisonTable(c), /^WARNING: BASE and HEAD were measured on different machines/m);
  assert.match(comparisonMarkdown(c), /> \*\*Warning:\*\* BASE and HEAD were measured on different machines/);
});

test('50,000 samples per side compare on a deterministic capped subsample', () => {
  const base = makeDoc([{ backend: 'wasm', forks: [lognormal(0.42, 50000, 11)] }]);
  const head = makeDoc([{ backend: 'wasm', forks: [lognormal(0.42 * 1.1, 50000, 12)] }]);
  const w = cell(compareRuns(base, head, { thresholdPct: 5 }).cells, 'wasm');
  assert.equal(w.verdict, 'slower');
  assert.deepEqual(w.samplesUsed, { base: MAX_SAMPLES_PER_SIDE, head: MAX_SAMPLES_PER_SIDE });
  assert.equal(w.head!.samples, 50000);
  assert.ok(Math.abs(w.changePct! - 10) < 1.5, `change ${w.changePct}`);
});

// ---- CLI handler ----

test('parseThreshold: percent with or without %, from 0 to below 100', () => {
  assert.equal(parseThreshold('5%'), 5);
  assert.equal(parseThreshold('5'), 5);
  assert.equal(parseThreshold('12.5%'), 12.5);
  assert.equal(parseThreshold('0'), 0);
  assert.equal(parseThreshold('99.9%'), 99.9);
  // 100% and above are rejected: a run cannot be 100% faster, so `faster` could never be reported.
  for (const bad of ['-1', 'abc', '', '5%%', '%', '100', '200%', '1e1', '5 percent', 'NaN']) {
    assert.throws(() => parseThreshold(bad), (e: unknown) => e instanceof UsageError
      && e.message === `invalid --threshold '${bad}': expected a percentage from 0 to below 100, e.g. 5% or 2.5`, bad);
  }
});

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  const original = process.stdout.write;
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    return { code: await fn(), out };
  } finally {
    process.stdout.write = original;
  }
}

test('compareCommand end to end: files in, --json / --markdown / table out, exit code', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-compare-'));
  try {
    const { base, head } = pair(1.2);
    head.cells.push(makeDoc([{ backend: 'ts', tier: 'jitless', forks: forksOf(160, 6) }]).cells[0]!);
    const files = { base: join(dir, 'base.json'), head: join(dir, 'head.json') };
    writeFileSync(files.base, JSON.stringify(base));
    writeFileSync(files.head, JSON.stringify(head));
    const args = (o: Partial<CompareArgs>): CompareArgs => ({ ...files, threshold: '5%', json: false, markdown: false, ...o });

    const json = await capture(() => compareCommand(args({ json: true })));
    assert.equal(json.code, 1, 'a slower cell exits 1');
    const doc = JSON.parse(json.out) as Comparison; // stdout is one JSON document and nothing else
    assert.equal(doc.base.file, files.base);
    assert.equal(doc.thresholdPct, 5);
    assert.match(doc.method, /Mann-Whitney U/);
    assert.match(doc.method, /Hodges-Lehmann/);
    assert.deepEqual(doc.cells.map((c) => [c.key, c.verdict]), [
      ['pi/ts/default/t1/n1000000', 'no change'],
      ['pi/ts/jitless/t1/n1000000', 'only in head'],
      ['pi/wasm/default/t1/n1000000', 'slower'],
    ]);

    const md = await capture(() => compareCommand(args({ markdown: true })));
    assert.equal(md.code, 1);
    assert.match(md.out, /^## jitbench compare: 1 slower, 1 no change, 1 only in head\n/);
    assert.match(md.out, /Threshold \+\/-5%\. Each side pools/);
    assert.match(md.out, /\n\| cell \| base p50 \| head p50 \| change \| 95% CI \| p \| verdict \| status b\/h \| note \|\n\|---\|---:\|/);
    assert.match(md.out, /\| `pi\/wasm\/default\/t1\/n1000000` \| 4\d\d us \| 5\d\d us \| \+(19|20|21)\.\d% \| \[\+\d+\.\d%, \+\d+\.\d%\] \| <?[\de.-]+ \| \*\*slower\*\* \| ok\/ok \| significant/);
    assert.match(md.out, /\*\*Only in head\*\* \(1\): `pi\/ts\/jitless\/t1\/n1000000`/);

    const text = await capture(() => compareCommand(args({ threshold: '25' })));
    assert.equal(text.code, 0, 'a 20% slowdown under a 25% threshold is no change: exit 0');
    assert.match(text.out, /pi\/wasm\/default\/t1\/n1000000 .* no change .* within the \+\/-25% threshold/);

    const same = await capture(() => compareCommand(args({ head: files.base })));
    assert.equal(same.code, 0);
    assert.match(same.out, /2 no change \(threshold \+\/-5%\)/);

    writeFileSync(join(dir, 'bad.json'), '{"schemaVersion": 1}');
    await assert.rejects(compareCommand(args({ head: join(dir, 'bad.json') })), (e: unknown) => e instanceof UsageError && /does not match the results schema/.test(e.message));
    await assert.rejects(compareCommand(args({ base: join(dir, 'missing.json') })), (e: unknown) => e instanceof UsageError && /cannot read results file/.test(e.message));
    await assert.rejects(compareCommand(args({ threshold: 'lots' })), UsageError);
    await assert.rejects(compareCommand(args({ json: true, markdown: true })), /--json and --markdown conflict/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compare --markdown: cell keys and host names from the results files are literal Markdown', () => {
  const env = { hostname: 'host_<b>1</b>' };
  const base = makeDoc([{ backend: 'w`a|s*m', forks: forksOf(1, 1) }, { tier: '``x', forks: forksOf(1, 2) }], { env });
  const head = makeDoc([{ backend: 'w`a|s*m', forks: forksOf(1, 3) }], { env });
  const lines = comparisonMarkdown(compareRuns(base, head, { thresholdPct: 5 })).split('\n');
  assert.ok(lines.some((l) => l.startsWith('- **BASE** ') && l.endsWith('on host\\_\\<b>1\\</b> (AMD EPYC, Node v20.20.2)')), lines.join('\n'));
  // a code span longer than the backtick run inside; in the table the pipe is escaped
  const row = lines.find((l) => l.startsWith('| ``pi/w`a\\|s*m/default/t1/n1000000`` |'));
  assert.ok(row, lines.join('\n'));
  const separators = (l: string) => l.match(/(?<!\\)\|/g)?.length;
  assert.equal(separators(row), separators(lines.find((l) => l.startsWith('| cell |'))!), 'the row keeps its columns');
  assert.ok(lines.includes('**Only in base** (1): ```pi/ts/``x/t1/n1000000```'), lines.join('\n'));
});
