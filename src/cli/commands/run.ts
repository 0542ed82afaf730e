import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allBackends, allFamilies, allScenarios, findBackend, findScenario } from '../../core/registry.js';
import { loadedPlugins } from '../../core/plugins.js';
import type { RunPlan } from '../../plan/plan.js';
import { resultsCsv } from '../../results/write.js';
import { runExitCode, runExitReason } from '../../results/verdict.js';
import { liveChildren } from '../../run/isolate.js';
import { newRunId, runBenchmark } from '../../run/run-benchmark.js';
import { UsageError } from '../../util/errors.js';
import { splitScenarioList } from '../../util/split-list.js';
import { parseIntOption, parseNames, parsePositive, parseSamples, parseShard, parseThreads } from '../parse.js';
import { Progress } from '../progress.js';
import { summaryTable } from '../table.js';
import { probeAll } from './list.js';
import { formatMissingParts, missingParts } from '../missing-parts.js';
import type { MissingPartUse, Scenario, ScenarioFamily } from '../../core/types.js';

export interface RunArgs {
  /** Default: pi (or only the --code scenario when --code is given). */
  scenario?: string;
  /** Optimize levels of backends registered per level (`<id>:O<level>`), comma-separated. */
  opt?: string;
  /** Plugin files (read before parsing; recorded in the plan). */
  plugin?: string[];
  /** Options of the scenario families (ScenarioFamily.runOptions: the EVM family's --pipeline, --code, --calldata). */
  [familyOption: string]: unknown;
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

/**
 * --opt 0,2: an optimize level as a dimension: each chosen backend registered in variants per
 * level (`evm-native:O0` .. `evm-native:O4`) becomes one backend per level.
 */
function expandOptLevels(backends: string[], opt: string | undefined): string[] {
  if (opt === undefined) return backends;
  const levels = opt.split(',').map((l) => l.trim()).filter(Boolean);
  const base = (b: string) => b.split(':')[0]!;
  const leveled = backends.filter((b) => allBackends().some((x) => x.id === `${base(b)}:O0`));
  if (leveled.length === 0) throw new UsageError(`--opt ${opt} sets the optimize level of backends registered per level (${allBackends().filter((x) => x.id.endsWith(':O0')).map((x) => base(x.id)).join(', ') || 'none'}), and the run has none (add e.g. --backend evm-native)`);
  const out: string[] = [];
  for (const b of backends) {
    if (!leveled.includes(b)) {
      out.push(b);
      continue;
    }
    for (const l of levels) {
      const id = `${base(b)}:O${l}`;
      if (!findBackend(id)) throw new UsageError(`unknown opt '${l}': accepted opts are ${allBackends().filter((x) => x.id.startsWith(`${base(b)}:O`)).map((x) => x.id.slice(base(b).length + 2)).join(', ')}`);
      out.push(id);
    }
  }
  return [...new Set(out)];
}

/** The names of listed scenarios and of family aliases, for messages. */
function acceptedScenarios(): string {
  const families = allFamilies();
  const aliases = families.flatMap((f) => Object.keys(f.aliases ?? {}));
  const syntax = families.map((f) => f.syntax).filter(Boolean);
  return `${allScenarios().map((s) => s.id).join(', ')}${aliases.length ? `, ${aliases.join(', ')}` : ''}${syntax.length ? ` (also ${syntax.join('; ')})` : ''}`;
}

/**
 * The scenarios of --scenario and the families' options (--pipeline, --code, ...): listed ones
 * as they are, the rest planned by the family that owns them (resolved once, here: their case
 * data travels to each cell's child process). An unknown name is a usage error.
 */
function parseScenarios(a: RunArgs): { scenarios: Scenario[]; record: Record<string, unknown> } {
  const families = allFamilies();
  const optionsOf = (f: ScenarioFamily) => Object.fromEntries(Object.keys(f.runOptions ?? {}).map((k) => [k, a[k] === undefined ? undefined : String(a[k])]));
  const familyGiven = (f: ScenarioFamily) => Object.values(optionsOf(f)).some((v) => v !== undefined);
  // without --scenario: the first listed scenario (pi: the built-in plugins come first), unless a
  // family's option names scenarios of its own (--code)
  const defaultList = families.some(familyGiven) && a.scenario === undefined ? '' : (allScenarios()[0]?.id ?? '');
  const names = splitScenarioList(a.scenario ?? defaultList);
  if (names.length === 0 && !families.some(familyGiven)) throw new UsageError(`empty scenario list: accepted scenarios are ${acceptedScenarios()}`);
  const out: Scenario[] = [];
  const byFamily = new Map<ScenarioFamily, string[]>();
  for (const n of names) {
    const family = families.find((f) => f.owns(n) || Object.keys(f.aliases ?? {}).includes(n));
    const listed = findScenario(n);
    if (family) byFamily.set(family, [...(byFamily.get(family) ?? []), n]);
    else if (listed) out.push(listed);
    else throw new UsageError(`unknown scenario '${n}': accepted scenarios are ${acceptedScenarios()}`);
  }
  const record: Record<string, unknown> = {};
  for (const f of families) {
    const given = byFamily.get(f) ?? [];
    if (given.length === 0 && !familyGiven(f)) continue;
    if (f.planScenarios) {
      const planned = f.planScenarios(given, optionsOf(f));
      out.push(...planned.scenarios);
      Object.assign(record, planned.record ?? {});
    } else {
      for (const n of given) {
        const s = f.resolve(n);
        if (!s) throw new UsageError(`unknown scenario '${n}': accepted scenarios are ${acceptedScenarios()}`);
        out.push(s);
      }
    }
  }
  const unique = [...new Map(out.map((s) => [s.id, s])).values()];
  return { scenarios: unique, record };
}

/** Validates the arguments into a plan; unavailable backends are returned with their reasons. */
export async function buildPlan(a: RunArgs): Promise<{ plan: RunPlan; unavailable: Map<string, string>; missing: MissingPartUse[] }> {
  const { scenarios: chosenScenarios, record } = parseScenarios(a);
  const scenarios = chosenScenarios.map((s) => s.id);
  const allIds = allBackends().map((b) => b.id);
  const probes = await probeAll();
  const unavailable = new Map([...probes].filter(([, p]) => !p.available).map(([id, p]) => [id, p.reason ?? p.detail]));
  const chosen = a.backend !== undefined
    ? parseNames(a.backend, 'backend', allIds)
    : allIds.filter((id) => !unavailable.has(id) && findBackend(id)!.inDefaultRun !== false && chosenScenarios.some((s) => findBackend(id)!.supports(s)));
  const backends = expandOptLevels(chosen, a.opt);
  if (backends.length === 0) throw new UsageError(`no available backend runs scenario ${scenarios.join(',')}: see jitbench list`);
  if (a.samples !== undefined && a.full) throw new UsageError(`--full and --samples '${a.samples}' conflict: --full means --samples ${FULL_SAMPLES}`);
  const samples = parseSamples(a.samples ?? (a.full ? FULL_SAMPLES : DEFAULT_SAMPLES));
  // without --samples, a scenario with sizes of its own (an EVM workload's N) uses them; a scenario
  // whose work does not depend on n (a user's EVM call without n) always runs at its fixed sizes
  const scenarioSamples = Object.fromEntries(chosenScenarios.flatMap((s) => {
    const id = s.id;
    const own = s?.fixedSizes ?? (a.samples === undefined ? s?.defaultSizes : undefined);
    return own ? [[id, own]] : [];
  }));
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
  Object.assign(plan, record);
  const cases = Object.fromEntries(chosenScenarios.filter((s) => s.caseData !== undefined).map((s) => [s.id, s.caseData]));
  if (Object.keys(cases).length > 0) plan.cases = cases;
  const plugins = loadedPlugins().filter((p) => p.source !== 'built-in').map((p) => ({ file: fileURLToPath(p.url), source: p.source, scenarios: p.scenarios, backends: p.backends }));
  if (plugins.length > 0) plan.plugins = plugins;
  // the parts that hold back this run's backends, or the ones a default run left out
  const considered = [...backends, ...[...unavailable.keys()].filter((id) => a.backend === undefined && findBackend(id)!.inDefaultRun !== false && chosenScenarios.some((s) => findBackend(id)!.supports(s)))];
  return { plan, unavailable, missing: missingParts(probes, considered) };
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export async function runCommand(a: RunArgs): Promise<number> {
  const { plan, unavailable, missing } = await buildPlan(a);
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
    plan, command: process.argv.slice(2), outPaths, unavailable, missingParts: missing, debug: a.debug, signal: abort.signal,
    hooks: { onStart: (done, total, cell, fork) => progress.start(done, total, cell, fork) },
  }, runId);
  progress.end(doc.cells.reduce((s, c) => s + c.forks.length, 0));
  process.off('SIGINT', onSigint);

  if (a.csv) writeFileSync(a.csv, resultsCsv(doc));
  if (a.json) process.stdout.write(`${JSON.stringify(doc)}\n`);
  else process.stdout.write(`${summaryTable(doc)}\n`);
  process.stderr.write(`results: ${outPaths.join(', ')}${a.csv ? `, ${a.csv}` : ''}\n`);
  if (doc.missingParts) process.stderr.write(formatMissingParts(doc.missingParts));
  const why = runExitReason(doc);
  if (why) process.stderr.write(`${why}\n`);
  return runExitCode(doc);
}
