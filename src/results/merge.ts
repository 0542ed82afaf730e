import { allBackends, familyOf, findBackend, findScenario } from '../core/registry.js';
import { inShard, planCells, sizesOf, type PlannedCell, type RunPlan } from '../plan/plan.js';
import { checkAnswers } from './answers.js';
import { applyAnswerCheck, cellResult } from './cell-result.js';
import { newRunId } from './document.js';
import { UsageError } from '../util/errors.js';
import { SCHEMA_VERSION, type CellResult, type ResultsDocument, type ShardInfo } from './document.js';
import { mergeMissingParts } from './missing-parts.js';

export interface MergeInput {
  path: string;
  doc: ResultsDocument;
}

// plugins: their files sit at other paths on other machines; what they define is in scenarios and backends
type ComparedPlanField = Exclude<keyof RunPlan, 'shard' | 'shuffleSeed' | 'plugins'>;

/**
 * Plan fields every shard must share. shard differs by definition and shuffleSeed may (each
 * machine shuffles its own cells). A Record, so a new RunPlan field fails to compile until it
 * is listed here.
 */
const COMPARED_PLAN_FIELDS: Record<ComparedPlanField, true> = {
  scenarios: true, backends: true, samples: true, scenarioSamples: true, threads: true, tiers: true, forks: true,
  seed: true, isolate: true, timeMs: true, timeoutMs: true, v8Flags: true, pipelines: true, cases: true,
};

const show = (v: unknown): string => (v === undefined ? 'none' : JSON.stringify(v));

/** Every input is a shard of one plan, run by the same jitbench with the same Node, V8 and libraries. */
function checkCompatible(inputs: readonly MergeInput[]): void {
  for (const { path, doc } of inputs) {
    if (!doc.plan.shard) throw new UsageError(`cannot merge '${path}': it is not a shard (its plan has no shard; make shards with jitbench run --shard i/n)`);
  }
  const ref = inputs[0]!;
  for (const other of inputs.slice(1)) {
    const same = (field: string, a: unknown, b: unknown) => {
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        throw new UsageError(`cannot merge '${other.path}': its ${field} is ${show(b)} but '${ref.path}' has ${show(a)} (shards must come from one plan, run with the same versions)`);
      }
    };
    const [a, b] = [ref.doc, other.doc];
    same('plan.shard.count', a.plan.shard!.count, b.plan.shard!.count);
    for (const f of Object.keys(COMPARED_PLAN_FIELDS) as ComparedPlanField[]) same(`plan.${f}`, a.plan[f], b.plan[f]);
    same('tool.version', a.tool.version, b.tool.version);
    same('environment.node', a.environment.node, b.environment.node);
    same('environment.v8', a.environment.v8, b.environment.v8);
    const libs = [...new Set([...Object.keys(a.environment.libraries), ...Object.keys(b.environment.libraries)])].sort();
    for (const l of libs) same(`environment.libraries.${l}`, a.environment.libraries[l], b.environment.libraries[l]);
    if (a.environment.git && b.environment.git) same('environment.git.commit', a.environment.git.commit, b.environment.git.commit);
  }
}

/** Each shard index once and within the count; returns the missing indices. */
function checkShardSet(inputs: readonly MergeInput[], count: number): number[] {
  const seen = new Map<number, string>();
  for (const { path, doc } of inputs) {
    const { index } = doc.plan.shard!;
    if (index > count) throw new UsageError(`cannot merge '${path}': shard ${index} of ${count} is out of range`);
    const prev = seen.get(index);
    if (prev !== undefined) throw new UsageError(`cannot merge: '${prev}' and '${path}' are both shard ${index} of ${count} (pass each shard once)`);
    seen.set(index, path);
  }
  return Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
}

/** The unsharded plan's cells, or undefined when the plan names a backend or scenario this jitbench does not know. */
function plannedCells(plan: RunPlan): PlannedCell[] | undefined {
  if (!plan.backends.every((id) => findBackend(id))) return undefined;
  const scenarioOf = (id: string) => findScenario(id, plan.cases?.[id]);
  if (!plan.scenarios.every((id) => scenarioOf(id))) return undefined;
  return planCells(plan, allBackends(), new Map(), scenarioOf);
}

/** Plan order (the order planCells gives); cells it does not know go last, by plan dimensions. */
function byPlanOrder(plan: RunPlan, planned: readonly PlannedCell[] | undefined): (a: CellResult, b: CellResult) => number {
  const rank = new Map((planned ?? []).map((c, i) => [c.key, i]));
  const dims = (c: CellResult) => [
    rank.get(c.key) ?? Infinity, plan.scenarios.indexOf(c.scenario), plan.backends.indexOf(c.backend),
    plan.tiers.indexOf(c.tier), plan.threads.indexOf(c.threads), sizesOf(plan, c.scenario).indexOf(c.n),
  ];
  return (a, b) => {
    const [x, y] = [dims(a), dims(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  };
}

/** The cell with `shard` set (placed after status, so it is easy to spot before the raw forks). */
function withShard(c: CellResult, shard: number): CellResult {
  const { key, scenario, backend, n, seed, threads, tier, v8Flags, status, shard: _old, ...rest } = c;
  return { key, scenario, backend, n, seed, threads, tier, v8Flags, status, shard, ...rest };
}

/**
 * Above the scenario's referenceMaxN an exact answer is only checked against the other exact backends for
 * the same (seed, n), and one shard may have held just one of them: check those cells again
 * over the merged set. So are the cells of a family with rules of its own (the EVM engines must agree on
 * the same call, and the engines of one workload may have been measured on different shards). Other cells up to referenceMaxN
 * keep the reference check of their own run.
 */
function recheckAcrossBackends(cells: CellResult[]): void {
  const big = cells.filter((c) => (c.n > (findScenario(c.scenario)?.referenceMaxN ?? 0) || familyOf(c.scenario)?.judge !== undefined) && c.output);
  for (const c of big) {
    if (c.status !== 'wrong' && c.status !== 'disputed') continue;
    // 'wrong' or 'disputed' may have come from the shard's own cross-check: start again from the forks' verdict.
    const base = cellResult(c, c.seed, c.forks, c.forks.length);
    c.status = base.status;
    if (base.reason === undefined) delete c.reason;
    else c.reason = base.reason;
  }
  checkAnswers(big);
  big.forEach(applyAnswerCheck);
}

const earliest = (ts: string[]) => ts.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
const latest = (ts: string[]) => ts.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));

