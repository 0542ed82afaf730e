/**
 * The spelling of EVM scenario ids. Pure string work (no compiling, no file access), so that the
 * harness can tell what an id is from the id alone.
 *
 *   evm:fib                              built-in workload, legacy pipeline
 *   evm:fib@viaIR                        the same workload compiled with viaIR
 *   evm:./My.sol:My.run(n,7)[@viaIR]     a user's Solidity function (file, contract, function, arguments)
 *   evm:code:1a2b3c4d[:5e6f7a8b]         raw bytecode from `jitbench run --code` (keccak prefixes of code and calldata)
 */
import { SOLC_PIPELINES, type SolcPipeline } from './solc-compile.js';
import { CORPUS_ENGINE_CHECKED } from './corpus/ids.js';

export const EVM_SCENARIO_PREFIX = 'evm:';
/** Separates a scenario id from its pipeline: `evm:fib@viaIR`. No suffix means legacy. */
export const PIPELINE_SEPARATOR = '@';
export const DEFAULT_PIPELINE: SolcPipeline = 'legacy';
export const CODE_SCENARIO_PREFIX = 'evm:code:';

export function isEvmScenario(id: string): boolean {
  return id.startsWith(EVM_SCENARIO_PREFIX);
}

/** A raw-bytecode scenario (`--code`): no Solidity, so no pipeline. */
export function isCodeScenario(id: string): boolean {
  return id.startsWith(CODE_SCENARIO_PREFIX);
}

/** A user-supplied Solidity function: `evm:FILE.sol:Contract.fn(args)`. */
export function isSolidityCallScenario(id: string): boolean {
  return isEvmScenario(id) && !isCodeScenario(id) && /\.sol:/.test(id);
}

/**
 * Scenarios whose answer is computed independently (the built-in workloads, most of the corpus);
 * the others are only cross-checked between engines.
 */
export function hasReferenceAnswer(id: string): boolean {
  return isEvmScenario(id) && !isCodeScenario(id) && !isSolidityCallScenario(id) && !CORPUS_ENGINE_CHECKED.has(splitPipeline(id).base);
}

/** `evm:fib@viaIR` -> { base: 'evm:fib', pipeline: 'viaIR' }; no (or an unknown) suffix -> legacy with the id unchanged. */
export function splitPipeline(id: string): { base: string; pipeline: SolcPipeline; explicit: boolean } {
  const at = id.lastIndexOf(PIPELINE_SEPARATOR);
  if (at > 0 && !isCodeScenario(id)) {
    const suffix = id.slice(at + 1);
    if ((SOLC_PIPELINES as readonly string[]).includes(suffix)) return { base: id.slice(0, at), pipeline: suffix as SolcPipeline, explicit: true };
  }
  return { base: id, pipeline: DEFAULT_PIPELINE, explicit: false };
}

/** The id of `base` compiled with `pipeline` (legacy: the plain id). */
export function withPipeline(base: string, pipeline: SolcPipeline): string {
  return pipeline === DEFAULT_PIPELINE ? base : `${base}${PIPELINE_SEPARATOR}${pipeline}`;
}

/** The pipeline of a scenario id (undefined for non-Solidity scenarios: pi, raw code). */
export function pipelineOf(id: string): SolcPipeline | undefined {
  if (!isEvmScenario(id) || isCodeScenario(id)) return undefined;
  return splitPipeline(id).pipeline;
}

export { splitScenarioList } from '../../src/util/split-list.js';

export interface SolidityCallId {
  /** The Solidity file as written (relative to the working directory, or absolute). */
  file: string;
  contract: string;
  fn: string;
  /** Argument literals (or `n` / `seed`), without spaces. */
  args: string[];
  pipeline: SolcPipeline;
}

const IDENT = '[A-Za-z_$][A-Za-z0-9_$]*';
const CALL_RE = new RegExp(`^${EVM_SCENARIO_PREFIX}(.+\\.sol):(${IDENT})\\.(${IDENT})\\(([^()]*)\\)$`);

export const SOLIDITY_CALL_SYNTAX = 'evm:FILE.sol:Contract.function(arg,...) (e.g. evm:./My.sol:My.run(1000,7); arguments: integers, true/false, 0x addresses or bytesN, n and seed for the cell\'s size and seed; append @viaIR for the viaIR pipeline)';

/** Parses `evm:FILE.sol:Contract.fn(args)[@pipeline]`; undefined when the id is not of that form. */
export function parseSolidityCallId(id: string): SolidityCallId | undefined {
  const { base, pipeline } = splitPipeline(id);
  const m = CALL_RE.exec(base);
  if (!m) return undefined;
  const inner = m[4]!.replace(/\s+/g, '');
  return { file: m[1]!, contract: m[2]!, fn: m[3]!, args: inner === '' ? [] : inner.split(','), pipeline };
}

/** The canonical id of a parsed call (spaces in the argument list dropped). */
export function solidityCallId(c: SolidityCallId): string {
  return withPipeline(`${EVM_SCENARIO_PREFIX}${c.file}:${c.contract}.${c.fn}(${c.args.join(',')})`, c.pipeline);
}
