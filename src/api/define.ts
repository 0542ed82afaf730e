/**
 * defineScenario / defineBackend: what a plugin (a user's or a built-in one) exports. They fill
 * in defaults, reject definitions the harness could not judge or run (a PluginError, one line),
 * and mark the result so that the plugin loader (src/core/plugins.ts) registers it.
 */
import { DEFINITION } from '../core/plugins.js';
import { PluginError } from '../core/registry.js';
import {
  type Accuracy, type Backend, type CellParams, type ExactAccuracy, type Kernel, type KernelOutput, type Probe, type Scenario,
  type ScenarioFamily, type StatisticalAccuracy,
} from '../core/types.js';
import { accuracy, perfTime } from '../metrics/decorators.js';

/** The answer of a size n and seed: what `reference` returns and `answer` reads from an output. */
export type Answer = unknown;

export interface StatisticalRule {
  /** The estimate in an output (e.g. 4 * hits / n). */
  estimate(output: KernelOutput): number;
  /** The true value the estimate approaches. */
  expected: number | ((params: Pick<CellParams, 'n' | 'seed'>) => number);
  /** The estimate's standard deviation at size n (the answer is suspect beyond `bound` sigmas). */
  sigma(params: Pick<CellParams, 'n' | 'seed'>): number;
  /** |z| above which an answer is suspect (default 4). */
  bound?: number;
}

export interface ScenarioDefinition {
  id: string;
  description?: string;
  /** Sizes n a run uses without --sizes. */
  sizes: number[];
  /**
   * How answers are judged; give one:
   * - `reference`: the exact answer for (n, seed), computed by the scenario itself; every call of
   *   every backend is checked against it (and exact backends against each other above `referenceMaxN`);
   * - `statistical`: a random estimate, judged by its z-score (error / sigma);
   * - `agreement: true`: no independent answer; exact backends must agree with each other.
   */
  reference?(params: Pick<CellParams, 'n' | 'seed'>): Answer;
  referenceMaxN?: number;
  statistical?: StatisticalRule;
  agreement?: boolean;
  /** The part of an output that is the answer (default: the output without n). */
  answer?(output: KernelOutput): Answer;
  /** Extra CSV columns: name -> value read from a cell's output. */
  columns?: Record<string, (output: KernelOutput) => unknown>;
}

