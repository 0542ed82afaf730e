import type { Backend, Scenario } from '../core/types.js';
import { cellKey } from './cell-spec.js';
import { shuffled } from '../util/seeded-random.js';

/** What the user asked to run, after validation. Recorded verbatim in the results. */
export interface RunPlan {
  scenarios: string[];
  backends: string[];
  samples: number[];
  /** Sizes per scenario when --samples was not given and a scenario has its own defaults (EVM workloads). */
  scenarioSamples?: Record<string, number[]>;
  threads: number[];
  /** Requested tier names ('all' expands per backend). */
  tiers: string[];
  forks: number;
  seed: number;
  shuffleSeed: number;
  isolate: 'process' | 'none';
  timeMs: number;
  timeoutMs: number;
  /** Extra V8 flags for every cell (--v8-flags). */
  v8Flags: string[];
  /** --shard i/n: this run measures only shard i (1-based) of n. */
  shard?: Shard;
  /** --pipeline: the solc pipelines every Solidity EVM scenario was expanded into (recorded when the run has one). */
  pipelines?: Array<'legacy' | 'viaIR'>;
  /**
   * The resolved case of each scenario that has one (Scenario.caseData), by id: sent to each
   * cell's child and kept so that the run can be reproduced (EVM --code: the bytecode and calldata, 0x-hex).
   */
  cases?: Record<string, unknown>;
  /** The user's plugin files (--plugin, jitbench.config.js), loaded again by report, compare and merge. */
  plugins?: Array<{ file: string; source: string; scenarios: string[]; backends: string[] }>;
}

export interface Shard {
  index: number;
  count: number;
}

/**
 * Whether a cell belongs to a shard: cells are dealt round-robin in the plan's stable
 * order, so every machine computes the same split from the same arguments. All forks of a
 * cell stay on one machine, so the spread between forks is never a spread between machines.
 */
export function inShard(cellIndex: number, shard: Shard | undefined): boolean {
  return !shard || cellIndex % shard.count === shard.index - 1;
}

export interface PlannedCell {
  key: string;
  scenario: string;
  backend: string;
  n: number;
  threads: number;
  tier: string;
  /** Tier preset flags followed by --v8-flags. */
  v8Flags: string[];
  /** Set when the cell cannot run (tier not defined for the backend, backend unavailable). */
  skipReason?: string;
}

/** Tier names of a backend that a request selects. */
function tiersFor(backend: Backend, requested: readonly string[]): Array<{ tier: string; missing: boolean }> {
  if (requested.includes('all')) return Object.keys(backend.tiers).map((tier) => ({ tier, missing: false }));
  return requested.map((tier) => ({ tier, missing: !(tier in backend.tiers) }));
}

/** The sizes (n) a plan runs for a scenario. */
export function sizesOf(plan: RunPlan, scenario: string): number[] {
  return plan.scenarioSamples?.[scenario] ?? plan.samples;
}

/** The cells of a plan (of its shard, if any): scenario x backend x tier x threads x n, in a stable order. */
export function planCells(plan: RunPlan, backends: readonly Backend[], unavailable: ReadonlyMap<string, string>, scenarioOf: (id: string) => Scenario | undefined): PlannedCell[] {
  const cells: PlannedCell[] = [];
  let index = 0;
  for (const scenario of plan.scenarios) {
    const resolved = scenarioOf(scenario);
    for (const id of plan.backends) {
      const backend = backends.find((b) => b.id === id)!;
      if (!resolved || !backend.supports(resolved)) continue;
      for (const { tier, missing } of tiersFor(backend, plan.tiers)) {
        for (const threads of plan.threads) {
          for (const n of sizesOf(plan, scenario)) {
            const v8Flags = [...(backend.tiers[tier] ?? []), ...plan.v8Flags];
            const cell: PlannedCell = { key: cellKey({ scenario, backend: id, n, threads, tier }), scenario, backend: id, n, threads, tier, v8Flags };
            if (!inShard(index++, plan.shard)) continue;
            if (missing) cell.skipReason = `tier '${tier}' is not defined for ${id} (its tiers: ${Object.keys(backend.tiers).join(', ')})`;
            else if (unavailable.has(id)) cell.skipReason = `backend ${id} is not available: ${unavailable.get(id)}`;
            else if (backend.maxThreads !== undefined && threads > backend.maxThreads) cell.skipReason = `${id} runs on at most ${backend.maxThreads} thread(s) of ours (it manages its own parallelism); --threads ${threads} does not apply`;
            cells.push(cell);
          }
        }
      }
    }
  }
  return cells;
}

/** The order in which (cell, fork) runs happen: shuffled with a recorded seed. */
export function runOrder(cells: readonly PlannedCell[], forks: number, shuffleSeed: number): Array<{ cell: number; fork: number }> {
  const items: Array<{ cell: number; fork: number }> = [];
  cells.forEach((c, cell) => {
    if (c.skipReason) return;
    for (let fork = 0; fork < forks; fork++) items.push({ cell, fork });
  });
  return shuffled(items, shuffleSeed);
}
