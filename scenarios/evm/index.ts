/**
 * EVM scenarios (`evm:<workload>[@viaIR]`, `evm:FILE.sol:Contract.fn(args)[@viaIR]`, `evm:code:<hash>`):
 * Solidity workloads compiled with solc (solc-compile.ts), user-supplied Solidity functions or raw
 * bytecode, run as one message call per kernel call on an EVM engine. The built-in workloads are
 * checked exactly against an answer computed in TypeScript; every EVM scenario is also checked
 * across the engines of a run (src/run/answers.ts).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { CellParams, ExactAccuracy, KernelOutput, Scenario } from '../../src/core/types.js';
import { isEvmOutput } from '../../src/core/types.js';
import { bigintToHex, bytesToHex, hexToBytes } from '../../src/evm/hex.js';
import { keccak256 } from '../../src/evm/keccak.js';
import type { MessageCall } from '../../src/evm/types.js';
import { UsageError } from '../../src/util/errors.js';
import { argWords, encodeArg, staticParamTypes } from './abi-args.js';
import { accountArtifacts, codeCall, encodeCall, WORKLOAD_FORK } from './call.js';
import {
  CODE_SCENARIO_PREFIX, EVM_SCENARIO_PREFIX, isCodeScenario, isEvmScenario, isSolidityCallScenario, parseSolidityCallId,
  solidityCallId, SOLIDITY_CALL_SYNTAX, splitPipeline, withPipeline, type SolidityCallId,
} from './ids.js';
import { builtInContract, compileContract, DEFAULT_SOLC_SETTINGS, SolcError, type ContractArtifact, type SolcPipeline } from './solc-compile.js';
import { EVM_WORKLOADS, findEvmWorkload, type EvmWorkload } from './workloads.js';
import { corpusCase } from './corpus/case.js';
import { CORPUS_ALIAS, CORPUS_WORKLOADS, corpusScenarioIds, findCorpusWorkload } from './corpus/index.js';

export { EVM_SCENARIO_PREFIX, isEvmScenario };

/** The built-in workload of an `evm:` scenario id (the pipeline suffix, if any, is ignored). */
export function workloadOf(scenarioId: string): EvmWorkload {
  const w = findEvmWorkload(splitPipeline(scenarioId).base.slice(EVM_SCENARIO_PREFIX.length));
  if (!w) throw new Error(`unknown EVM scenario '${scenarioId}': known are ${EVM_WORKLOADS.map((x) => EVM_SCENARIO_PREFIX + x.id).join(', ')}`);
  return w;
}

/** The workload's contract, compiled with the pinned settings (cached by input hash). */
export function workloadArtifact(w: EvmWorkload, pipeline: SolcPipeline = 'legacy'): ContractArtifact {
  return compileContract(builtInContract(w.file), w.contract, { ...DEFAULT_SOLC_SETTINGS, pipeline });
}

/** The 32-byte return word expected from a workload, 0x-hex. */
export function expectedReturnData(w: EvmWorkload, params: Pick<CellParams, 'n' | 'seed'>): string {
  return `0x${bigintToHex(w.expected(params.n, params.seed)).slice(2).padStart(64, '0')}`;
}

/** Exact check of one EVM answer: the call succeeded and returned the independently computed word. */
export function evmAccuracy(w: EvmWorkload): (output: KernelOutput, params: CellParams) => ExactAccuracy {
  return exactCheck((p) => expectedReturnData(w, p));
}

/** The exact check against an expected return data per (n, seed), memoized. */
export function exactCheck(expectedOf: (p: CellParams) => string): (output: KernelOutput, params: CellParams) => ExactAccuracy {
  const memo = new Map<string, string>();
  return (output, params) => {
    if (!isEvmOutput(output)) throw new Error('EVM check given an answer without an EVM outcome');
    const key = `${params.n}/${params.seed}`;
    let expected = memo.get(key);
    if (expected === undefined) memo.set(key, (expected = expectedOf(params)));
    const actual = output.evm.status === 'success' ? output.evm.returnData : `${output.evm.status} ${output.evm.returnData}`;
    const matches = actual === expected && output.n === params.n;
    return { exact: true, expected, actual, matches, suspect: !matches };
  };
}

/**
 * A resolved EVM scenario as plain data: what the id was parsed into, once, in the parent. It
 * travels in each cell's spec (Scenario.caseData), and the child rebuilds the case from it.
 */
export type EvmCaseData =
  | { kind: 'workload' | 'corpus'; name: string; pipeline: SolcPipeline }
  | { kind: 'solidity'; call: SolidityCallId }
  | { kind: 'code'; code: string; calldata: string };

