/**
 * `npm run report:evm-corpus -- RESULTS.json`: the corpus speed table of docs/evm-corpus.md from a
 * results file of `jitbench run --scenario evm:corpus --backend evm-interp,evm-native,ethereumjs,revm`.
 * Per workload: gas, each engine's median per call (the median of its fork medians, as the report),
 * evm-native's Mgas/s, revm raw and net (EDR's own execution time, `info.edrExecutionUs`), and the
 * ratios with 95% hierarchical-bootstrap intervals (src/metrics/bootstrap.ts); then the geometric means.
 */
import { bootstrapMedians, medianOfForkMedians, ratioInterval, seedOf } from '../../../src/metrics/bootstrap.js';
import { loadResults } from '../../../src/results/load.js';
import type { CellResult, ResultsDocument } from '../../../src/results/document.js';
import { isEvmOutput } from '../../../src/core/types.js';

function fmtMs(ms: number): string {
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toPrecision(3)} ms`;
  return `${(ms * 1000).toPrecision(3)} us`;
}
const fmtX = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toPrecision(3));

const okSamples = (c: CellResult): number[][] => c.forks.filter((f) => f.status === 'ok').map((f) => f.samples);
const medianOf = (c: CellResult): number => medianOfForkMedians(okSamples(c));

/** EDR's own execution time per call, ms: the median over the cell's forks. */
function revmNetMs(c: CellResult): number | undefined {
  const us = c.forks.map((f) => f.info['edrExecutionUs']).filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
  if (us.length === 0) return undefined;
  const mid = us.length >> 1;
  return (us.length % 2 === 1 ? us[mid]! : (us[mid - 1]! + us[mid]!) / 2) / 1000;
}

/** "b / a (lo-hi)": how many times faster `a` is than `b`, with its interval. */
function speedup(a: CellResult, b: CellResult): { ratio: number; text: string } {
  const ratio = medianOf(b) / medianOf(a);
  const [lo, hi] = ratioInterval(bootstrapMedians(okSamples(b), seedOf(b.key)), bootstrapMedians(okSamples(a), seedOf(a.key)));
  return { ratio, text: `${fmtX(ratio)}x (${fmtX(lo)}-${fmtX(hi)})` };
}

const geomean = (xs: number[]): number => Math.exp(xs.reduce((s, v) => s + Math.log(v), 0) / xs.length);

export function corpusSpeedTable(doc: ResultsDocument): string {
  const cells = new Map(doc.cells.map((c) => [`${c.scenario}|${c.backend}`, c]));
  const ok = (scenario: string, engine: string): CellResult | undefined => {
    const c = cells.get(`${scenario}|${engine}`);
    return c && c.status === 'ok' ? c : undefined;
  };
  const lines = [
    '| workload | gas | evm-interp | evm-native (Mgas/s) | ethereumjs | revm raw / net | native vs revm raw (95% CI) | native vs revm net | native vs interp (95% CI) | interp vs ethereumjs (95% CI) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const means = { raw: [] as number[], net: [] as number[], interp: [] as number[] };
  for (const scenario of [...new Set(doc.cells.map((c) => c.scenario))]) {
    const native = ok(scenario, 'evm-native');
    const interp = ok(scenario, 'evm-interp');
    if (!native || !interp) continue;
    const shown = (engine: string): string => {
      const c = ok(scenario, engine);
      return c ? fmtMs(medianOf(c)) : (cells.get(`${scenario}|${engine}`)?.status ?? '-');
    };
    const gas = native.output && isEvmOutput(native.output) ? native.output.evm.gasUsed : undefined;
    const mgas = gas === undefined ? '' : ` (${(gas / 1e3 / medianOf(native)).toFixed(0)})`;
    const revm = ok(scenario, 'revm');
    const net = revm ? revmNetMs(revm) : undefined;
    const raw = revm ? speedup(native, revm) : undefined;
    const vsInterp = speedup(native, interp);
    const eth = ok(scenario, 'ethereumjs');
    if (raw) means.raw.push(raw.ratio);
    if (net !== undefined) means.net.push(net / medianOf(native));
    means.interp.push(vsInterp.ratio);
    lines.push(
      `| ${scenario} (${native.n}) | ${gas?.toLocaleString('en-US') ?? '-'} | ${shown('evm-interp')} | ${shown('evm-native')}${mgas} | ${shown('ethereumjs')} | ${revm ? `${fmtMs(medianOf(revm))} / ${net === undefined ? '-' : fmtMs(net)}` : shown('revm')} | ${raw?.text ?? '-'} | ${net === undefined ? '-' : `${fmtX(net / medianOf(native))}x`} | ${vsInterp.text} | ${eth ? speedup(interp, eth).text : '-'} |`,
    );
  }
  const gm = (xs: number[]) => (xs.length === 0 ? '-' : `${fmtX(geomean(xs))}x`);
  lines.push('', `geomean over ${means.interp.length} workloads: native vs revm raw ${gm(means.raw)}, vs revm net ${gm(means.net)}, vs evm-interp ${gm(means.interp)}`);
  return lines.join('\n') + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: npm run report:evm-corpus -- RESULTS.json (a run of --scenario evm:corpus)\n');
    process.exit(2);
  }
  try {
    process.stdout.write(corpusSpeedTable(loadResults(file)));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
}
