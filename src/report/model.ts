import type { ResultsDocument } from '../results/document.js';
import type { Environment } from '../results/environment.js';
import { cellRows, warmupRows, type CellRow } from './data.js';
import { findings, type Findings } from './findings.js';
import { buildCharts, type Chart } from './charts.js';
import { headlines, type FamilyHeadline } from './headline.js';
import type { MissingPartUse } from '../core/types.js';
import { mergeMissingParts } from '../results/missing-parts.js';

/** Everything a report shows, computed once for the HTML and the Markdown. */
export interface ReportModel {
  runs: Array<{ label: string; doc: ResultsDocument }>;
  /** One per machine-run: a plain run, or each shard of a merged run. */
  machines: Array<{ label: string; environment: Environment; runId: string; startedAt: string }>;
  rows: CellRow[];
  findings: Findings;
  charts: Chart[];
  /** The first screen: per scenario family, the fastest backend and how far the others trail it. */
  headlines: FamilyHeadline[];
  /** Optional parts missing on the runs' machines, with the command that adds each. */
  missing: MissingPartUse[];
  generatedAt: string;
}

export function buildModel(runs: Array<{ label: string; doc: ResultsDocument }>): ReportModel {
  const rows = cellRows(runs);
  const f = findings(runs.map((r) => r.doc), rows);
  const machines = runs.flatMap(({ label, doc }) => doc.shards
    ? doc.shards.map((s) => ({ label: `${label} shard ${s.shard.index}/${s.shard.count}`, environment: s.environment, runId: s.runId, startedAt: s.startedAt }))
    : [{ label, environment: doc.environment, runId: doc.runId, startedAt: doc.startedAt }]);
  const missing = mergeMissingParts(runs.flatMap(({ doc }) => doc.missingParts ?? []));
  return { runs, machines, rows, findings: f, charts: buildCharts(rows, warmupRows(runs), f), headlines: headlines(rows), missing, generatedAt: new Date().toISOString() };
}
