import type { ResultsDocument } from '../results/document.js';
import type { Environment } from '../results/environment.js';
import { cellRows, warmupRows, type CellRow } from './data.js';
import { findings, type Findings } from './findings.js';
import { buildCharts, type Chart } from './charts.js';

/** Everything a report shows, computed once for the HTML and the Markdown. */
export interface ReportModel {
  runs: Array<{ label: string; doc: ResultsDocument }>;
  /** One per machine-run: a plain run, or each shard of a merged run. */
  machines: Array<{ label: string; environment: Environment; runId: string; startedAt: string }>;
  rows: CellRow[];
  findings: Findings;
  charts: Chart[];
  generatedAt: string;
}

export function buildModel(runs: Array<{ label: string; doc: ResultsDocument }>): ReportModel {
  const rows = cellRows(runs);
  const f = findings(runs.map((r) => r.doc), rows);
  const machines = runs.flatMap(({ label, doc }) => doc.shards
    ? doc.shards.map((s) => ({ label: `${label} shard ${s.shard.index}/${s.shard.count}`, environment: s.environment, runId: s.runId, startedAt: s.startedAt }))
    : [{ label, environment: doc.environment, runId: doc.runId, startedAt: doc.startedAt }]);
  return { runs, machines, rows, findings: f, charts: buildCharts(rows, warmupRows(runs), f), generatedAt: new Date().toISOString() };
}
