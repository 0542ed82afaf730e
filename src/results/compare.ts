import { fmtMs } from '../util/format.js';
import { renderTable } from '../util/text-table.js';
import { escapeMarkdown, markdownCode } from '../util/escape.js';
import type { CellResult, CellStatus, ResultsDocument } from './document.js';
import type { Environment } from './environment.js';
import { hodgesLehmann, mannWhitneyU } from './mann-whitney.js';
import { BAD_ANSWER, EXIT, isMeasured } from './verdict.js';

/** Significance level of the per-cell test (no correction for the number of cells: the threshold guards). */
export const ALPHA = 0.05;
/**
 * Values per side fed to the test and the CI. Both are O((m+n) log) here, so the cap is
 * only there to bound the time per cell (~0.1 s at this size); runs keep up to 50,000
 * samples per fork.
 */
export const MAX_SAMPLES_PER_SIDE = 20_000;

export type Verdict = 'slower' | 'faster' | 'no change' | 'not comparable' | 'only in base' | 'only in head';
export const VERDICTS: readonly Verdict[] = ['slower', 'faster', 'no change', 'not comparable', 'only in base', 'only in head'];

export interface SideFacts {
  status: CellStatus;
  reason?: string;
  forksOk: number;
  /** Raw samples pooled over the ok forks. */
  samples: number;
  /** Median of the pooled samples, ms per call (null without samples). */
  medianMs: number | null;
}

export interface CellComparison {
  key: string;
  scenario: string;
  backend: string;
  tier: string;
  threads: number;
  n: number;
  verdict: Verdict;
  /** Why the verdict: significance and threshold, or why the cell cannot be compared. */
  note: string;
  base: SideFacts | null;
  head: SideFacts | null;
  /** Hodges-Lehmann estimate of HEAD/BASE time per call - 1, percent (+ = HEAD slower). */
  changePct: number | null;
  /** 95% CI of changePct; a bound is null when the samples are too few for it. */
  ci95Pct: { lower: number | null; upper: number | null } | null;
  /** Two-sided Mann-Whitney p-value. */
  pValue: number | null;
  /** Values per side the test and CI used (after the deterministic cap). */
  samplesUsed: { base: number; head: number } | null;
  /** The two sides were measured on machines that differ in hostname, CPU model or Node. */
  differentMachines: boolean;
}

export interface RunRef {
  runId: string;
  startedAt: string;
  status: ResultsDocument['status'];
  commit: string | null;
  dirty: boolean | null;
  hostname: string;
  cpuModel: string;
  node: string;
  /** The results file, when compared from files. */
  file?: string;
}

export interface Comparison {
  base: RunRef;
  head: RunRef;
  thresholdPct: number;
  alpha: number;
  maxSamplesPerSide: number;
  method: string;
  warnings: string[];
  counts: Record<Verdict, number>;
  cells: CellComparison[];
  /** HEAD cells that are wrong, disputed, suspect or errored, and BASE cells that HEAD no longer measures. */
  broken: Array<{ key: string; why: string }>;
}

// a suspect cell's timings are real (its answer is in doubt, which makes the comparison broken, not incomparable)
const COMPARABLE: readonly CellStatus[] = ['ok', 'unchecked', 'suspect'];
const MACHINE_FIELDS = ['hostname', 'cpuModel', 'node'] as const;

function methodText(thresholdPct: number): string {
  return 'Each side pools the raw per-call samples of its ok forks; medians are of the pooled samples. '
    + 'Change = Hodges-Lehmann estimate of the HEAD/BASE time ratio (the median of all pairwise differences of log time, exponentiated; '
    + 'the ratio of medians when HEAD is BASE scaled), with its distribution-free 95% CI from inverting the Mann-Whitney test. '
    + `Significance: two-sided Mann-Whitney U test (normal approximation, continuity and tie correction), p < ${ALPHA}, no correction for the number of cells. `
    + `Verdict: slower / faster when significant and the change is beyond +/-${thresholdPct}%, else no change. `
    + `Above ${MAX_SAMPLES_PER_SIDE} samples a side, an evenly strided (deterministic) subsample of ${MAX_SAMPLES_PER_SIDE} feeds the test and the CI. `
    + 'Samples are treated as independent: variation between processes (fork spread) is not in the p-value, which is why a change must also pass the threshold.';
}

/** Cells are matched on these fields; `key` names them in the output. */
function matchKey(c: CellResult): string {
  return JSON.stringify([c.scenario, c.backend, c.tier, c.threads, c.n]);
}

/** The machine that measured a cell: its shard's in a merged document, else the run's. */
function cellEnvironment(doc: ResultsDocument, cell: CellResult): Environment {
  const shard = cell.shard === undefined ? undefined : doc.shards?.find((s) => s.shard.index === cell.shard);
  return shard?.environment ?? doc.environment;
}

