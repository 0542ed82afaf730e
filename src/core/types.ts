/** Core contracts between the harness, the backends and the scenarios. */

/** What a backend says about itself on this machine. */
export interface Probe {
  available: boolean;
  /** Human-readable detail: library version, mode, flags ('wasm: SIMD on, binaryen 132'). */
  detail: string;
  /** Why it is not available (only when available is false). */
  reason?: string;
  /** Optional parts not installed here that would make it available or better, each with the command that adds it. */
  missing?: MissingPart[];
}

/** An optional part of the machine or the install (a native package, a system program) and the one command that adds it. */
export interface MissingPart {
  /** What it is, in a few words ('Xvfb, a virtual display for headless-gl'). */
  part: string;
  /** The single command that installs it. */
  add: string;
}

/** A missing part with the backends it would make available or better (results `missingParts`, `jitbench list`). */
export interface MissingPartUse extends MissingPart {
  backends: string[];
}

/** Run-time parameters of one cell; they reach the kernel at call time, never as constants. */
export interface CellParams {
  n: number;
  seed: number;
  threads: number;
}

/** The answer of one call of a Monte Carlo pi kernel. */
export interface PiOutput {
  hits: number;
  n: number;
}

/** The answer of one EVM message call (EVM scenarios). */
export interface EvmOutput {
  /** The workload size (the contract's loop count or sample count). */
  n: number;
  evm: {
    status: 'success' | 'revert' | 'halt';
    /** Return data, 0x-hex. */
    returnData: string;
    gasUsed: number;
    /** Number of logs and a digest of them (sha256 of address, topics and data), added after the timed call. */
    logs?: number;
    logsHash?: string;
  };
}

/** The answer of a user's scenario: its size and whatever the scenario's `answer` reads (JSON data). */
export interface DataOutput {
  n: number;
  [field: string]: unknown;
}

/** The answer of one call of a kernel. */
export type KernelOutput = PiOutput | EvmOutput | DataOutput;

export function isPiOutput(o: KernelOutput): o is PiOutput {
  return typeof (o as PiOutput).hits === 'number';
}

export function isEvmOutput(o: KernelOutput): o is EvmOutput {
  return typeof (o as EvmOutput).evm === 'object' && (o as EvmOutput).evm !== null;
}

/** A prepared (compiled) kernel: the decorated entry point plus cleanup. */
export interface Kernel {
  run(params: CellParams): KernelOutput | Promise<KernelOutput>;
  /** Breakdown of the preparation (compile phases, worker start-up) and run-time facts. */
  info(): Record<string, unknown>;
  dispose(): Promise<void> | void;
  /**
   * The fixed per-call cost of what this kernel runs on (an EVM engine's empty contract call), as
   * a kernel the harness times exactly like this one (same warm-up, batching and decorators) after
   * the samples; the harness disposes it. Its median is stored as the fork's `baseline`.
   */
  baseline?(): Kernel;
  /** Calibration facts that take calls to measure: run after the samples (never before the first call), merged into info. */
  calibrate?(): Record<string, unknown> | Promise<Record<string, unknown>>;
}

/** The V8 tier presets of a backend whose work is plain JavaScript (V8's own JIT is what is measured). */
export const JS_TIERS: Readonly<Record<string, string[]>> = {
  default: [],
  'no-opt': ['--no-opt', '--no-maglev'],
  jitless: ['--jitless'],
};

export interface Backend {
  id: string;
  description: string;
  /** Whether its answers are exact (same generator as the scenario spec) or only statistical. */
  deterministic: boolean;
  /** JIT tier presets for this backend: name -> V8 flags. 'default' is always present. */
  tiers: Record<string, string[]>;
  probe(): Promise<Probe>;
  /** Whether it runs a scenario (given the scenario, so a backend can match on its family or fields). */
  supports(scenario: Scenario): boolean;
  /** Largest --threads value the backend honours (default: any); cells above it are skipped with the reason. */
  maxThreads?: number;
  /** Whether a run without --backend includes it (default true; named variants of a family say false). */
  inDefaultRun?: boolean;
  /**
   * Environment variables the cell's child process needs (e.g. DISPLAY of a virtual X server),
   * asked once per run before the backend's first cell; `release` is called when the run ends.
   */
  childEnv?(): Promise<Record<string, string>>;
  release?(): Promise<void>;
  /** Compile / initialise; timed as compileMs. The scenario is the one resolved in the parent (its `caseData` travels to the child). */
  prepare(scenario: Scenario, params: CellParams): Promise<Kernel>;
}

