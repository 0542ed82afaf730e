import { basename, join } from 'node:path';
import { loadResults } from '../../results/load.js';
import { writeReport } from '../../report/write-report.js';
import { loadRecordedPlugins } from '../plugins.js';

export interface ReportArgs {
  results: string[];
  out?: string;
}

export const DEFAULT_RESULTS = join('results', 'latest.json');
export const DEFAULT_REPORT_DIR = join('reports', 'latest');

/** jitbench report [RESULTS...] [--out DIR]: the latest run into reports/latest/ by default. */
export async function reportCommand(a: ReportArgs): Promise<number> {
  const files = a.results.length ? a.results : [DEFAULT_RESULTS];
  const runs = files.map((path) => ({ label: files.length > 1 ? basename(path) : basename(path, '.json'), doc: loadResults(path) }));
  // the run's own plugins: their scenarios' charts, columns and answer rules
  for (const note of await loadRecordedPlugins(runs.flatMap((r) => r.doc.plan.plugins ?? []))) process.stderr.write(`note: ${note}\n`);
  const written = await writeReport(runs, a.out ?? DEFAULT_REPORT_DIR);
  process.stderr.write(`report: ${written.html} (${written.charts.length} charts; summary ${written.markdown})\n`);
  return 0;
}
