/**
 * The EVM scenarios as one family of the plugin API: the ids it owns (`evm:...`), the listed
 * workloads and corpus, the ids it resolves on demand (@viaIR, a user's Solidity call, --code), the
 * run options it reads (--pipeline, --code, --calldata), and the family-wide answer check (the
 * engines' majority vote on status, return data, gas and logs: answers.ts).
 */
import { defineScenarioFamily } from '../../src/api/define.js';
import type { Scenario } from '../../src/core/types.js';
import { bytesToHex } from '../../src/evm/hex.js';
import { parseHexArg } from '../../src/evm/hex-arg.js';
import { UsageError } from '../../src/util/errors.js';
import { CORPUS_ALIAS, corpusScenarioIds, expandCorpusAlias } from './corpus/index.js';
import { evmAnswerRules } from './answers.js';
import { isCodeScenario, isEvmScenario, splitPipeline, SOLIDITY_CALL_SYNTAX, withPipeline } from './ids.js';
import { caseScenario, EVM_SCENARIOS, evmCaseFromData, evmScenario, registerEvmCode, resolveEvmCase, type EvmCaseData } from './index.js';
import { SOLC_PIPELINES, type SolcPipeline } from './solc-compile.js';

function pipelinesOf(text: string | undefined): SolcPipeline[] {
  const names = (text ?? 'legacy').split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!(SOLC_PIPELINES as readonly string[]).includes(n)) throw new UsageError(`unknown pipeline '${n}': accepted pipelines are ${SOLC_PIPELINES.join(', ')}`);
  if (names.length === 0) throw new UsageError(`empty pipeline list: accepted pipelines are ${SOLC_PIPELINES.join(', ')}`);
  return names as SolcPipeline[];
}

export const evmFamily = defineScenarioFamily({
  id: 'evm',
  description: 'EVM message calls: Solidity workloads, the corpus of real contracts, a user\'s Solidity call or bytecode',
  owns: isEvmScenario,
  listed: () => [...EVM_SCENARIOS],
  // in a cell's child the case comes resolved (its data); elsewhere (report, tools) the id is parsed
  resolve: (id, caseData) => (caseData !== undefined ? caseScenario(evmCaseFromData(id, caseData as EvmCaseData)) : evmScenario(id)),
  syntax: `evm:NAME@viaIR, ${SOLIDITY_CALL_SYNTAX}, --code`,
  aliases: { [CORPUS_ALIAS]: corpusScenarioIds() },
  runOptions: {
    pipeline: 'solc pipeline(s) of the Solidity EVM scenarios, comma-separated: legacy, viaIR (default legacy); each scenario becomes one cell per pipeline',
    code: 'also run raw EVM bytecode (hex or @FILE) as scenario evm:code:<keccak prefix>, on every EVM engine',
    calldata: 'calldata for --code (hex or @FILE)',
  },
  planScenarios(names, options) {
    const pipelines = pipelinesOf(options.pipeline);
    const expanded = expandCorpusAlias(names);
    const solidity = expanded.filter((n) => !isCodeScenario(n));
    if (options.pipeline !== undefined && solidity.length === 0) throw new UsageError(`--pipeline ${options.pipeline} applies to Solidity EVM scenarios (evm:...), and the run has none`);
    const out: Scenario[] = [];
    for (const n of expanded) {
      if (isCodeScenario(n)) out.push(caseScenario(resolveEvmCase(n)));
      else {
        const { base, explicit } = splitPipeline(n);
        if (explicit) out.push(caseScenario(resolveEvmCase(n)));
        else for (const p of pipelines) out.push(caseScenario(resolveEvmCase(withPipeline(base, p))));
      }
    }
    if (options.calldata !== undefined && options.code === undefined) throw new UsageError('--calldata needs --code (the bytecode it is the input of)');
    if (options.code !== undefined) {
      const code = parseHexArg(options.code, 'code');
      if (code.length === 0) throw new UsageError('empty --code: expected EVM bytecode as hex (e.g. 0x600260030260005260206000f3) or @FILE');
      const calldata = options.calldata !== undefined ? parseHexArg(options.calldata, 'calldata') : new Uint8Array();
      out.push(caseScenario(resolveEvmCase(registerEvmCode(bytesToHex(code), bytesToHex(calldata)))));
    }
    // compile the contracts once, here, so that no cell's compile time includes solc and a mistake
    // in a user's contract, function or arguments stops the run before it starts
    for (const s of out) resolveEvmCase(s.id).load();
    return { scenarios: out, ...(solidity.length > 0 ? { record: { pipelines } } : {}) };
  },
  report: {
    speedupBaseline: 'ethereumjs',
    netSpeedups: true,
    breakEvenBaseline: 'evm-interp',
    caveat: 'EVM cells time one whole message call (state set-up included); each engine\'s empty-contract time (emptyCallUs, measured in each cell\'s process after its samples, timed and batched like the call) is its fixed per-call cost; "net" speedups subtract it, and a cell whose empty call is not faster than its median has no net figure (flagged).',
  },
  ...evmAnswerRules,
});
