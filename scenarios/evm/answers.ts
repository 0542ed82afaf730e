/**
 * The EVM family's answer rules: the return data of the built-in workloads is checked on every
 * call against the independently computed answer (the kernel's @accuracy): a cell that fails it is
 * `wrong` whatever the other engines say, and casts no vote. Every engine in the run must also
 * agree on status, return data, gas used and logs for the same (scenario, n, seed): the answer a
 * strict majority of the distinct voting engines gave is expected (variants of one engine, such as
 * evm-native at several --opt levels, vote once, and not at all when they disagree among
 * themselves); a split without such a majority makes every cell of the group `disputed`, naming
 * the fields that differ. With one engine only, the reference check applies, and the check says
 * so; user code (a Solidity call or --code) has no reference, so with one engine it is `unchecked`.
 */
import { isEvmOutput, type AnswerCheck, type EvmOutput, type JudgedCell, type KernelOutput, type ScenarioFamily } from '../../src/core/types.js';
import { engineOf, tallyByEngine, type Tally } from '../../src/results/votes.js';
import { hasReferenceAnswer } from './ids.js';

type AnswersOf = (c: JudgedCell) => KernelOutput[];

/** The fields of an EVM answer that engines must agree on, in the order a reason names them. */
const EVM_FIELDS = ['status', 'returnData', 'gasUsed', 'logs'] as const;
const evmFields = (e: EvmOutput['evm']): Record<(typeof EVM_FIELDS)[number], string> => ({
  status: e.status, returnData: e.returnData, gasUsed: String(e.gasUsed), logs: `${e.logs ?? '-'} ${e.logsHash ?? '-'}`,
});
const evmSig = (e: EvmOutput['evm']) => JSON.stringify(EVM_FIELDS.map((f) => evmFields(e)[f]));
const evmOf = (o: KernelOutput): EvmOutput['evm'] | undefined => (isEvmOutput(o) ? o.evm : undefined);

/** The names of the EVM fields in which the given answers (signatures) differ. */
function differingEvmFields(sigs: readonly string[]): string[] {
  const parsed = sigs.map((s) => JSON.parse(s) as string[]);
  return EVM_FIELDS.filter((_, i) => new Set(parsed.map((p) => p[i])).size > 1);
}

function disagreementOf(t: Tally, fields: string[]): AnswerCheck['disagreement'] {
  return { fields, answers: [...t.byAnswer].map(([answer, engines]) => ({ answer, engines })) };
}

function judge(cells: JudgedCell[], answersOf: AnswersOf): void {
  const groups = new Map<string, JudgedCell[]>();
  for (const c of cells) {
    if (answersOf(c).length === 0) continue;
    const id = `${c.scenario}/${c.seed}/${c.n}`;
    groups.set(id, [...(groups.get(id) ?? []), c]);
  }
  const sigsOf = (c: JudgedCell) => [...new Set(answersOf(c).map(evmOf).filter((e) => e !== undefined).map(evmSig))];
  const failedReference = (c: JudgedCell) => c.accuracy !== undefined && c.accuracy.suspect;
  for (const g of groups.values()) {
    const tally = tallyByEngine(g.filter((c) => !failedReference(c)), sigsOf);
    const engines = [...new Set(g.map((c) => engineOf(c.backend)))];
    for (const c of g) {
      const own = sigsOf(c);
      const comparedWith = engines.filter((e) => e !== engineOf(c.backend));
      const method = engines.length > 1 ? 'cross-backend' : hasReferenceAnswer(c.scenario) ? 'reference' : 'unchecked';
      if (engines.length > 1 && tally.voters.length >= 2 && tally.expected === undefined) {
        c.answerCheck = { method, comparedWith, disputed: true, disagreement: disagreementOf(tally, differingEvmFields([...tally.byAnswer.keys()])) };
        if (failedReference(c)) c.answerCheck.matches = false;
        continue;
      }
      const expected = tally.expected ?? own[0];
      const check: AnswerCheck = { method, comparedWith, matches: !failedReference(c) && own.length === 1 && own[0] === expected };
      if (expected !== undefined) {
        const [status, returnData, gas, logs] = JSON.parse(expected) as string[];
        const [count, hash] = logs!.split(' ');
        Object.assign(check, { expectedStatus: status, expectedReturnData: returnData, expectedGasUsed: Number(gas) });
        if (count !== '-') check.expectedLogs = Number(count);
        if (hash !== '-') check.expectedLogsHash = hash;
      }
      c.answerCheck = check;
    }
  }
}

const logsText = (n: number | undefined, h: string | undefined) => (n !== undefined ? ` logs ${n}${h ? ` (${h.slice(0, 10)})` : ''}` : '');
const evmText = (e: EvmOutput['evm']) => `${e.status} ${e.returnData} gas ${e.gasUsed}${logsText(e.logs, e.logsHash)}`;

/** What an EVM cell answered, and what was expected, for the reason of a `wrong` or `disputed` cell. */
function describeAnswers(c: JudgedCell, answersOf: AnswersOf): string {
  const a = c.answerCheck;
  if (a?.disputed && a.disagreement) {
    const sides = a.disagreement.answers.map((s) => {
      const [status, returnData, gas, lg] = JSON.parse(s.answer) as string[];
      const [count, hash] = lg!.split(' ');
      const text = evmText({ status: status as EvmOutput['evm']['status'], returnData: returnData!, gasUsed: Number(gas), ...(count !== '-' ? { logs: Number(count) } : {}), ...(hash !== '-' ? { logsHash: hash } : {}) });
      return `${s.engines.join(', ')}: ${text}`;
    });
    return `engines disagree on ${a.disagreement.fields.join(', ')} with no majority of distinct engines: ${sides.join(' | ')}`;
  }
  const got = [...new Set(answersOf(c).map(evmOf).filter((e) => e !== undefined).map(evmText))];
  const status = a?.expectedStatus && a.expectedStatus !== 'success' ? `${a.expectedStatus} ` : '';
  return `got ${got.join(' | ')}; expected ${status}${a?.expectedReturnData ?? '?'} gas ${a?.expectedGasUsed ?? '?'}${logsText(a?.expectedLogs, a?.expectedLogsHash)} (${a?.method} check${a?.comparedWith?.length ? ` with ${a.comparedWith.join(', ')}` : ''})`;
}

/** What a report row shows of an EVM answer. */
function reportFields(o: KernelOutput): Record<string, unknown> {
  return isEvmOutput(o) ? { gasUsed: o.evm.gasUsed } : {};
}

export const evmAnswerRules: Pick<ScenarioFamily, 'judge' | 'describeAnswers' | 'reportFields'> = { judge, describeAnswers, reportFields };