/** Result of checking a random estimate (Monte Carlo pi): error in units of its sampling sigma. */
export interface StatisticalAccuracy {
  estimate: number;
  absError: number;
  sigma: number;
  z: number;
  suspect: boolean;
  /** Set when the answer is malformed (NaN or infinite estimate, hits out of range, another n): no noise explains it. */
  invalid?: string;
}

/** Result of checking an exact answer (EVM workloads) against the independently computed one. */
export interface ExactAccuracy {
  exact: true;
  expected: string;
  actual: string;
  matches: boolean;
  /** Set when the answer is wrong: a wrong exact answer is never "noise". */
  suspect: boolean;
}

export type Accuracy = StatisticalAccuracy | ExactAccuracy;

export function isExactAccuracy(a: Accuracy): a is ExactAccuracy {
  return 'exact' in a;
}

/**
 * How bad an answer is: 2 = wrong (an exact mismatch, or a malformed statistical answer: NaN,
 * Infinity, another n), 1 = suspect (|z| beyond the bound), 0 = within the noise.
 */
export function accuracyRank(a: Accuracy): 0 | 1 | 2 {
  if (isExactAccuracy(a)) return a.matches ? 0 : 2;
  if (a.invalid !== undefined || !Number.isFinite(a.z) || !Number.isFinite(a.estimate)) return 2;
  return a.suspect ? 1 : 0;
}

/** Whether `a` is a worse answer than `b`: a higher rank, or the same rank and a larger |z|. */
export function isWorseAccuracy(a: Accuracy, b: Accuracy): boolean {
  const ra = accuracyRank(a);
  const rb = accuracyRank(b);
  if (ra !== rb) return ra > rb;
  const z = (x: Accuracy) => (isExactAccuracy(x) || !Number.isFinite(x.z) ? 0 : Math.abs(x.z));
  return z(a) > z(b);
}

/** The worst of several answers (undefined for none). */
export function worstAccuracy(all: readonly Accuracy[]): Accuracy | undefined {
  let worst: Accuracy | undefined;
  for (const a of all) if (!worst || isWorseAccuracy(a, worst)) worst = a;
  return worst;
}

/** How a cell's answer was checked. */
export interface AnswerCheck {
  /**
   * reference: exact hits from the spec generator (EVM: the workload's answer computed in
   * TypeScript); cross-backend: agreement of exact backends (EVM engines); statistical: |z| only;
   * unchecked: an EVM call with no independent answer (user code) run on one engine only.
   */
  method: 'reference' | 'cross-backend' | 'statistical' | 'unchecked';
  expectedHits?: number;
  /** Other scenarios: the agreed (or reference) answer, as its key (Scenario.answerKey). */
  expected?: string;
  /** EVM cells: the agreed status, return data (0x-hex), gas used and logs (count, digest), and the other engines compared. */
  expectedStatus?: string;
  expectedReturnData?: string;
  expectedGasUsed?: number;
  expectedLogs?: number;
  expectedLogsHash?: string;
  comparedWith?: string[];
  matches?: boolean;
  /** Engines disagree and no strict majority of distinct engines (nor a reference) decides: which fields differ, who said what. */
  disputed?: boolean;
  disagreement?: { fields: string[]; answers: Array<{ answer: string; engines: string[] }> };
}

/** What a family's answer rules see of a measured cell (a CellResult). */
export interface JudgedCell {
  scenario: string;
  backend: string;
  n: number;
  seed: number;
  /** The worst per-call accuracy (the kernel's @accuracy). */
  accuracy?: Accuracy;
  answerCheck?: AnswerCheck;
}

/**
 * How the harness judges a scenario's answers across backends once every cell is measured:
 * `answerKey` is what exact backends must agree on (and what `reference` is compared with).
 */
export interface AnswerRules {
  /** The part of an answer that exact backends must agree on, as a string (default: the output without n, as JSON). */
  answerKey?(output: KernelOutput): string;
  /** Turns an agreed answer key into the fields of the cell's answerCheck (default: `expected`). */
  expectedFields?(key: string): Record<string, unknown>;
  /** Names of the answer's fields, for the reason of a disagreement (default: ['answer']). */
  answerFields?: string[];
}

/**
 * A family of scenarios that share an id pattern (`evm:...`), listed ones and ones resolved on
 * demand (`evm:fib@viaIR`, a user's Solidity call), and the family-wide rules for judging and
 * reporting them (the EVM engines' majority vote on status, return data, gas and logs).
 */
