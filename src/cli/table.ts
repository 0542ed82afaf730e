import { isExactAccuracy } from '../core/types.js';
import type { CellResult, ResultsDocument } from '../results/document.js';

import { fmtMs, fmtN, fmtNum as fmt } from '../util/format.js';
import { renderTable } from '../util/text-table.js';
import { tierOverheadLines } from '../report/tier-overhead.js';

export { fmtMs, renderTable };


function row(c: CellResult): string[] {
  const s = c.summary;
  return [
    c.scenario, c.backend, c.tier, String(c.threads), fmtN(c.n), c.status,
    fmtMs(s?.compileMs), fmtMs(s?.firstCallMs), fmtMs(s?.p50Ms), s ? `±${fmt(s.rmePct, 2)}%` : '-',
    s && s.forksOk > 1 ? (s.forkSpread.rangePct < 0.01 ? '<0.01%' : `${fmt(s.forkSpread.rangePct, 2)}%`) : '-',
    fmt(s?.nsPerSample), s ? fmt(s.samplesPerSecond / 1e6) : '-',
    c.accuracy ? (isExactAccuracy(c.accuracy) ? '-' : Math.abs(c.accuracy.z).toFixed(2)) : '-',
    c.answerCheck ? (c.answerCheck.matches === false ? 'MISMATCH' : c.answerCheck.disputed ? 'DISPUTED' : c.answerCheck.method === 'statistical' ? 'stat' : c.answerCheck.method === 'unchecked' ? 'unchecked' : c.answerCheck.method === 'cross-backend' && c.answerCheck.expectedHits === undefined ? 'agree' : 'exact') : '-',
  ];
}

/** The summary table printed on stdout after a run, with the reasons of non-ok cells below it. */
export function summaryTable(doc: ResultsDocument): string {
  const headers = ['scenario', 'backend', 'tier', 'thr', 'n', 'status', 'compile', '1st call', 'p50/call', 'rme', 'fork spread', 'ns/sample', 'Msample/s', '|z|', 'answer'];
  const right = [false, false, false, true, true, false, true, true, true, true, true, true, true, true, false];
  const cells = [...doc.cells].sort((a, b) => a.scenario.localeCompare(b.scenario) || a.n - b.n || a.backend.localeCompare(b.backend) || a.tier.localeCompare(b.tier) || a.threads - b.threads);
  const out = [renderTable(headers, cells.map(row), right)];
  const notes = cells.filter((c) => c.reason).map((c) => `  ${c.status.toUpperCase()} ${c.key}: ${c.reason}`);
  if (notes.length) out.push('', ...notes);
  const unchecked = cells.filter((c) => c.summary?.timedCalls !== undefined && c.summary.checkedCalls !== undefined && c.summary.checkedCalls < c.summary.timedCalls);
  if (unchecked.length) out.push(`  answers checked: ${unchecked.map((c) => `${c.key} ${c.summary!.checkedCalls!.toLocaleString('en-US')} of ${c.summary!.timedCalls!.toLocaleString('en-US')} calls`).slice(0, 3).join('; ')}${unchecked.length > 3 ? `; ${unchecked.length - 3} more cells` : ''} (batched calls: the last call of each timed region is checked)`);
  for (const u of doc.unavailableBackends) out.push(`  not run: backend ${u.backend} is unavailable here: ${u.reason}`);
  const o = doc.harnessOverhead;
  out.push('', `harness overhead (this process, default tier): ${o.harnessPerCallNs.toFixed(0)} ns per timed call (decorators ${o.decoratorsPerCallNs.toFixed(0)} ns, timed-region floor ${o.timedRegionFloorNs.toFixed(0)} ns); p50/call = median time per call over the steady state; rme = 95% margin of the mean; fork spread = (max-min)/median of the per-process medians`);
  for (const t of tierOverheadLines(doc)) out.push(`  in the cells' processes, ${t}`);
  return out.join('\n');
}
