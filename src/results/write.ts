import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { findScenario } from '../core/registry.js';
import { isExactAccuracy, type KernelOutput } from '../core/types.js';
import { csvField } from '../util/escape.js';
import type { ResultsDocument } from './document.js';

/** Writes a file so readers see the old or the new content, never half of one: temp file, then rename. */
export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

export function writeResults(paths: readonly string[], doc: ResultsDocument): void {
  // Compact: the raw samples make up most of the file (pretty-print with jq when reading).
  const text = `${JSON.stringify(doc)}\n`;
  for (const p of paths) writeFileAtomic(p, text);
}

/** The columns of every CSV; each scenario may add its own after them (Scenario.columns: pi's hits, EVM status, return data, gas). */
export const CSV_COLUMNS = [
  'scenario', 'backend', 'tier', 'threads', 'n', 'seed', 'status', 'reason', 'forks_ok', 'p50_ms', 'mean_ms', 'rme_pct',
  'ns_per_sample', 'samples_per_s', 'compile_ms', 'first_call_ms', 'time_to_first_result_ms', 'tool_load_ms',
  'fork_spread_pct', 'peak_rss_bytes', 'estimate', 'abs_error', 'z', 'answer_check', 'v8_flags',
] as const;

/** One row per cell, the summary numbers only (raw samples stay in the JSON). */
export function resultsCsv(doc: ResultsDocument): string {
  const scenarioOf = (id: string) => findScenario(id, doc.plan.cases?.[id]);
  const extra = new Map<string, (o: KernelOutput) => unknown>();
  for (const id of new Set(doc.cells.map((c) => c.scenario))) {
    for (const [name, read] of Object.entries(scenarioOf(id)?.columns ?? {})) if (!extra.has(name)) extra.set(name, read);
  }
  const rows = doc.cells.map((c) => {
    const stat = c.accuracy && !isExactAccuracy(c.accuracy) ? c.accuracy : undefined;
    const own = scenarioOf(c.scenario)?.columns ?? {};
    return [
    c.scenario, c.backend, c.tier, c.threads, c.n, c.seed, c.status, c.reason, c.summary?.forksOk, c.summary?.p50Ms, c.summary?.meanMs,
    c.summary?.rmePct, c.summary?.nsPerSample, c.summary?.samplesPerSecond, c.summary?.compileMs, c.summary?.firstCallMs,
    c.summary?.timeToFirstResultMs, c.summary?.toolLoadMs, c.summary?.forkSpread.rangePct, c.summary?.peakRssBytes,
    stat?.estimate, stat?.absError, stat?.z, c.answerCheck?.method, c.v8Flags.join(' '),
    ...[...extra.keys()].map((name) => (c.output && own[name] ? own[name]!(c.output) : undefined)),
    ].map((v) => csvField(v as never)).join(',');
  });
  return `${[[...CSV_COLUMNS, ...extra.keys()].join(','), ...rows].join('\n')}\n`;
}
