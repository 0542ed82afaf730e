import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, SCENARIOS, findBackend, findScenario } from '../../core/registry.js';
import type { RunPlan } from '../../plan/plan.js';
import { resultsCsv } from '../../results/write.js';
import { runExitCode, runExitReason } from '../../results/verdict.js';
import { liveChildren } from '../../run/isolate.js';
import { newRunId, runBenchmark } from '../../run/run-benchmark.js';
import { UsageError } from '../../util/errors.js';
import { isEvmScenario, registerEvmCode, resolveEvmCase } from '../../../scenarios/evm/index.js';
import { isCodeScenario, splitPipeline, splitScenarioList, withPipeline } from '../../../scenarios/evm/ids.js';
import { expandCorpusAlias } from '../../../scenarios/evm/corpus/index.js';
import { SOLC_PIPELINES, type SolcPipeline } from '../../../scenarios/evm/solc-compile.js';
import { bytesToHex } from '../../evm/hex.js';
import { parseHexArg } from './evm.js';
import { parseIntOption, parseNames, parsePositive, parseSamples, parseShard, parseThreads } from '../parse.js';
import { Progress } from '../progress.js';
import { summaryTable } from '../table.js';
import { probeAll } from './list.js';
import { formatMissingParts, missingParts } from '../missing-parts.js';
import type { MissingPartUse } from '../../core/types.js';

