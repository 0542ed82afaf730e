import { escapeMarkdown as md } from '../util/escape.js';
import { checkedText, fmtMs, fmtN, fmtNum } from '../util/format.js';
import type { ReportModel } from './model.js';
import { familiesOf, groupedFastest, type FamilyHeadline } from './headline.js';

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}

export const fmtInt = (v: number | undefined) => (v === undefined ? '-' : v.toLocaleString('en-US'));

/** The legacy-vs-viaIR rows: gas used, time per call and bytecode size of both pipelines, per engine. */
export function pipelineRows(m: ReportModel): string[][] {
  return m.findings.evmPipelines.map((p) => [
    p.workload, fmtN(p.n), p.series, fmtInt(p.legacy.gasUsed), fmtInt(p.viaIR.gasUsed), fmtMs(p.legacy.p50Ms), fmtMs(p.viaIR.p50Ms),
    `${fmtNum(p.timeRatio)}x`, fmtInt(p.legacy.bytecodeBytes), fmtInt(p.viaIR.bytecodeBytes),
  ]);
}

export const PIPELINE_HEADERS = ['workload', 'n', 'engine', 'gas legacy', 'gas viaIR', 'time legacy', 'time viaIR', 'time viaIR/legacy', 'bytes legacy', 'bytes viaIR'];

/** A Markdown table; every header and cell is literal text (escaped here, so callers pass raw strings). */
function table(headers: string[], rows: string[][]): string {
  return [`| ${headers.map(md).join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(md).join(' | ')} |`)].join('\n');
}

/** The headline table of one scenario family: each backend against the family's fastest. */
export function headlineRows(h: FamilyHeadline): string[][] {
  return h.rows.map((r) => [
    r.series,
    `${r.fastestAt} of ${r.points}`,
    r.ratio ? `${fmtNum(r.ratio.geomean)}x${r.ratio.min !== r.ratio.max ? ` (${fmtNum(r.ratio.min)}-${fmtNum(r.ratio.max)}x)` : ''}` : r.series === h.leader ? 'fastest' : '-',
    r.ratio ? `${fmtNum(r.ratio.lo)} - ${fmtNum(r.ratio.hi)}` : '-',
    r.problems.length ? r.problems.join(', ') : `all ${r.cells} ok`,
  ]);
}

export const HEADLINE_HEADERS = ['backend', 'fastest at (points)', 'time vs fastest (geomean; range over n)', '95% intervals', 'answers'];

/** The findings of a report as Markdown, for a README or a pull request (names, ids and reasons escaped: they come from the results files). */
export function findingsMarkdown(m: ReportModel): string[] {
  const f = m.findings;
  const out: string[] = groupedFastest(f.fastest, familiesOf(m.rows), { n: fmtN, num: (v) => fmtNum(v), ms: fmtMs, name: md });
  // one line per engine and baseline: its speedup on every workload
  for (const [key, list] of groupBy(f.evmSpeedups, (s) => `${s.series}\u0000${s.baseline}`)) {
    const [series, baseline] = key.split('\u0000') as [string, string];
    out.push(`- **${md(series)}** against ${md(baseline)}: ${list.map((s) => `${md(s.scenario)} n=${fmtN(s.n)} ${fmtNum(s.speedup)}x faster (95% interval ${fmtNum(s.lo)} - ${fmtNum(s.hi)}${s.netSpeedup !== undefined ? `; ${fmtNum(s.netSpeedup)}x net of each engine's empty-call time` : ''})`).join(', ')}.`);
  }
  for (const [key, list] of groupBy(f.evmBreakEven, (b) => `${b.series}\u0000${b.baseline}`)) {
    const [series, baseline] = key.split('\u0000') as [string, string];
    out.push(`- **${md(series)}** compiling against ${md(baseline)}: ${list.map((b) => `${md(b.scenario)} n=${fmtN(b.n)} compiles in ${fmtMs(b.compileMs)} and ${b.calls !== undefined ? `pays off after **${fmtInt(b.calls)} calls** (saves ${fmtMs(b.savedMsPerCall)} per call)` : 'never pays off (not faster per call)'}`).join('; ')}.`);
  }
  for (const [w, list] of groupBy(f.evmPipelines, (p) => `${md(p.workload)} n=${fmtN(p.n)}`)) {
    const gas = list.find((p) => p.gasRatio !== undefined);
    out.push(`- **${w}** viaIR against legacy: ${gas ? `gas ${fmtInt(gas.viaIR.gasUsed)} vs ${fmtInt(gas.legacy.gasUsed)} (${fmtNum(gas.gasRatio)}x)` : 'gas not recorded'}; time ${list.map((p) => `${md(p.series)} ${fmtNum(p.timeRatio)}x`).join(', ')}${gas?.legacy.bytecodeBytes !== undefined ? `; bytecode ${fmtInt(gas.viaIR.bytecodeBytes)} vs ${fmtInt(gas.legacy.bytecodeBytes)} bytes` : ''}.`);
  }
  for (const c of f.crossovers) out.push(`- Crossover (${md(c.scenario)}): ${md(c.from)} is fastest up to n=${fmtN(c.nBelow)}, ${md(c.to)} from n=${fmtN(c.nAbove)}.`);
  if (f.tradeoff) out.push(`- Best time/accuracy trade-off: **${md(f.tradeoff.series)} at n=${fmtN(f.tradeoff.n)}** (${fmtMs(f.tradeoff.p50Ms)} per call, |error| ${f.tradeoff.absError!.toExponential(2)}), on a Pareto frontier of ${f.pareto.length} cells.`);
  if (f.flagged.length === 0) out.push('- No cell is flagged: every answer checked out and every cell reached a steady state.');
  for (const x of f.flagged) out.push(`- **${md(x.status.toUpperCase())}** ${md(x.key)}: ${md(x.reason)}`);
  return out;
}

