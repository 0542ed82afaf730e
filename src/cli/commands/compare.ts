import { compareExitCode, compareRuns, comparisonMarkdown, comparisonTable } from '../../results/compare.js';
import { loadResults } from '../../results/load.js';
import { UsageError } from '../../util/errors.js';
import { loadRecordedPlugins } from '../plugins.js';

export interface CompareArgs {
  base: string;
  head: string;
  threshold: string;
  json: boolean;
  markdown: boolean;
}

export const DEFAULT_THRESHOLD = '5%';

/**
 * `--threshold 5%` or `--threshold 5`: a percentage from 0 up to, not including, 100.
 * 100% and above are rejected because no run can be 100% faster, so `faster` could never
 * be reported (and a 2x slowdown is already +100%).
 */
export function parseThreshold(text: string): number {
  const t = String(text).trim();
  const m = /^(\d+(?:\.\d*)?|\.\d+)%?$/.exec(t);
  const v = m ? Number(m[1]) : NaN;
  if (!(Number.isFinite(v) && v >= 0 && v < 100)) {
    throw new UsageError(`invalid --threshold '${text}': expected a percentage from 0 to below 100, e.g. 5% or 2.5`);
  }
  return v;
}

/** jitbench compare BASE HEAD: prints the comparison; exit 3 when a HEAD cell is broken or a cell vanished, else 1 when a cell got slower. */
export async function compareCommand(a: CompareArgs): Promise<number> {
  const thresholdPct = parseThreshold(a.threshold ?? DEFAULT_THRESHOLD);
  if (a.json && a.markdown) throw new UsageError('--json and --markdown conflict: choose one output format');
  const base = loadResults(a.base);
  const head = loadResults(a.head);
  for (const note of await loadRecordedPlugins([...(base.plan.plugins ?? []), ...(head.plan.plugins ?? [])])) process.stderr.write(`note: ${note}\n`);
  const c = compareRuns(base, head, { thresholdPct });
  c.base.file = a.base;
  c.head.file = a.head;
  const text = a.json ? JSON.stringify(c, null, 2) : a.markdown ? comparisonMarkdown(c) : comparisonTable(c);
  process.stdout.write(`${text}\n`);
  return compareExitCode(c);
}