/** What an EVM scenario id stands for, before anything is compiled. */
export interface EvmCase {
  id: string;
  /** What the id was resolved into (see EvmCaseData). */
  data: EvmCaseData;
  kind: 'workload' | 'corpus' | 'solidity' | 'code';
  /** The report groups scenarios of the same group (e.g. 'corpus'); recorded in each cell's info. */
  group?: string;
  description: string;
  /** Sizes a run uses without --samples. */
  defaultSizes: number[];
  /** The call does not depend on n: it runs at these sizes whatever --samples says. */
  fixedSizes?: number[];
  maxN: number;
  /** The solc pipeline (undefined for raw bytecode). */
  pipeline?: SolcPipeline;
  workload?: EvmWorkload;
  /** Compiles (cached) and prepares the call; a mistake in what the user wrote is a UsageError. */
  load(): LoadedEvmCase;
}

export interface LoadedEvmCase {
  /** Runtime bytecode of the called contract, and of the other accounts with code in the pre-state. */
  code: Uint8Array;
  others: Array<{ address: string; runtime: Uint8Array }>;
  call(n: number, seed: number): MessageCall;
  /** The return data (0x-hex) computed independently of any engine, when there is such an answer. */
  expected?(n: number, seed: number): string;
  /** What the results record about the code: compiler, settings, bytecode hash and size, ... */
  facts: Record<string, unknown>;
}

function artifactFacts(a: ContractArtifact): Record<string, unknown> {
  return {
    contract: a.contract,
    solcVersion: a.solcVersion,
    solcSettings: a.settings,
    pipeline: a.settings.pipeline,
    solcInputHash: a.inputHash,
    bytecodeKeccak: a.runtimeKeccak,
    bytecodeBytes: (a.runtime.length - 2) / 2,
  };
}

function memoLoad(load: () => LoadedEvmCase): () => LoadedEvmCase {
  let loaded: LoadedEvmCase | undefined;
  return () => (loaded ??= load());
}

function workloadCase(id: string, w: EvmWorkload, pipeline: SolcPipeline): EvmCase {
  return {
    id, kind: 'workload', data: { kind: 'workload', name: w.id, pipeline }, description: pipeline === 'legacy' ? w.description : `${w.description} [viaIR]`,
    defaultSizes: w.defaultSizes, maxN: w.maxN, pipeline, workload: w,
    load: memoLoad(() => {
      const artifact = workloadArtifact(w, pipeline);
      const selector = artifact.selectors[w.signature];
      if (!selector) throw new Error(`${artifact.contract} has no function ${w.signature} (it has ${Object.keys(artifact.selectors).join(', ')})`);
      const others = accountArtifacts(w, artifact);
      const runtime = hexToBytes(artifact.runtime);
      const otherCode = others.map((o) => ({ address: o.address, runtime: hexToBytes(o.artifact.runtime) }));
      return {
        code: runtime,
        others: otherCode,
        call: (n, seed) => codeCall(runtime, encodeCall(selector, w.args(n, seed)), otherCode),
        expected: (n, seed) => expectedReturnData(w, { n, seed }),
        facts: {
          ...artifactFacts(artifact),
          function: w.signature,
          ...(others.length ? { otherContracts: others.map((o) => ({ address: o.address, ...artifactFacts(o.artifact) })) } : {}),
        },
      };
    }),
  };
}

function solidityCase(id: string): EvmCase {
  const c = parseSolidityCallId(id);
  if (!c) throw new UsageError(`malformed Solidity call scenario '${id}': expected ${SOLIDITY_CALL_SYNTAX}`);
  return solidityCallCase(c);
}