export function reportMarkdown(m: ReportModel): string {
  const envRows = m.machines.map((x) => [x.label, x.environment.hostname, x.environment.cpuModel, String(x.environment.cpuCores), `${x.environment.os.platform} ${x.environment.os.release}`, x.environment.node, x.environment.git ? x.environment.git.commit.slice(0, 10) + (x.environment.git.dirty ? '+' : '') : '-']);
  const cellTable = m.rows.map((r) => [r.scenario, r.series, fmtN(r.n), r.status, fmtMs(r.p50Ms), `${fmtMs(r.ciLoMs)} - ${fmtMs(r.ciHiMs)}`, fmtNum(r.nsPerSample), fmtMs(r.compileMs), fmtMs(r.firstCallMs), r.z === undefined ? '-' : Math.abs(r.z).toFixed(2), checkedText(r), r.warmupClass]);
  const speed = m.findings.speedups.map((s) => [s.series, fmtN(s.n), `${fmtNum(s.speedup)}x`, `${fmtNum(s.lo)} - ${fmtNum(s.hi)}`]);
  const plans = m.runs.map(({ label, doc }) => `- ${md(label)}: ${md(doc.plan.scenarios.join(','))} on ${md(doc.plan.backends.join(','))}, n = ${doc.plan.samples.map(fmtN).join(', ')}, threads ${doc.plan.threads.join(',')}, tiers ${md(doc.plan.tiers.join(','))}, ${doc.plan.forks} fork(s), ${doc.plan.timeMs} ms per cell, isolate ${md(doc.plan.isolate)}, seed ${doc.plan.seed}, shuffle seed ${doc.plan.shuffleSeed}${doc.plan.v8Flags.length ? `, V8 flags ${md(doc.plan.v8Flags.join(' '))}` : ''}`);
  return [
    '# jitbench report',
    '',
    `Generated ${m.generatedAt} from ${m.runs.map((r) => `${md(r.label)} (run ${md(r.doc.runId)}, ${md(r.doc.status)})`).join(', ')}.`,
    '',
    ...m.headlines.flatMap((h) => [`## ${md(h.family)}: ${md(h.leader)} is fastest`, '', `${md(h.scenarios.join(', '))}; each backend's time per call against ${md(h.leader)}'s at the same n.`, '', table(HEADLINE_HEADERS, headlineRows(h)), '']),
    ...(m.missing.length ? ['Not installed on this machine (optional; the command adds it):', '', ...m.missing.map((p) => `- ${md(p.part)} [${md(p.backends.join(', '))}]: \`${p.add}\``), ''] : []),
    '## Findings',
    '',
    ...findingsMarkdown(m),
    '',
    '## Caveats',
    '',
    ...m.findings.caveats.map((c) => `- ${c}`),
    '',
    ...(speed.length ? ['## Speedup over ts', '', table(['backend', 'n', 'speedup', '95% interval'], speed), ''] : []),
    ...(m.findings.evmPipelines.length ? ['## EVM: legacy against viaIR', '', table(PIPELINE_HEADERS, pipelineRows(m)), ''] : []),
    '## Cells',
    '',
    table(['scenario', 'backend', 'n', 'status', 'median/call', '95% CI', 'ns/sample', 'compile', 'first call', '|z|', 'checked calls', 'warm-up'], cellTable),
    '',
    '## Charts',
    '',
    ...m.charts.map((c) => `![${c.title}](charts/${c.id}.svg)`),
    '',
    '## Method and environment',
    '',
    ...plans,
    '',
    table(['run', 'host', 'CPU', 'cores', 'OS', 'Node', 'commit'], envRows),
    '',
    ...Object.entries(m.runs[0]?.doc.method ?? {}).map(([k, v]) => `- ${md(k)}: ${md(String(v))}`),
    '',
  ].join('\n');
}
