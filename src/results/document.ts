import { randomBytes } from 'node:crypto';
import type { Accuracy, AnswerCheck, KernelOutput, MissingPartUse } from '../core/types.js';
import type { RunPlan, Shard } from '../plan/plan.js';
import type { ForkMeasurement } from './measurement.js';
import type { ForkSpread, WarmupClass } from '../metrics/stats.js';
import type { Environment } from './environment.js';
import type { HarnessOverhead } from '../metrics/overhead.js';

/** A new run's id: 8 hex digits. */
export function newRunId(): string {
  return randomBytes(4).toString('hex');
}

/** Bumped on any incompatible change of the results document; src/results/schema/ holds its JSON Schema. */
export const SCHEMA_VERSION = 2;

/**
 * ok: measured, answer checked and right. unchecked: measured, but nothing checked its answer (an
 * entry point without @accuracy). suspect: a statistical answer further from the truth than noise
 * explains. wrong: an exact answer that differs from the reference or from the majority of the
 * other engines, or a malformed answer. disputed: engines disagree with no majority and no
 * reference to decide. error: the cell failed. skipped: not run, with the reason. pending: not
 * measured yet (only in a file written mid-run). See README "How jitbench decides".
 */
export type CellStatus = 'ok' | 'unchecked' | 'suspect' | 'wrong' | 'disputed' | 'error' | 'skipped' | 'pending';

/** Statuses whose timings stand for a right (or at least not refuted) answer: they may be compared and win. */
export const MEASURED_STATUSES: readonly CellStatus[] = ['ok', 'unchecked'];

export type { AnswerCheck } from '../core/types.js';

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
  /** Calls whose answer was checked, and calls made in timed regions, summed over the ok forks (absent in older files). */
  checkedCalls?: number;
  timedCalls?: number;
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
  /** Optional parts not installed on the machine that hold back this run's backends, with the command that adds each (absent in older files). */
  missingParts?: MissingPartUse[];
  environment: Environment;
  method: {
    timer: string;
    timing: string;
    warmup: string;
    batching: string;
    isolation: string;
    throughput: string;
    accuracy: string;
    /** How the report's intervals are computed (absent in older files). */
    intervals?: string;
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
