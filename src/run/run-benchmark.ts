import { allBackends, findBackend, findScenario } from '../core/registry.js';
import { loadedPlugins } from '../core/plugins.js';
import type { MissingPartUse } from '../core/types.js';
import { measureHarnessOverhead } from '../metrics/overhead.js';
import { BOOTSTRAP_METHOD } from '../metrics/bootstrap.js';
import { planCells, runOrder, type PlannedCell, type RunPlan } from '../plan/plan.js';
import { captureEnvironment } from '../results/environment.js';
import { newRunId, SCHEMA_VERSION, type ResultsDocument } from '../results/document.js';
import { writeResults } from '../results/write.js';
import { checkAnswers } from '../results/answers.js';
import { applyAnswerCheck, cellResult } from '../results/cell-result.js';
import type { CellSpec } from '../plan/cell-spec.js';
import { measureForkInline, measureForkIsolated } from './isolate.js';
import type { ForkMeasurement } from './measure-fork.js';

export const TOOL_VERSION = '0.1.0';

export interface RunHooks {
  /** Called before each (cell, fork) run with its position. */
  onStart?(done: number, total: number, cell: PlannedCell, fork: number): void;
  onDone?(done: number, total: number, cell: PlannedCell, m: ForkMeasurement): void;
}

export interface RunOptions {
  plan: RunPlan;
  command: string[];
  /** Files the results document is (re)written to after every fork. */
  outPaths: string[];
  unavailable: Map<string, string>;
  /** Optional parts missing here that hold back the run's backends (recorded in the results). */
  missingParts?: MissingPartUse[];
  debug: boolean;
  hooks?: RunHooks;
  /** Aborting stops after the running fork; completed cells are kept. */
  signal?: AbortSignal;
}

export const METHOD = {
  timer: 'performance.now() (monotonic, sub-microsecond) read only at the edges of the timed region by @perfTime',
  timing: 'tinybench drives warm-up and sampling; each sample is the perf_time of one timed region divided by its calls (overriddenDuration)',
  warmup: '20% of the cell budget (--time) warms up before samples are kept; the warm-up series is stored and classified',
  batching: 'calls shorter than 20 us are repeated inside one timed region (batch) so timer granularity stays under ~0.2%; async (threaded) calls are never batched',
  isolation: 'process: every fork of every cell runs in a fresh child process with the tier flags; none: all cells share this process',
  throughput: 'samples per second = n / median time per call; ns/sample = median time per call / n',
  accuracy: 'the last call of every timed region is checked by @accuracy (a batch repeats one call; checkedCalls and timedCalls say how many), and the worst answer over all checked calls decides: '
    + 'pi: |4*hits/n - pi|, sigma = sqrt(pi(4-pi)/n), z = error/sigma, |z| > 6 is suspect, NaN or a wrong n is wrong; exact backends must match the scenario\'s own reference hit count on every checked call '
    + '(above its reference bound: a strict majority of the other exact engines); EVM: the return data against the independently computed answer, and status, return data, gas and logs against a strict majority of distinct engines, else disputed',
  intervals: BOOTSTRAP_METHOD,
};

export { newRunId };

/** Runs a plan cell by cell, rewriting the results file after every fork. */
export async function runBenchmark(opts: RunOptions, runId = newRunId()): Promise<ResultsDocument> {
  const { plan } = opts;
  const cells = planCells(plan, allBackends(), opts.unavailable, (id) => findScenario(id, plan.cases?.[id]));
  const plugins = loadedPlugins().map((p) => p.url);
  const order = runOrder(cells, plan.forks, plan.shuffleSeed);
  const forks: ForkMeasurement[][] = cells.map(() => []);
  const doc: ResultsDocument = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'jitbench', version: TOOL_VERSION },
    runId,
    status: 'running',
    startedAt: new Date().toISOString(),
    command: opts.command,
    plan,
    // What a default run would have included but could not: named variants are not listed.
    unavailableBackends: [...opts.unavailable]
      .filter(([b]) => !plan.backends.includes(b) && findBackend(b)?.inDefaultRun !== false)
      .map(([backend, reason]) => ({ backend, reason })),
    ...(opts.missingParts && opts.missingParts.length > 0 ? { missingParts: opts.missingParts } : {}),
    environment: captureEnvironment(),
    method: METHOD,
    harnessOverhead: await measureHarnessOverhead(),
    cells: [],
  };
  const refresh = () => {
    doc.cells = cells.map((c, i) => cellResult(c, plan.seed, forks[i]!, plan.forks));
  };
  refresh();
  writeResults(opts.outPaths, doc);

  // Per-backend child environments (e.g. a virtual display), set up on first use and released at the end.
  const envs = new Map<string, Record<string, string>>();
  const envFor = async (id: string): Promise<Record<string, string>> => {
    if (!envs.has(id)) envs.set(id, (await findBackend(id)?.childEnv?.()) ?? {});
    return envs.get(id)!;
  };
  let done = 0;
  try {
    for (const item of order) {
      if (opts.signal?.aborted) break;
      const cell = cells[item.cell]!;
      opts.hooks?.onStart?.(done, order.length, cell, item.fork);
      const spec: CellSpec = {
        key: cell.key, scenario: cell.scenario, backend: cell.backend, n: cell.n, seed: plan.seed, threads: cell.threads,
        tier: cell.tier, v8Flags: cell.v8Flags, timeMs: plan.timeMs, fork: item.fork, debug: opts.debug, env: await envFor(cell.backend),
        plugins,
        ...(plan.cases?.[cell.scenario] !== undefined ? { caseData: plan.cases[cell.scenario] } : {}),
      };
      const m = plan.isolate === 'process' ? await measureForkIsolated(spec, plan.timeoutMs) : await measureForkInline(spec);
      if (opts.signal?.aborted && m.status === 'error') break; // killed by Ctrl-C: not a result
      forks[item.cell]!.push(m);
      done++;
      opts.hooks?.onDone?.(done, order.length, cell, m);
      refresh();
      writeResults(opts.outPaths, doc);
    }
  } finally {
    for (const id of envs.keys()) await findBackend(id)?.release?.();
  }
  return finish(doc, opts);
}

/** Final statuses: answers checked, unfinished cells listed as skipped with the reason. */
function finish(doc: ResultsDocument, opts: RunOptions): ResultsDocument {
  const interrupted = opts.signal?.aborted ?? false;
  for (const c of doc.cells) {
    if (c.status === 'pending') {
      c.status = 'skipped';
      c.reason = `not run: the run was interrupted${c.forks.length ? ` after ${c.forks.length} of ${opts.plan.forks} forks` : ''}`;
    }
  }
  checkAnswers(doc.cells);
  doc.cells.forEach(applyAnswerCheck);
  doc.status = interrupted ? 'interrupted' : 'complete';
  doc.finishedAt = new Date().toISOString();
  writeResults(opts.outPaths, doc);
  return doc;
}