function solidityCallCase(c: SolidityCallId): EvmCase {
  const sized = c.args.includes('n');
  const canonical = solidityCallId(c);
  return {
    id: canonical, kind: 'solidity', data: { kind: 'solidity', call: c }, description: `${c.contract}.${c.fn}(${c.args.join(', ')}) from ${c.file} (user-supplied; checked across engines only)`,
    defaultSizes: sized ? [1000] : [1], ...(sized ? {} : { fixedSizes: [1] }), maxN: 1e10, pipeline: c.pipeline,
    load: memoLoad(() => {
      const path = isAbsolute(c.file) ? c.file : resolve(process.cwd(), c.file);
      if (!existsSync(path)) throw new UsageError(`Solidity file not found: ${c.file} (scenario ${canonical})`);
      let artifact: ContractArtifact;
      try {
        artifact = compileContract(path, c.contract, { ...DEFAULT_SOLC_SETTINGS, pipeline: c.pipeline });
      } catch (e) {
        throw e instanceof SolcError ? new UsageError(e.message) : e;
      }
      const named = Object.keys(artifact.selectors).filter((s) => s.startsWith(`${c.fn}(`));
      if (named.length === 0) {
        throw new UsageError(`contract ${c.contract} in ${c.file} has no external function '${c.fn}': it has ${Object.keys(artifact.selectors).join(', ') || 'none'}`);
      }
      const arity = (sig: string) => (sig.endsWith('()') ? 0 : sig.split(',').length);
      const fitting = named.filter((s) => arity(s) === c.args.length);
      if (fitting.length === 0) throw new UsageError(`${c.contract}.${named.join(' / ')} takes ${named.map(arity).join(' or ')} argument(s), got ${c.args.length}: ${c.args.join(',') || '(none)'}`);
      if (fitting.length > 1) throw new UsageError(`${c.contract}.${c.fn} is overloaded with ${c.args.length} arguments (${fitting.join(', ')}): not supported, call a function with a unique name`);
      const signature = fitting[0]!;
      const types = staticParamTypes(signature);
      if (!types) throw new UsageError(`${c.contract}.${signature}: only static uintN, intN, bool, address and bytesN arguments are supported`);
      const words = c.args.map((lit, i) => encodeArg(types[i]!, lit, `argument ${i + 1} of ${c.contract}.${signature}`));
      const selector = artifact.selectors[signature]!;
      const runtime = hexToBytes(artifact.runtime);
      return {
        code: runtime,
        others: [],
        call: (n, seed) => codeCall(runtime, encodeCall(selector, argWords(words, n, seed, `${c.contract}.${signature}`))),
        facts: { ...artifactFacts(artifact), source: c.file, function: signature, arguments: c.args },
      };
    }),
  };
}

/** Raw bytecode given with `jitbench run --code`, by scenario id. */
const rawCode = new Map<string, { code: string; calldata: string }>();

/** The scenario id of raw bytecode and calldata: `evm:code:<keccak(code)[0..4]>[:<keccak(calldata)[0..4]>]`. */
export function codeScenarioId(code: Uint8Array, calldata: Uint8Array): string {
  const short = (b: Uint8Array) => bytesToHex(keccak256(b)).slice(2, 10);
  return `${CODE_SCENARIO_PREFIX}${short(code)}${calldata.length ? `:${short(calldata)}` : ''}`;
}

/** Makes raw bytecode a scenario of this process (the parent before a run; each cell's child from its CellSpec). */
export function registerEvmCode(code: string, calldata: string): string {
  const id = codeScenarioId(hexToBytes(code), hexToBytes(calldata));
  rawCode.set(id, { code, calldata });
  cases.delete(id);
  return id;
}

export function registeredEvmCode(id: string): { code: string; calldata: string } | undefined {
  return rawCode.get(id);
}

function codeCase(id: string): EvmCase {
  const raw = rawCode.get(id);
  if (!raw) throw new UsageError(`unknown raw-bytecode scenario '${id}': such scenarios come from jitbench run --code HEX|@FILE [--calldata HEX]`);
  return {
    id, kind: 'code', data: { kind: 'code', ...raw }, description: `raw bytecode (${(raw.code.length - 2) / 2} bytes) from --code; checked across engines only`,
    defaultSizes: [1], fixedSizes: [1], maxN: 1,
    load: memoLoad(() => {
      const code = hexToBytes(raw.code);
      const calldata = hexToBytes(raw.calldata);
      return {
        code,
        others: [],
        call: () => codeCall(code, calldata),
        facts: {
          bytecodeKeccak: bytesToHex(keccak256(code)),
          bytecodeBytes: code.length,
          calldataBytes: calldata.length,
          ...(calldata.length <= 1024 ? { calldata: raw.calldata } : { calldataKeccak: bytesToHex(keccak256(calldata)) }),
        },
      };
    }),
  };
}

const cases = new Map<string, EvmCase>();

/** Resolves an `evm:` scenario id (no compiling yet); an id that cannot be one is a UsageError naming what is accepted. */
export function resolveEvmCase(id: string): EvmCase {
  const hit = cases.get(id);
  if (hit) return hit;
  let c: EvmCase;
  if (isCodeScenario(id)) c = codeCase(id);
  else if (isSolidityCallScenario(id)) c = solidityCase(id);
  else {
    const { base, pipeline } = splitPipeline(id);
    const name = isEvmScenario(base) ? base.slice(EVM_SCENARIO_PREFIX.length) : '';
    const w = findEvmWorkload(name);
    const cw = w ? undefined : findCorpusWorkload(name);
    if (w) c = workloadCase(withPipeline(base, pipeline), w, pipeline);
    else if (cw) c = corpusCase(withPipeline(base, pipeline), cw, pipeline, memoLoad);
    else {
      const ids = (ws: ReadonlyArray<{ id: string }>) => ws.map((x) => EVM_SCENARIO_PREFIX + x.id).join(', ');
      throw new UsageError(`unknown scenario '${id}': accepted EVM scenarios are ${ids(EVM_WORKLOADS)} (each also as @viaIR), the corpus ${ids(CORPUS_WORKLOADS)} (each also as @viaIR; ${CORPUS_ALIAS} for all of them), ${SOLIDITY_CALL_SYNTAX}, or jitbench run --code`);
    }
  }
  cases.set(id, c);
  return c;
}

