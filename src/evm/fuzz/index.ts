/**
 * The differential fuzzer: seeded cases from the generator, each run on evm-interp and on the
 * reference (@ethereumjs/evm), outcomes compared; a divergence is minimized and can be saved as a
 * JSON regression case (test/fixtures/evm-regressions/). See README "EVM" and generator.ts.
 * When ethereumjs is one of the two engines, a difference wholly explained by a known ethereumjs
 * deviation (known.ts) is masked: counted apart, not reported.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Fork } from '../fork.js';
import type { EvmEngine } from '../types.js';
import { type FuzzCase, type FuzzCaseJson, caseFromJson, caseToJson } from './case.js';
import { type Outcome, type OutcomeField, diffOutcomes, runCase } from './compare.js';
import { FUZZ_FORKS, FuzzGenerator } from './generator.js';
import { ETHEREUMJS_ID, explainingDeviation } from './known.js';
import { minimizeCase } from './minimize.js';
import { Rng } from './rng.js';

export { FUZZ_FORKS, FuzzGenerator } from './generator.js';
export { Rng } from './rng.js';
export { ddmin, minimizeCase } from './minimize.js';
export { runCase, diffOutcomes, outcomeOf, type Outcome, type OutcomeField } from './compare.js';
export { caseFromJson, caseToJson, toMessageCall, type FuzzCase, type FuzzCaseJson } from './case.js';
export { ETHEREUMJS_ID, KNOWN_ETHEREUMJS_DEVIATIONS, emulatedOutcome, explainingDeviation, type KnownDeviation } from './known.js';

export interface FuzzOptions {
  count: number;
  seed: number;
  forks?: readonly Fork[];
  /** The engine under test and the reference (the fuzzer's command line defaults to evm-interp against ethereumjs). */
  engine: EvmEngine;
  reference: EvmEngine;
  /** Shrink diverging cases (default true). */
  minimize?: boolean;
  /** Write each divergence as a regression case into this folder. */
  saveDir?: string;
  onProgress?: (done: number, report: FuzzReport) => void;
  /** Called for each divergence as it is found (after minimizing). */
  onDivergence?: (d: Divergence) => void;
}

export interface Divergence {
  index: number;
  fork: Fork;
  fields: OutcomeField[] | ['threw'];
  /** The minimized case (the original when not minimized). */
  case: FuzzCase;
  originalCodeLength: number;
  ours?: Outcome;
  theirs?: Outcome;
  error?: string;
  file?: string;
}

export interface FuzzReport {
  seed: number;
  programs: number;
  /** Cases both engines ran and whose outcomes were compared in full (agreeing or diverging). */
  compared: number;
  /** Cases whose whole difference a known ethereumjs deviation explains (not in `compared`). */
  masked: number;
  /** Cases skipped because our core does not implement a precompile they called. */
  unsupported: number;
  divergences: Divergence[];
  /** The masked cases by deviation id (KNOWN_ETHEREUMJS_DEVIATIONS). */
  knownEthereumjs: Record<string, number>;
  perFork: Record<string, number>;
  ms: number;
}

export type Compared = { kind: 'same' } | { kind: 'unsupported' } | { kind: 'known'; id: string } | { kind: 'diverge'; fields: Divergence['fields']; ours?: Outcome; theirs?: Outcome; error?: string };

/**
 * The known ethereumjs deviation that explains the whole difference between the two outcomes, when
 * exactly one of the two engines is ethereumjs (the other is taken to follow the specification).
 */
function knownDeviationBetween(c: FuzzCase, engine: EvmEngine, ours: Outcome, reference: EvmEngine, theirs: Outcome): string | undefined {
  const ejsIsEngine = engine.id === ETHEREUMJS_ID;
  if (ejsIsEngine === (reference.id === ETHEREUMJS_ID)) return undefined;
  return ejsIsEngine ? explainingDeviation(c, reference, ours)?.id : explainingDeviation(c, engine, theirs)?.id;
}

/** Run one case on both engines and compare the outcomes. */
export function compareCase(c: FuzzCase, engine: EvmEngine, reference: EvmEngine): Compared {
  let ours: ReturnType<typeof runCase>;
  try {
    ours = runCase(engine, c);
  } catch (err) {
    return { kind: 'diverge', fields: ['threw'], error: `${engine.id} threw: ${err instanceof Error ? err.message : String(err)}` };
  }
  if ('unsupported' in ours) return { kind: 'unsupported' };
  let theirs: ReturnType<typeof runCase>;
  try {
    theirs = runCase(reference, c);
  } catch (err) {
    return { kind: 'diverge', fields: ['threw'], ours, error: `${reference.id} threw: ${err instanceof Error ? err.message : String(err)}` };
  }
  if ('unsupported' in theirs) return { kind: 'unsupported' };
  const fields = diffOutcomes(ours, theirs);
  if (fields.length === 0) return { kind: 'same' };
  const known = knownDeviationBetween(c, engine, ours, reference, theirs);
  if (known) return { kind: 'known', id: known };
  return { kind: 'diverge', fields, ours, theirs };
}