function machineDiffs(a: Environment, b: Environment): string[] {
  return MACHINE_FIELDS.filter((f) => a[f] !== b[f]).map((f) => `${f} '${a[f]}' vs '${b[f]}'`);
}

function pooledSamples(cell: CellResult): { values: number[]; forksOk: number } {
  const ok = cell.forks.filter((f) => f.status === 'ok');
  return { values: ok.flatMap((f) => f.samples).filter((v) => Number.isFinite(v)), forksOk: ok.length };
}

function median(sorted: Float64Array): number {
  const h = sorted.length >> 1;
  return sorted.length % 2 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
}

/** Every k-th value so the cap spans all forks and the whole run, not just its start. */
function strided(values: number[], cap: number): number[] {
  if (values.length <= cap) return values;
  return Array.from({ length: cap }, (_, i) => values[Math.floor(((i + 0.5) * values.length) / cap)]!);
}

function side(cell: CellResult, values: number[], forksOk: number): SideFacts {
  const facts: SideFacts = { status: cell.status, forksOk, samples: values.length, medianMs: values.length ? median(Float64Array.from(values).sort()) : null };
  if (cell.reason !== undefined) facts.reason = cell.reason;
  return facts;
}

function whyNotComparable(name: 'base' | 'head', cell: CellResult, values: number[]): string | undefined {
  if (!COMPARABLE.includes(cell.status)) return `${name} status ${cell.status}${cell.reason ? `: ${cell.reason}` : ''}`;
  if (values.length === 0) return `${name} has no samples from ok forks`;
  if (values.some((v) => v <= 0)) return `${name} has samples <= 0 ms (timer resolution), the ratio is undefined`;
  return undefined;
}

/** A shift of log time as a percent change of time; an open CI bound (+/-Infinity) is null. */
const pctOfLog = (d: number): number | null => (Number.isFinite(d) ? Math.expm1(d) * 100 : null);

function compareCell(b: CellResult, h: CellResult, thresholdPct: number, differentMachines: boolean): CellComparison {
  const pb = pooledSamples(b);
  const ph = pooledSamples(h);
  const out: CellComparison = {
    key: h.key, scenario: h.scenario, backend: h.backend, tier: h.tier, threads: h.threads, n: h.n,
    verdict: 'not comparable', note: '', base: side(b, pb.values, pb.forksOk), head: side(h, ph.values, ph.forksOk),
    changePct: null, ci95Pct: null, pValue: null, samplesUsed: null, differentMachines,
  };
  const why = whyNotComparable('base', b, pb.values) ?? whyNotComparable('head', h, ph.values);
  if (why) return { ...out, note: why };

  // On log time a slowdown by a factor is a shift, so the shift estimate is a ratio.
  const xb = strided(pb.values, MAX_SAMPLES_PER_SIDE).map(Math.log);
  const xh = strided(ph.values, MAX_SAMPLES_PER_SIDE).map(Math.log);
  const test = mannWhitneyU(xb, xh);
  const hl = hodgesLehmann(xb, xh);
  const changePct = pctOfLog(hl.estimate)!;
  const significant = test.p < ALPHA;
  const pf = fmtP(test.p);
  const pText = pf.startsWith('<') ? `p < ${pf.slice(1)}` : `p = ${pf}`;
  let verdict: Verdict = 'no change';
  let note: string;
  if (significant && changePct > thresholdPct) { verdict = 'slower'; note = `significant (${pText}), above +${thresholdPct}%`; }
  else if (significant && changePct < -thresholdPct) { verdict = 'faster'; note = `significant (${pText}), below -${thresholdPct}%`; }
  else if (significant) note = `within the +/-${thresholdPct}% threshold (significant, ${pText})`;
  else note = `not significant (${pText})`;
  return {
    ...out, verdict, note, changePct,
    ci95Pct: { lower: pctOfLog(hl.lower), upper: pctOfLog(hl.upper) },
    pValue: test.p,
    samplesUsed: { base: xb.length, head: xh.length },
  };
}

function runRef(doc: ResultsDocument): RunRef {
  const e = doc.environment;
  return {
    runId: doc.runId, startedAt: doc.startedAt, status: doc.status,
    commit: e.git?.commit ?? null, dirty: e.git?.dirty ?? null,
    hostname: e.hostname, cpuModel: e.cpuModel, node: e.node,
  };
}