/** What the CSV shows of an EVM answer. */
const EVM_COLUMNS: NonNullable<Scenario['columns']> = {
  evm_status: (o) => (isEvmOutput(o) ? o.evm.status : undefined),
  evm_return_data: (o) => (isEvmOutput(o) ? o.evm.returnData : undefined),
  evm_gas_used: (o) => (isEvmOutput(o) ? o.evm.gasUsed : undefined),
};

const scenarios = new WeakMap<EvmCase, Scenario>();

/** The Scenario of a resolved case (one object per case). */
export function caseScenario(c: EvmCase): Scenario {
  const had = scenarios.get(c);
  if (had) return had;
  let check: ((o: KernelOutput, p: CellParams) => ExactAccuracy) | undefined;
  const s: Scenario = {
    id: c.id,
    description: c.description,
    defaultSizes: c.defaultSizes,
    ...(c.fixedSizes ? { fixedSizes: c.fixedSizes } : {}),
    caseData: c.data,
    ...(c.group ? { group: c.group } : {}),
    workload: splitPipeline(c.id).base,
    ...(c.pipeline ? { pipeline: c.pipeline } : {}),
    columns: EVM_COLUMNS,
    charts: ['time-vs-n', 'phases'],
    check(o, p) {
      const loaded = c.load();
      const expected = loaded.expected;
      check ??= expected
        ? exactCheck((q) => expected(q.n, q.seed))
        : (out) => {
          // no independent answer: the call must succeed; agreement is checked across engines
          const evm = isEvmOutput(out) ? out.evm : undefined;
          const matches = evm?.status === 'success';
          return { exact: true, expected: 'success', actual: evm ? `${evm.status} ${evm.returnData}` : 'no EVM answer', matches, suspect: !matches };
        };
      return check(o, p);
    },
  };
  scenarios.set(c, s);
  caseOfScenario.set(s, c);
  return s;
}

const caseOfScenario = new WeakMap<Scenario, EvmCase>();

/** The case of an EVM scenario object (no parsing), or of an id (parsed: tests, tools). */
export function evmCaseOf(scenario: Scenario | string): EvmCase {
  if (typeof scenario === 'string') return resolveEvmCase(scenario);
  const c = caseOfScenario.get(scenario);
  if (!c) throw new Error(`${scenario.id} is not an EVM scenario of this process`);
  return c;
}

/** Rebuilds a case from the data its resolution recorded in the parent (a cell's child process): no id parsing. */
export function evmCaseFromData(id: string, data: EvmCaseData): EvmCase {
  const hit = cases.get(id);
  if (hit) return hit;
  let c: EvmCase;
  if (data.kind === 'code') {
    rawCode.set(id, { code: data.code, calldata: data.calldata });
    c = codeCase(id);
  } else if (data.kind === 'solidity') c = solidityCallCase(data.call);
  else {
    const w = data.kind === 'workload' ? findEvmWorkload(data.name) : undefined;
    const cw = data.kind === 'corpus' ? findCorpusWorkload(data.name) : undefined;
    if (w) c = workloadCase(id, w, data.pipeline);
    else if (cw) c = corpusCase(id, cw, data.pipeline, memoLoad);
    else throw new Error(`no EVM ${data.kind} named '${data.name}'`);
  }
  cases.set(id, c);
  return c;
}

/**
 * The bytecode any EVM scenario's call runs (the called contract's runtime code, and the other
 * accounts' code, e.g. evm:call's callee), compiled for the scenario's pipeline (from the solc
 * cache): for engines that compile the code ahead of the calls.
 */
export function evmScenarioCode(scenario: Scenario | string): { code: Uint8Array; others: Array<{ address: string; runtime: Uint8Array }> } {
  const { code, others } = evmCaseOf(scenario).load();
  return { code, others };
}

/** The Scenario of any EVM scenario id, or undefined when the id cannot be resolved. */
export function evmScenario(id: string): Scenario | undefined {
  try {
    return caseScenario(resolveEvmCase(id));
  } catch {
    return undefined;
  }
}

/**
 * The built-in workloads and the corpus (legacy pipeline, and what `evm:corpus` adds), what
 * `jitbench list` shows; other @viaIR ids and user calls resolve on demand.
 */
export const EVM_SCENARIOS: readonly Scenario[] = [...EVM_WORKLOADS.map((w) => EVM_SCENARIO_PREFIX + w.id), ...corpusScenarioIds()]
  .map((id) => caseScenario(resolveEvmCase(id)));

export { WORKLOAD_FORK };