/**
 * Joins shard results (jitbench run --shard i/n) into one results document.
 *
 * Rules: all inputs are shards of one plan (all fields but shard and shuffleSeed equal), with
 * the same tool version, Node, V8, library versions and git commit (when both record one); no
 * shard twice, no cell twice. Missing shards are an error unless allowPartial; their cells are
 * then listed as skipped (without `shard`: no machine measured them). status is 'complete' only
 * when every shard is present and complete. Cells come in the plan's order with `shard` set.
 */
export function mergeShards(inputs: ReadonlyArray<MergeInput>, opts: { allowPartial: boolean }): ResultsDocument {
  if (inputs.length === 0) throw new UsageError('nothing to merge: pass the results files of the shards (jitbench run --shard i/n)');
  checkCompatible(inputs);
  const count = inputs[0]!.doc.plan.shard!.count;
  const missing = checkShardSet(inputs, count);
  if (missing.length > 0 && !opts.allowPartial) {
    throw new UsageError(`cannot merge: missing shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count} (pass every shard's file, or --allow-partial to merge without ${missing.length > 1 ? 'them' : 'it'})`);
  }
  const sorted = [...inputs].sort((a, b) => a.doc.plan.shard!.index - b.doc.plan.shard!.index);
  const first = sorted[0]!.doc;
  // The merged plan is the common one; shuffleSeed is the lowest shard's (each shard's own is in its file).
  const { shard: _shard, ...plan } = first.plan;
  const planned = plannedCells(plan);

  const owner = new Map<string, string>();
  const cells: CellResult[] = [];
  for (const { path, doc } of sorted) {
    const { index } = doc.plan.shard!;
    for (const c of doc.cells) {
      const prev = owner.get(c.key);
      if (prev !== undefined) throw new UsageError(`cannot merge: cell ${c.key} is in both '${prev}' and '${path}' (a cell belongs to one shard)`);
      owner.set(c.key, path);
      const cell = withShard(c, index);
      // A shard whose run never finished (killed: its file still says 'running') leaves cells pending.
      if (cell.status === 'pending') Object.assign(cell, { status: 'skipped', reason: `not run: the run of shard ${index}/${count} did not finish` });
      cells.push(cell);
    }
  }
  for (const m of missing) {
    for (const [i, p] of (planned ?? []).entries()) {
      if (!inShard(i, { index: m, count }) || owner.has(p.key)) continue;
      cells.push({
        key: p.key, scenario: p.scenario, backend: p.backend, n: p.n, seed: plan.seed, threads: p.threads, tier: p.tier, v8Flags: p.v8Flags,
        status: 'skipped', reason: `not run: shard ${m}/${count} is missing from the merge`, forks: [],
      });
    }
  }
  cells.sort(byPlanOrder(plan, planned));
  recheckAcrossBackends(cells);

  const shards: ShardInfo[] = sorted.map(({ doc }) => ({
    shard: doc.plan.shard!, runId: doc.runId, startedAt: doc.startedAt,
    ...(doc.finishedAt !== undefined ? { finishedAt: doc.finishedAt } : {}),
    environment: doc.environment, harnessOverhead: doc.harnessOverhead,
  }));
  const finished = sorted.map(({ doc }) => doc.finishedAt).filter((t): t is string => t !== undefined);
  const unavailable = new Map<string, string>();
  for (const { doc } of sorted) for (const u of doc.unavailableBackends) if (!unavailable.has(u.backend)) unavailable.set(u.backend, u.reason);
  // a part missing on any shard's machine, with every backend it held back there
  const parts = mergeMissingParts(sorted.flatMap(({ doc }) => doc.missingParts ?? []));

  return {
    schemaVersion: SCHEMA_VERSION,
    tool: first.tool,
    runId: newRunId(),
    status: missing.length === 0 && sorted.every(({ doc }) => doc.status === 'complete') ? 'complete' : 'interrupted',
    startedAt: earliest(sorted.map(({ doc }) => doc.startedAt)),
    ...(finished.length > 0 ? { finishedAt: latest(finished) } : {}),
    command: ['merge', ...inputs.map((i) => i.path)],
    plan,
    unavailableBackends: [...unavailable].map(([backend, reason]) => ({ backend, reason })),
    ...(parts.length > 0 ? { missingParts: parts } : {}),
    environment: first.environment,
    method: first.method,
    harnessOverhead: first.harnessOverhead,
    shards,
    cells,
  };
}