export function runFuzz(opts: FuzzOptions): FuzzReport {
  const { engine, reference } = opts;
  const forks = opts.forks ?? FUZZ_FORKS;
  const gen = new FuzzGenerator(new Rng(opts.seed));
  const report: FuzzReport = { seed: opts.seed, programs: 0, compared: 0, masked: 0, unsupported: 0, divergences: [], knownEthereumjs: {}, perFork: {}, ms: 0 };
  const t0 = performance.now();
  for (let i = 0; i < opts.count; i++) {
    const fork = forks[i % forks.length]!;
    const c = gen.nextCase(fork);
    report.programs++;
    report.perFork[fork] = (report.perFork[fork] ?? 0) + 1;
    const r = compareCase(c, engine, reference);
    if (r.kind === 'unsupported') report.unsupported++;
    else if (r.kind === 'known') {
      report.masked++;
      report.knownEthereumjs[r.id] = (report.knownEthereumjs[r.id] ?? 0) + 1;
    } else report.compared++;
    if (r.kind === 'diverge') {
      let small = c;
      if (opts.minimize !== false) {
        const key = r.fields[0]!;
        small = minimizeCase(c, (x) => {
          const y = compareCase(x, engine, reference);
          return y.kind === 'diverge' && (y.fields as string[]).includes(key);
        });
      }
      const again = compareCase(small, engine, reference);
      const d: Divergence = {
        index: i,
        fork,
        fields: again.kind === 'diverge' ? again.fields : r.fields,
        case: small,
        originalCodeLength: c.preState.get(c.address)?.code.length ?? 0,
        ...(again.kind === 'diverge' ? { ours: again.ours, theirs: again.theirs, error: again.error } : { ours: r.ours, theirs: r.theirs, error: r.error }),
      };
      if (opts.saveDir) d.file = saveRegression(opts.saveDir, d, opts.seed, engine.id, reference.id);
      report.divergences.push(d);
      opts.onDivergence?.(d);
    }
    if (opts.onProgress && (i + 1) % 100 === 0) {
      report.ms = performance.now() - t0;
      opts.onProgress(i + 1, report);
    }
  }
  report.ms = performance.now() - t0;
  return report;
}

// ------------------------------------------------------------------ regression cases

export interface RegressionFile {
  name: string;
  description: string;
  foundBy?: { seed: number; index: number };
  case: FuzzCaseJson;
  /** The outcome required by the specification (the reference's, unless `ethereumjsWrong`). */
  expected: Outcome;
  /** Set when ethereumjs departs from the specification here: why, and what the spec says. */
  ethereumjsWrong?: string;
  /** What the engines answered when the case was found. */
  observed?: Record<string, Outcome | string>;
}

/** The repository's root (the folder with package.json above this file). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export function defaultRegressionDir(): string {
  return join(repoRoot(), 'test', 'fixtures', 'evm-regressions');
}

function saveRegression(dir: string, d: Divergence, seed: number, ours: string, theirs: string): string {
  mkdirSync(dir, { recursive: true });
  const name = `${d.fork}-seed${seed}-p${d.index}`;
  const file = join(dir, `${name}.json`);
  const doc: RegressionFile = {
    name,
    description: `differential fuzzer, seed ${seed}, program ${d.index} (${d.fork}): ${d.fields.join(', ')} differ${d.error ? ` (${d.error})` : ''}; minimized from ${d.originalCodeLength} to ${d.case.preState.get(d.case.address)?.code.length ?? 0} bytes of code`,
    foundBy: { seed, index: d.index },
    case: caseToJson(d.case),
    expected: d.theirs ?? ({} as Outcome),
    observed: { [ours]: d.ours ?? d.error ?? '', [theirs]: d.theirs ?? d.error ?? '' },
  };
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}

export function loadRegressions(dir = defaultRegressionDir()): Array<{ file: string; doc: RegressionFile; case: FuzzCase }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const doc = JSON.parse(readFileSync(file, 'utf8')) as RegressionFile;
      return { file, doc, case: caseFromJson(doc.case) };
    });
}
