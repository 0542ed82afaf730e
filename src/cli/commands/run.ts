import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, SCENARIOS, findBackend, findScenario } from '../../core/registry.js';
import type { RunPlan } from '../../plan/plan.js';
import { resultsCsv } from '../../results/write.js';
import { liveChildren } from '../../run/isolate.js';
import { newRunId, runBenchmark } from '../../run/run-benchmark.js';
import { UsageError } from '../../util/errors.js';
import { isEvmScenario, workloadArtifact, workloadOf } from '../../../scenarios/evm/index.js';
import { parseIntOption, parseNames, parsePositive, parseSamples, parseShard, parseThreads } from '../parse.js';
import { Progress } from '../progress.js';
import { summaryTable } from '../table.js';
import { probeAll } from './list.js';

export interface RunArgs {
  scenario: string;
  backend?: string;
  samples?: string;
  full: boolean;
  threads: string;
  forks: unknown;
  tier: string;
  'v8-flags'?: string;
  seed: unknown;
  'shuffle-seed'?: unknown;
  time: unknown;
  timeout: unknown;
  isolate: string;
  out?: string;
  json: boolean;
  csv?: string;
  progress: boolean;
  debug: boolean;
  shard?: string;
}

export const DEFAULT_SAMPLES = '1e3..1e7';
export const FULL_SAMPLES = '1e3..1e8';
const SCENARIO_ALIASES: Record<string, string> = { 'monte-carlo-pi': 'pi' };

/** Validates the arguments into a plan; unavailable backends are returned with their reasons. */
export async function buildPlan(a: RunArgs): Promise<{ plan: RunPlan; unavailable: Map<string, string> }> {
  const scenarioIds = SCENARIOS.map((s) => s.id);
  const scenarios = parseNames(a.scenario.split(',').map((s) => SCENARIO_ALIASES[s.trim()] ?? s.trim()).join(','), 'scenario', scenarioIds);
  const allIds = BACKENDS.map((b) => b.id);
  const probes = await probeAll();
  const unavailable = new Map([...probes].filter(([, p]) => !p.available).map(([id, p]) => [id, p.reason ?? p.detail]));
  const backends = a.backend !== undefined
    ? parseNames(a.backend, 'backend', allIds)
    : allIds.filter((id) => !unavailable.has(id) && findBackend(id)!.inDefaultRun !== false && scenarios.some((s) => findBackend(id)!.supports(s)));
  if (backends.length === 0) throw new UsageError(`no available backend runs scenario ${scenarios.join(',')}: see jitbench list`);
  if (a.samples !== undefined && a.full) throw new UsageError(`--full and --samples '${a.samples}' conflict: --full means --samples ${FULL_SAMPLES}`);
  const samples = parseSamples(a.samples ?? (a.full ? FULL_SAMPLES : DEFAULT_SAMPLES));
  // without --samples, a scenario with sizes of its own (an EVM workload's N) uses them
  const scenarioSamples = a.samples === undefined
    ? Object.fromEntries(scenarios.flatMap((id) => {
      const own = findScenario(id)?.defaultSizes;
      return own ? [[id, own]] : [];
    }))
    : {};
  const threads = parseThreads(a.threads);
  const tiers = a.tier.split(',').map((t) => t.trim()).filter(Boolean);
  const known = new Set(backends.flatMap((id) => Object.keys(findBackend(id)!.tiers)));
  for (const t of tiers) {
    if (t !== 'all' && !known.has(t)) throw new UsageError(`unknown tier '${t}' for backends ${backends.join(',')}: accepted tiers are ${[...known].join(', ')}, all`);
  }
  if (tiers.length === 0) throw new UsageError(`empty --tier: accepted tiers are ${[...known].join(', ')}, all`);
  const isolate = a.isolate;
  if (isolate !== 'process' && isolate !== 'none') throw new UsageError(`invalid --isolate '${isolate}': accepted values are process, none`);
  const v8Flags = (a['v8-flags'] ?? '').split(/\s+/).filter(Boolean);
  for (const f of v8Flags) if (!f.startsWith('--')) throw new UsageError(`invalid --v8-flags entry '${f}': V8 flags start with -- (e.g. --v8-flags "--no-opt")`);
  const needsFlags = v8Flags.length > 0 || backends.some((id) => tiers.some((t) => (t === 'all' ? Object.values(findBackend(id)!.tiers).some((f) => f.length) : (findBackend(id)!.tiers[t]?.length ?? 0) > 0)));
  if (isolate === 'none' && needsFlags) throw new UsageError(`--isolate none cannot apply V8 flags (tier '${a.tier}', --v8-flags): use --isolate process`);
  const plan: RunPlan = {
    scenarios,
    backends,
    samples,
    ...(Object.keys(scenarioSamples).length > 0 ? { scenarioSamples } : {}),
    threads,
    tiers,
    forks: parseIntOption(a.forks, 'forks', 1, 100),
    seed: parseIntOption(a.seed, 'seed', 0, 0xffffffff),
    shuffleSeed: a['shuffle-seed'] !== undefined ? parseIntOption(a['shuffle-seed'], 'shuffle-seed', 0, 0xffffffff) : Math.floor(Math.random() * 2 ** 32),
    isolate,
    timeMs: parsePositive(a.time, 'time', 'milliseconds'),
    timeoutMs: parsePositive(a.timeout, 'timeout', 'seconds') * 1000,
    v8Flags,
  };
  if (a.shard !== undefined) plan.shard = parseShard(a.shard);
  return { plan, unavailable };
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export async function runCommand(a: RunArgs): Promise<number> {
  const { plan, unavailable } = await buildPlan(a);
  // compile the EVM scenarios' contracts once, here, so no cell's compile time includes solc
  for (const s of plan.scenarios) if (isEvmScenario(s)) workloadArtifact(workloadOf(s));
  const runId = newRunId();
  const shardTag = plan.shard ? `-shard${plan.shard.index}of${plan.shard.count}` : '';
  const runFile = a.out ?? join('results', `${stamp(new Date())}-${runId}${shardTag}.json`);
  const outPaths = [runFile, join('results', 'latest.json')].filter((p, i, all) => all.indexOf(p) === i);

  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write('\ninterrupted: keeping completed cells (Ctrl-C again to quit now)\n');
    abort.abort();
    for (const c of liveChildren) c.kill('SIGKILL');
  };
  process.on('SIGINT', onSigint);
  const progress = new Progress(a.progress, plan.forks);
  const doc = await runBenchmark({
    plan, command: process.argv.slice(2), outPaths, unavailable, debug: a.debug, signal: abort.signal,
    hooks: { onStart: (done, total, cell, fork) => progress.start(done, total, cell, fork) },
  }, runId);
  progress.end(doc.cells.reduce((s, c) => s + c.forks.length, 0));
  process.off('SIGINT', onSigint);

  if (a.csv) writeFileSync(a.csv, resultsCsv(doc));
  if (a.json) process.stdout.write(`${JSON.stringify(doc)}\n`);
  else process.stdout.write(`${summaryTable(doc)}\n`);
  process.stderr.write(`results: ${outPaths.join(', ')}${a.csv ? `, ${a.csv}` : ''}\n`);
  if (doc.status === 'interrupted') return 130;
  return doc.cells.some((c) => c.status === 'wrong') ? 1 : 0;
}