function jsonKey(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function withoutN(o: KernelOutput): Answer {
  const { n: _n, ...rest } = o as Record<string, unknown>;
  return rest;
}

function validSizes(id: string, sizes: unknown): number[] {
  if (!Array.isArray(sizes) || sizes.length === 0 || !sizes.every((n) => Number.isSafeInteger(n) && n > 0)) {
    throw new PluginError(`scenario '${id}': sizes must be a non-empty array of positive integers (got ${JSON.stringify(sizes)})`);
  }
  return sizes as number[];
}

function statisticalCheck(rule: StatisticalRule): (o: KernelOutput, p: CellParams) => StatisticalAccuracy {
  const bound = rule.bound ?? 4;
  return (o, p) => {
    const estimate = rule.estimate(o);
    const truth = typeof rule.expected === 'number' ? rule.expected : rule.expected(p);
    const sigma = rule.sigma(p);
    const absError = Math.abs(estimate - truth);
    const z = (estimate - truth) / sigma;
    const invalid = !Number.isFinite(estimate) ? `estimate ${estimate}` : o.n !== p.n ? `answer for n=${o.n}, asked n=${p.n}` : undefined;
    return { estimate, absError, sigma, z, suspect: invalid !== undefined || Math.abs(z) > bound, ...(invalid ? { invalid } : {}) };
  };
}

/** A scenario: its sizes, how its answers are judged, and what the results and report show of it. */
export function defineScenario(def: ScenarioDefinition): Scenario {
  if (typeof def?.id !== 'string' || def.id.trim() === '' || /[\s,]/.test(def.id)) {
    throw new PluginError(`a scenario needs an id without spaces or commas (got ${JSON.stringify(def?.id)})`);
  }
  const { id } = def;
  const rules = [def.reference && 'reference', def.statistical && 'statistical', def.agreement && 'agreement'].filter(Boolean);
  if (rules.length === 0) throw new PluginError(`scenario '${id}' has no check: give reference(params), statistical { estimate, expected, sigma } or agreement: true`);
  if (rules.length > 1) throw new PluginError(`scenario '${id}' has ${rules.join(' and ')}: give one way to judge its answers`);
  const sizes = validSizes(id, def.sizes);
  const answerOf = def.answer ?? withoutN;
  const answerKey = (o: KernelOutput) => jsonKey(answerOf(o));
  let check: (o: KernelOutput, p: CellParams) => Accuracy;
  if (def.statistical) check = statisticalCheck(def.statistical);
  else if (def.reference) {
    const reference = def.reference.bind(def);
    const memo = new Map<string, string>();
    check = (o, p): ExactAccuracy => {
      const k = `${p.n}/${p.seed}`;
      let expected = memo.get(k);
      if (expected === undefined) memo.set(k, (expected = jsonKey(reference({ n: p.n, seed: p.seed }))));
      const actual = answerKey(o);
      const matches = actual === expected && o.n === p.n;
      return { exact: true, expected, actual, matches, suspect: !matches };
    };
  } else {
    // judged across backends after the run; per call only the size is checked
    check = (o, p): ExactAccuracy => ({ exact: true, expected: `an answer for n=${p.n}`, actual: `n=${o.n}`, matches: o.n === p.n, suspect: o.n !== p.n });
  }
  const scenario: Scenario & { [DEFINITION]: 'scenario' } = {
    [DEFINITION]: 'scenario',
    id,
    description: def.description ?? id,
    defaultSizes: sizes,
    check,
    answerKey,
    ...(def.reference ? { reference: (p: Pick<CellParams, 'n' | 'seed'>) => jsonKey(def.reference!(p)), referenceMaxN: def.referenceMaxN ?? Number.MAX_SAFE_INTEGER } : {}),
    ...(def.columns ? { columns: def.columns } : {}),
  };
  return scenario;
}

/** A call of a backend's kernel: the entry point the harness times and checks. */
export type KernelFunction = (params: CellParams) => KernelOutput | Promise<KernelOutput>;

export interface BackendDefinition {
  id: string;
  description?: string;
  /** The scenarios it runs: ids, or a test on the scenario. */
  supports: readonly string[] | ((scenario: Scenario) => boolean);
  /**
   * Compiles / initialises for one cell (timed as compile time) and returns the entry point: a
   * plain function (the harness times it with @perfTime and checks it with @accuracy), or a Kernel
   * whose `run` you decorated yourself.
   */
  prepare(scenario: Scenario, params: CellParams): KernelFunction | Kernel | Promise<KernelFunction | Kernel>;
  /** Whether its answers must be exact (checked against the reference and the other exact backends); default true. */
  deterministic?: boolean;
  /** V8 flag presets (`--tier`): name -> flags; default { default: [] }. */
  tiers?: Record<string, string[]>;
  /** Whether it can run here, and why not (default: available). */
  probe?(): Probe | Promise<Probe>;
  /** Facts recorded with each cell (library version, mode). */
  info?(): Record<string, unknown>;
  maxThreads?: number;
  inDefaultRun?: boolean;
  childEnv?(): Promise<Record<string, string>>;
  release?(): Promise<void>;
}

/** Wraps a plain entry point into a kernel whose run is timed and checked like the built-in ones. */
function functionKernel(fn: KernelFunction, scenario: Scenario, info: () => Record<string, unknown>): Kernel {
  class FunctionKernel implements Kernel {
    @accuracy((o, p) => scenario.check(o, p))
    @perfTime()
    run(params: CellParams): KernelOutput | Promise<KernelOutput> {
      return fn(params);
    }
    info(): Record<string, unknown> {
      return info();
    }
    dispose(): void {}
  }
  return new FunctionKernel();
}

/** A backend: where it runs, what it supports, and how it prepares a kernel for a cell. */
export function defineBackend(def: BackendDefinition | Backend): Backend {
  if (typeof def?.id !== 'string' || def.id.trim() === '' || /[\s,/]/.test(def.id)) {
    throw new PluginError(`a backend needs an id without spaces, commas or slashes (got ${JSON.stringify(def?.id)})`);
  }
  if (typeof def.prepare !== 'function') throw new PluginError(`backend '${def.id}' has no prepare(scenario, params) function`);
  if (typeof def.supports !== 'function' && !Array.isArray(def.supports)) throw new PluginError(`backend '${def.id}': supports must be a list of scenario ids or a function of the scenario`);
  const supports = def.supports;
  const user = def as BackendDefinition;
  const info = () => ({ ...(user.info?.() ?? {}) });
  const backend: Backend & { [DEFINITION]: 'backend' } = {
    ...(def as Backend),
    [DEFINITION]: 'backend',
    description: def.description ?? def.id,
    deterministic: def.deterministic ?? true,
    tiers: def.tiers ?? { default: [] },
    probe: async () => (def.probe ? await def.probe() : { available: true, detail: def.description ?? def.id }),
    supports: typeof supports === 'function' ? supports : (s: Scenario) => supports.includes(s.id),
    async prepare(scenario: Scenario, params: CellParams): Promise<Kernel> {
      const k = await def.prepare(scenario, params);
      if (typeof k === 'function') return functionKernel(k, scenario, info);
      if (!k || typeof (k as Kernel).run !== 'function') throw new Error(`backend '${def.id}': prepare() returned ${k === null ? 'null' : typeof k}, not a function or a kernel with run()`);
      if (typeof k.info === 'function' && typeof k.dispose === 'function') return k;
      const partial = k as Partial<Kernel> & Pick<Kernel, 'run'>;
      return { run: (p) => partial.run(p), info: () => partial.info?.() ?? {}, dispose: () => partial.dispose?.() };
    },
  };
  return backend;
}

/** A family of scenarios (built-in EVM scenarios): owned ids, listed ones, resolution of the others. */
export function defineScenarioFamily(family: ScenarioFamily): ScenarioFamily {
  return Object.assign(family, { [DEFINITION]: 'family' as const });
}
