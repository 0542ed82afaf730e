import { loadResults } from '../../results/load.js';
import { mergeShards } from '../../results/merge.js';
import type { ResultsDocument } from '../../results/document.js';
import { writeResults } from '../../results/write.js';
import { runExitCode, runExitReason } from '../../results/verdict.js';
import { UsageError } from '../../util/errors.js';
import { loadRecordedPlugins } from '../plugins.js';

export interface MergeArgs {
  files: string[];
  out: string;
  allowPartial: boolean;
  json: boolean;
}

/** One line: shards present, cells by status, machines (distinct host + CPU), where it went. */
function summary(doc: ResultsDocument, out: string): string {
  const shards = doc.shards ?? [];
  const count = shards[0]?.shard.count ?? 0;
  const byStatus = new Map<string, number>();
  for (const c of doc.cells) byStatus.set(c.status, (byStatus.get(c.status) ?? 0) + 1);
  const statuses = [...byStatus].map(([s, k]) => `${k} ${s}`).join(', ');
  const machines = new Set(shards.map((s) => `${s.environment.hostname}\u0000${s.environment.cpuModel}`)).size;
  return `merged ${shards.length}/${count} shards: ${doc.cells.length} cells (${statuses}) from ${machines} machine${machines === 1 ? '' : 's'}, status ${doc.status} -> ${out}`;
}

/**
 * jitbench merge A B ... --out FILE: joins shard results into one document (rules in
 * src/results/merge.ts). Only `out` is written: results/latest.json stays the last local run.
 * Exit codes as for run (src/results/verdict.ts), judged on the merged cells: 1 a wrong, disputed or
 * suspect answer, 3 no cell measured, 4 some cells errored; an interrupted shard does not make it 130.
 */
export async function mergeCommand(a: MergeArgs): Promise<number> {
  if (!a.out) throw new UsageError('jitbench merge needs --out FILE: where the merged results go');
  const inputs = a.files.map((path) => ({ path, doc: loadResults(path) }));
  for (const note of await loadRecordedPlugins(inputs.flatMap((i) => i.doc.plan.plugins ?? []))) process.stderr.write(`note: ${note}\n`);
  const doc = mergeShards(inputs, { allowPartial: a.allowPartial });
  writeResults([a.out], doc);
  if (a.json) process.stdout.write(`${JSON.stringify(doc)}\n`);
  process.stderr.write(`${summary(doc, a.out)}\n`);
  const why = runExitReason({ ...doc, status: 'complete' });
  if (why) process.stderr.write(`${why}\n`);
  return runExitCode({ ...doc, status: 'complete' });
}
