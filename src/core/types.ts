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

/** The answer of one call of a kernel. */
export type KernelOutput = PiOutput | EvmOutput;

export function isPiOutput(o: KernelOutput): o is PiOutput {
  return 'hits' in o;
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
  supports(scenarioId: string): boolean;
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
  /** Compile / initialise; timed as compileMs. */
  prepare(scenarioId: string, params: CellParams): Promise<Kernel>;
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

export interface Scenario {
  id: string;
  description: string;
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
  reference?(params: Pick<CellParams, 'n' | 'seed'>): number;
  referenceMaxN?: number;
}