export interface RunArgs {
  /** Default: pi (or only the --code scenario when --code is given). */
  scenario?: string;
  /** Solc pipelines for the Solidity EVM scenarios, comma-separated (default legacy). */
  pipeline?: string;
  /** binaryen optimize levels of evm-native, comma-separated (0..4). */
  opt?: string;
  /** Raw EVM bytecode (hex or @FILE) to run as scenario evm:code:<hash>, with --calldata. */
  code?: string;
  calldata?: string;
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

/** binaryen optimize levels of the EVM compiler (`--opt`). */
const OPT_LEVELS = ['0', '1', '2', '3', '4'];

/**
 * --opt 0,2: the EVM compiler's binaryen optimize level as a dimension: `evm-native` (whatever
 * its level) becomes one backend per level, `evm-native:O0`, `evm-native:O2`.
 */
function expandOptLevels(backends: string[], opt: string | undefined): string[] {
  if (opt === undefined) return backends;
  const levels = parseNames(opt, 'opt', OPT_LEVELS);
  if (!backends.some((b) => b === 'evm-native' || b.startsWith('evm-native:'))) {
    throw new UsageError(`--opt ${opt} sets the optimize level of the evm-native backend, and the run has none (add --backend evm-native)`);
  }
  const out: string[] = [];
  for (const b of backends) {
    if (b === 'evm-native' || b.startsWith('evm-native:')) out.push(...levels.map((l) => `evm-native:O${l}`));
    else out.push(b);
  }
  return [...new Set(out)];
}

/**
 * The scenario ids of --scenario, --pipeline and --code: EVM ids resolved (a bad one is a usage
 * error), each Solidity EVM scenario without an explicit @pipeline expanded into one id per pipeline.
 */
function parseScenarios(a: RunArgs): { scenarios: string[]; pipelines?: SolcPipeline[]; evmCode?: RunPlan['evmCode'] } {
  // evm:corpus stands for every corpus scenario
  const names = expandCorpusAlias(splitScenarioList(a.scenario ?? (a.code !== undefined ? '' : 'pi')).map((s) => SCENARIO_ALIASES[s] ?? s));
  const listed = SCENARIOS.map((s) => s.id);
  if (names.length === 0 && a.code === undefined) throw new UsageError(`empty scenario list: accepted scenarios are ${listed.join(', ')}`);
  for (const n of names) {
    if (!isEvmScenario(n) && !listed.includes(n)) throw new UsageError(`unknown scenario '${n}': accepted scenarios are ${listed.join(', ')} (EVM: also evm:NAME@viaIR, evm:FILE.sol:Contract.fn(args), --code)`);
  }
  const pipelines = parseNames(a.pipeline ?? 'legacy', 'pipeline', SOLC_PIPELINES) as SolcPipeline[];
  const solidity = names.filter((n) => isEvmScenario(n) && !isCodeScenario(n));
  if (a.pipeline !== undefined && solidity.length === 0) throw new UsageError(`--pipeline ${a.pipeline} applies to Solidity EVM scenarios (evm:...), and the run has none`);
  const out: string[] = [];
  for (const n of names) {
    if (!isEvmScenario(n) || isCodeScenario(n)) {
      out.push(resolveIfEvm(n));
      continue;
    }
    const { base, explicit } = splitPipeline(n);
    if (explicit) out.push(resolveEvmCase(n).id);
    else for (const p of pipelines) out.push(resolveEvmCase(withPipeline(base, p)).id);
  }
  let evmCode: RunPlan['evmCode'];
  if (a.calldata !== undefined && a.code === undefined) throw new UsageError('--calldata needs --code (the bytecode it is the input of)');
  if (a.code !== undefined) {
    const code = parseHexArg(a.code, 'code');
    if (code.length === 0) throw new UsageError('empty --code: expected EVM bytecode as hex (e.g. 0x600260030260005260206000f3) or @FILE');
    const calldata = a.calldata !== undefined ? parseHexArg(a.calldata, 'calldata') : new Uint8Array();
    const entry = { code: bytesToHex(code), calldata: bytesToHex(calldata) };
    const id = registerEvmCode(entry.code, entry.calldata);
    evmCode = { [id]: entry };
    out.push(id);
  }
  return { scenarios: [...new Set(out)], ...(solidity.length > 0 ? { pipelines } : {}), ...(evmCode ? { evmCode } : {}) };
}

function resolveIfEvm(id: string): string {
  return isEvmScenario(id) ? resolveEvmCase(id).id : id;
}

/** Validates the arguments into a plan; unavailable backends are returned with their reasons. */
export async function buildPlan(a: RunArgs): Promise<{ plan: RunPlan; unavailable: Map<string, string>; missing: MissingPartUse[] }> {
  const { scenarios, pipelines, evmCode } = parseScenarios(a);
  const allIds = BACKENDS.map((b) => b.id);
  const probes = await probeAll();
  const unavailable = new Map([...probes].filter(([, p]) => !p.available).map(([id, p]) => [id, p.reason ?? p.detail]));
  const chosen = a.backend !== undefined
    ? parseNames(a.backend, 'backend', allIds)
    : allIds.filter((id) => !unavailable.has(id) && findBackend(id)!.inDefaultRun !== false && scenarios.some((s) => findBackend(id)!.supports(s)));
  const backends = expandOptLevels(chosen, a.opt);
  if (backends.length === 0) throw new UsageError(`no available backend runs scenario ${scenarios.join(',')}: see jitbench list`);
  if (a.samples !== undefined && a.full) throw new UsageError(`--full and --samples '${a.samples}' conflict: --full means --samples ${FULL_SAMPLES}`);
  const samples = parseSamples(a.samples ?? (a.full ? FULL_SAMPLES : DEFAULT_SAMPLES));
  // without --samples, a scenario with sizes of its own (an EVM workload's N) uses them; a scenario
  // whose work does not depend on n (a user's EVM call without n) always runs at its fixed sizes
  const scenarioSamples = Object.fromEntries(scenarios.flatMap((id) => {
    const s = findScenario(id);
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
  if (pipelines) plan.pipelines = pipelines;
  if (evmCode) plan.evmCode = evmCode;
  // compile the EVM scenarios' contracts once, here, so that no cell's compile time includes solc
  // and a mistake in a user's contract, function or arguments stops the run before it starts
  for (const s of plan.scenarios) if (isEvmScenario(s)) resolveEvmCase(s).load();
  // the parts that hold back this run's backends, or the ones a default run left out
  const considered = [...backends, ...[...unavailable.keys()].filter((id) => a.backend === undefined && findBackend(id)!.inDefaultRun !== false && scenarios.some((s) => findBackend(id)!.supports(s)))];
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