function onlyOne(cell: CellResult, verdict: 'only in base' | 'only in head'): CellComparison {
  const p = pooledSamples(cell);
  const facts = side(cell, p.values, p.forksOk);
  return {
    key: cell.key, scenario: cell.scenario, backend: cell.backend, tier: cell.tier, threads: cell.threads, n: cell.n,
    verdict, note: verdict === 'only in base' ? 'not in HEAD' : 'not in BASE',
    base: verdict === 'only in base' ? facts : null, head: verdict === 'only in head' ? facts : null,
    changePct: null, ci95Pct: null, pValue: null, samplesUsed: null, differentMachines: false,
  };
}

function byCell(doc: ResultsDocument, name: string, warnings: string[]): Map<string, CellResult> {
  const map = new Map<string, CellResult>();
  for (const c of doc.cells) {
    const k = matchKey(c);
    if (map.has(k)) warnings.push(`${name} has cell ${c.key} twice; the first one is compared`);
    else map.set(k, c);
  }
  return map;
}

/** Compares every cell of HEAD with the matching cell of BASE (see methodText for the method). */
export function compareRuns(base: ResultsDocument, head: ResultsDocument, opts: { thresholdPct: number }): Comparison {
  const warnings: string[] = [];
  for (const [name, doc] of [['BASE', base], ['HEAD', head]] as const) {
    if (doc.status !== 'complete') warnings.push(`${name} run ${doc.runId} is ${doc.status}: cells it did not finish are not comparable or missing`);
  }
  const bm = byCell(base, 'BASE', warnings);
  const hm = byCell(head, 'HEAD', warnings);
  const cells: CellComparison[] = [];
  const machineNotes = new Set<string>();
  for (const [k, b] of bm) {
    const h = hm.get(k);
    if (!h) { cells.push(onlyOne(b, 'only in base')); continue; }
    const diffs = machineDiffs(cellEnvironment(base, b), cellEnvironment(head, h));
    diffs.forEach((d) => machineNotes.add(d));
    cells.push(compareCell(b, h, opts.thresholdPct, diffs.length > 0));
  }
  for (const [k, h] of hm) if (!bm.has(k)) cells.push(onlyOne(h, 'only in head'));
  if (machineNotes.size) {
    const n = cells.filter((c) => c.differentMachines).length;
    warnings.push(`BASE and HEAD were measured on different machines (${[...machineNotes].join('; ')}) for ${n} cell(s): those changes mix machine and code`);
  }
  if (bm.size && hm.size && !cells.some((c) => c.base && c.head)) warnings.push('BASE and HEAD have no cell in common');
  cells.sort((a, b) => a.scenario.localeCompare(b.scenario) || a.n - b.n || a.backend.localeCompare(b.backend) || a.tier.localeCompare(b.tier) || a.threads - b.threads);
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, cells.filter((c) => c.verdict === v).length])) as Record<Verdict, number>;
  return {
    base: runRef(base), head: runRef(head), thresholdPct: opts.thresholdPct, alpha: ALPHA,
    maxSamplesPerSide: MAX_SAMPLES_PER_SIDE, method: methodText(opts.thresholdPct), warnings, counts, cells, broken: brokenCells(bm, hm),
  };
}

/** What a CI must not let pass whatever the timings say: a bad HEAD cell, or a measured BASE cell HEAD lost. */
function brokenCells(bm: Map<string, CellResult>, hm: Map<string, CellResult>): Comparison['broken'] {
  const out: Comparison['broken'] = [];
  for (const h of hm.values()) {
    if (BAD_ANSWER.includes(h.status) || h.status === 'error') out.push({ key: h.key, why: `HEAD is ${h.status}${h.reason ? `: ${h.reason}` : ''}` });
  }
  for (const [k, b] of bm) {
    const h = hm.get(k);
    if (!isMeasured(b)) continue;
    if (!h) out.push({ key: b.key, why: 'measured in BASE, missing in HEAD' });
    else if (h.status === 'skipped' || h.status === 'pending') out.push({ key: b.key, why: `measured in BASE, ${h.status} in HEAD${h.reason ? `: ${h.reason}` : ''}` });
  }
  return out;
}

/** The exit code of a comparison: broken cells outrank a slowdown (see EXIT). */
export function compareExitCode(c: Comparison): number {
  if (c.broken.length > 0) return EXIT.broken;
  return c.counts.slower > 0 ? EXIT.failure : EXIT.ok;
}

// ---- rendering ----

export function fmtP(p: number | null): string {
  if (p === null) return '-';
  if (p < 1e-16) return '<1e-16'; // that far out in the normal tail the value has no meaning left
  if (p < 1e-4) return p.toExponential(0);
  return p < 0.01 ? p.toFixed(4) : p.toFixed(2);
}

function fmtPct(v: number | null | undefined, open = '-inf'): string {
  if (v === null || v === undefined) return open;
  const digits = Math.abs(v) < 1 ? 2 : 1;
  return `${v > 0 ? '+' : ''}${v.toFixed(digits)}%`;
}

