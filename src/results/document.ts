import type { Accuracy, KernelOutput } from '../core/types.js';
import type { RunPlan, Shard } from '../plan/plan.js';
import type { ForkMeasurement } from '../run/measure-fork.js';
import type { ForkSpread, WarmupClass } from '../metrics/stats.js';
import type { Environment } from './environment.js';
import type { HarnessOverhead } from '../metrics/overhead.js';

/** Bumped on any incompatible change of the results document; src/results/schema/ holds its JSON Schema. */
export const SCHEMA_VERSION = 1;

/** pending: not measured yet (only in a file written mid-run). */
export type CellStatus = 'ok' | 'suspect' | 'wrong' | 'error' | 'skipped' | 'pending';

/** How a cell's answer was checked. */
export interface AnswerCheck {
  /**
   * reference: exact hits from the spec generator (EVM: the workload's answer computed in
   * TypeScript); cross-backend: agreement of exact backends (EVM engines); statistical: |z| only;
   * unchecked: an EVM call with no independent answer (user code) run on one engine only.
   */
  method: 'reference' | 'cross-backend' | 'statistical' | 'unchecked';
  expectedHits?: number;
  /** EVM cells: the agreed status, return data (0x-hex), gas used and logs (count, digest), and the other engines compared. */
  expectedStatus?: string;
  expectedReturnData?: string;
  expectedGasUsed?: number;
  expectedLogs?: number;
  expectedLogsHash?: string;
  comparedWith?: string[];
  matches?: boolean;
}

export interface CellSummary {
  forksOk: number;
  /** Median over forks of the per-fork median time per call. */
  p50Ms: number;
  meanMs: number;
  /** Median over forks of the relative margin of error of the mean (95%), percent. */
  rmePct: number;
  nsPerSample: number;
  samplesPerSecond: number;
  compileMs: number;
  firstCallMs: number;
  timeToFirstResultMs: number;
  toolLoadMs: number;
  peakRssBytes: number;
  heapUsedPeakBytes: number;
  forkSpread: ForkSpread;
  warmupClasses: WarmupClass[];
  batch: number;
  samples: number;
}

export interface CellResult {
  key: string;
  scenario: string;
  backend: string;
  n: number;
  seed: number;
  threads: number;
  tier: string;
  v8Flags: string[];
  status: CellStatus;
  reason?: string;
  /** In a merged document: the shard (machine) that measured this cell. */
  shard?: number;
  output?: KernelOutput;
  accuracy?: Accuracy;
  answerCheck?: AnswerCheck;
  summary?: CellSummary;
  forks: ForkMeasurement[];
}

export interface ResultsDocument {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'jitbench'; version: string };
  runId: string;
  status: 'running' | 'complete' | 'interrupted';
  startedAt: string;
  finishedAt?: string;
  command: string[];
  plan: RunPlan;
  /** Backends left out of a default run because they cannot run here, with the reason. */
  unavailableBackends: Array<{ backend: string; reason: string }>;
  environment: Environment;
  method: {
    timer: string;
    timing: string;
    warmup: string;
    batching: string;
    isolation: string;
    throughput: string;
    accuracy: string;
  };
  harnessOverhead: HarnessOverhead;
  /** In a document merged from shards: each shard's run and machine. */
  shards?: ShardInfo[];
  cells: CellResult[];
}

export interface ShardInfo {
  shard: Shard;
  runId: string;
  startedAt: string;
  finishedAt?: string;
  environment: Environment;
  harnessOverhead: HarnessOverhead;
}