export interface ScenarioFamily {
  id: string;
  description: string;
  owns(scenarioId: string): boolean;
  /** The scenarios `jitbench list` shows (registered with the family). */
  listed(): Scenario[];
  /** The scenario of an id the family owns; `caseData` is the resolved case recorded in the parent (CellSpec.case). */
  resolve(scenarioId: string, caseData?: unknown): Scenario | undefined;
  /** Extra id syntax for messages ('evm:FILE.sol:Contract.fn(args)'). */
  syntax?: string;
  /** Ids that stand for several scenarios (`evm:corpus`). */
  aliases?: Record<string, string[]>;
  /** Options of `jitbench run` the family reads (name -> help text), passed to planScenarios. */
  runOptions?: Record<string, string>;
  /**
   * The scenarios of a run for the names it owns (already split, aliases not yet expanded), with
   * the run's family options; a bad name or option is a UsageError. `record` goes into the plan.
   */
  planScenarios?(names: string[], options: Record<string, string | undefined>): { scenarios: Scenario[]; record?: Record<string, unknown> };
  /**
   * Judges the answers of the family's cells once every cell is measured, setting each cell's
   * answerCheck (default: the scenario's reference for exact backends, their agreement above it).
   */
  judge?(cells: JudgedCell[], answersOf: (c: JudgedCell) => KernelOutput[]): void;
  /** The reason text of a wrong or disputed cell (default: its answers against the expected one). */
  describeAnswers?(c: JudgedCell, answersOf: (c: JudgedCell) => KernelOutput[]): string;
  /** Per-row facts the report reads from a cell (e.g. gas used). */
  reportFields?(output: KernelOutput): Record<string, unknown>;
  report?: ReportHints;
}

/** What the report compares a scenario's backends with (names of backends: the scenario knows them, the harness does not). */
export interface ReportHints {
  /** The backend every other is compared with at the same point (pi: ts; EVM: ethereumjs). */
  speedupBaseline?: string;
  /** Speedups also net of each backend's fixed per-call cost (Kernel.baseline: an EVM engine's empty call). */
  netSpeedups?: boolean;
  /** The backend a compiling backend's compile time is weighed against (break-even calls; EVM: evm-interp). */
  breakEvenBaseline?: string;
  /** A caveat the report states when the run has cells of this scenario. */
  caveat?: string;
}

/** Charts the report draws for any scenario (src/report/charts.ts). */
export type ChartKind = 'time-vs-n' | 'error-vs-n' | 'speedup' | 'tradeoff' | 'phases' | 'warmup';

export interface Scenario extends AnswerRules {
  id: string;
  description: string;
  /** The family it belongs to (absent: a scenario of its own). */
  family?: ScenarioFamily;
  /** Other names `--scenario` accepts for it ('monte-carlo-pi'). */
  aliases?: string[];
  /**
   * The resolved case, as plain data: resolved once in the parent and sent to each cell's child
   * process in its spec, where the family rebuilds the scenario from it without parsing the id.
   */
  caseData?: unknown;
  /** A group the report shows apart (e.g. 'corpus'). */
  group?: string;
  /** How the report names the workload (default: the id); EVM: the id without its pipeline suffix. */
  workload?: string;
  /** A variant of how the workload was built, that the report compares (EVM: the solc pipeline). */
  pipeline?: string;
  /** Sizes (n) a run uses when --samples is not given (default: the pi sweep). */
  defaultSizes?: number[];
  /** Sizes used whatever --samples says: the scenario's work does not depend on n (a user's EVM call). */
  fixedSizes?: number[];
  /** Accuracy of one output for the given params. */
  check(output: KernelOutput, params: CellParams): Accuracy;
  /**
   * The exact answer, computed by the scenario itself independently of every backend (Monte Carlo
   * pi: the hit count of the generator's spec), for sizes up to `referenceMaxN`. Exact backends are
   * checked against it; above it they are checked against each other.
   */
  reference?(params: Pick<CellParams, 'n' | 'seed'>): unknown;
  referenceMaxN?: number;
  /** Extra CSV columns: name -> value read from a cell's output. */
  columns?: Record<string, (output: KernelOutput) => unknown>;
  /**
   * The report's charts of this scenario (default: time per call vs n, compile and first call,
   * warm-up), by kind; 'error-vs-n' draws `sigma` as the noise line of a statistical answer.
   */
  charts?: ChartKind[];
  sigma?(n: number): number;
  /** What the report compares its backends with (a family's hints apply to every scenario of it). */
  report?: ReportHints;
}