function fmtCi(c: CellComparison): string {
  return c.ci95Pct ? `[${fmtPct(c.ci95Pct.lower, '-inf')}, ${fmtPct(c.ci95Pct.upper, '+inf')}]` : '-';
}

function statusPair(c: CellComparison): string {
  return `${c.base?.status ?? '-'}/${c.head?.status ?? '-'}`;
}

function runText(r: RunRef): string {
  const commit = r.commit ? ` commit ${r.commit.slice(0, 10)}${r.dirty ? ' (dirty)' : ''}` : '';
  return `${r.file ?? r.runId}: run ${r.runId}, ${r.startedAt},${commit} on ${r.hostname} (${r.cpuModel}, Node ${r.node})`;
}

function runLine(name: string, r: RunRef): string {
  return `${name} ${runText(r)}`;
}

function countsLine(c: Comparison): string {
  return VERDICTS.filter((v) => c.counts[v] > 0).map((v) => `${c.counts[v]} ${v}`).join(', ') || 'no cells';
}

function tableRow(c: CellComparison): string[] {
  return [c.key, fmtMs(c.base?.medianMs ?? undefined), fmtMs(c.head?.medianMs ?? undefined), c.changePct === null ? '-' : fmtPct(c.changePct),
    fmtCi(c), fmtP(c.pValue), c.verdict, statusPair(c), c.note];
}

const HEADERS = ['cell', 'base p50', 'head p50', 'change', '95% CI', 'p', 'verdict', 'status b/h', 'note'];
const RIGHT = [false, true, true, true, true, true, false, false, false];

function oneSided(c: Comparison, v: 'only in base' | 'only in head'): CellComparison[] {
  return c.cells.filter((x) => x.verdict === v);
}

/** The plain-text report printed on stdout by default. */
export function comparisonTable(c: Comparison): string {
  const out = [runLine('BASE', c.base), runLine('HEAD', c.head)];
  for (const w of c.warnings) out.push(`WARNING: ${w}`);
  const both = c.cells.filter((x) => x.base && x.head);
  out.push('', both.length ? renderTable(HEADERS, both.map(tableRow), RIGHT) : '(no cells in common)');
  for (const v of ['only in base', 'only in head'] as const) {
    const list = oneSided(c, v);
    if (!list.length) continue;
    const rows = list.map((x) => { const s = (x.base ?? x.head)!; return [x.key, s.status, fmtMs(s.medianMs ?? undefined)]; });
    out.push('', `${v} (${list.length}):`, renderTable(['cell', 'status', 'p50'], rows, [false, false, true]));
  }
  if (c.broken.length) out.push('', `BROKEN (${c.broken.length}): exit ${EXIT.broken}`, ...c.broken.map((b) => `  ${b.key}: ${b.why}`));
  out.push('', `${countsLine(c)} (threshold +/-${c.thresholdPct}%)`, `method: ${c.method}`);
  return out.join('\n');
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|');

/** A Markdown report for a pull request: heading, method, table, one-side-only cells. */
export function comparisonMarkdown(c: Comparison): string {
  const out = [`## jitbench compare: ${countsLine(c)}`, '', `- **BASE** ${escapeMarkdown(runText(c.base))}`, `- **HEAD** ${escapeMarkdown(runText(c.head))}`];
  for (const w of c.warnings) out.push('', `> **Warning:** ${escapeMarkdown(w)}`);
  out.push('', `Threshold +/-${c.thresholdPct}%. ${c.method}`, '');
  const both = c.cells.filter((x) => x.base && x.head);
  if (both.length) {
    out.push(`| ${HEADERS.join(' | ')} |`, `|${RIGHT.map((r) => (r ? '---:' : '---')).join('|')}|`);
    for (const x of both) {
      // numbers as they are; the text from the results files escaped
      const r = tableRow(x).map(mdCell);
      r[0] = markdownCode(x.key, true);
      r[7] = escapeMarkdown(statusPair(x));
      r[8] = escapeMarkdown(x.note);
      if (x.verdict === 'slower' || x.verdict === 'faster') r[6] = `**${r[6]}**`;
      out.push(`| ${r.join(' | ')} |`);
    }
  } else out.push('_No cells in common._');
  for (const v of ['only in base', 'only in head'] as const) {
    const list = oneSided(c, v);
    if (list.length) out.push('', `**${v[0]!.toUpperCase()}${v.slice(1)}** (${list.length}): ${list.map((x) => markdownCode(x.key, false)).join(', ')}`);
  }
  if (c.broken.length) out.push('', `**Broken** (${c.broken.length}, exit ${EXIT.broken}):`, ...c.broken.map((b) => `- \`${mdCell(b.key)}\`: ${mdCell(b.why)}`));
  return out.join('\n');
}
