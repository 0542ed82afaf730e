import type { CellResult } from '../results/document.js';
import { findBackend, findScenario } from '../core/registry.js';
import { isPiOutput, type EvmOutput, type KernelOutput } from '../core/types.js';
import { hasReferenceAnswer } from '../../scenarios/evm/ids.js';
import { engineOf, tallyByEngine, type Tally } from './votes.js';

const hitsOf = (o: KernelOutput | undefined): number | undefined => (o && isPiOutput(o) ? o.hits : undefined);
const evmOf = (o: KernelOutput | undefined): EvmOutput['evm'] | undefined => (o && !isPiOutput(o) ? o.evm : undefined);

/** Every distinct answer a cell gave over all checked calls of all its forks (older files: each fork's last answer). */
export function cellAnswers(c: CellResult): KernelOutput[] {
  return c.forks.flatMap((f) => (f.outputs ? f.outputs.map((o) => o.output) : f.output ? [f.output] : []));
}

/** The fields of an EVM answer that engines must agree on, in the order a reason names them. */
const EVM_FIELDS = ['status', 'returnData', 'gasUsed', 'logs'] as const;
const evmFields = (e: EvmOutput['evm']): Record<(typeof EVM_FIELDS)[number], string> => ({
  status: e.status, returnData: e.returnData, gasUsed: String(e.gasUsed), logs: `${e.logs ?? '-'} ${e.logsHash ?? '-'}`,
});
const evmSig = (e: EvmOutput['evm']) => JSON.stringify(EVM_FIELDS.map((f) => evmFields(e)[f]));

/** The names of the EVM fields in which the given answers (signatures) differ. */
function differingEvmFields(sigs: readonly string[]): string[] {
  const parsed = sigs.map((s) => JSON.parse(s) as string[]);
  return EVM_FIELDS.filter((_, i) => new Set(parsed.map((p) => p[i])).size > 1);
}

/**
 * Checks exact answers once every cell is measured.
 *
 * Monte Carlo pi: a deterministic backend must count exactly the scenario's reference hits (the
 * scenario computes them itself, independently of every backend) on every checked call of every
 * fork; above the scenario's referenceMaxN the exact backends are checked against each other. EVM
 * cells: see checkEvmAnswers. Disagreement between engines is decided by a majority of distinct
 * engines (variants of one engine are one voter); without one, every side is `disputed`.
 */
export function checkAnswers(cells: CellResult[]): void {
  checkEvmAnswers(cells.filter((c) => c.scenario.startsWith('evm:')));
  const reference = new Map<string, number>();
  const groups = new Map<string, CellResult[]>();
  for (const c of cells) {
    if (c.scenario.startsWith('evm:') || cellAnswers(c).length === 0) continue;
    const scenario = findScenario(c.scenario);
    if (!findBackend(c.backend)?.deterministic || !scenario?.reference) {
      c.answerCheck = { method: 'statistical' };
      continue;
    }
    const hits = [...new Set(cellAnswers(c).map(hitsOf))];
    if (c.n <= (scenario.referenceMaxN ?? 0)) {
      const id = `${c.scenario}/${c.seed}/${c.n}`;
      if (!reference.has(id)) reference.set(id, scenario.reference({ n: c.n, seed: c.seed }));
      const expected = reference.get(id)!;
      c.answerCheck = { method: 'reference', expectedHits: expected, matches: hits.length === 1 && hits[0] === expected };
    } else {
      const id = `${c.scenario}/${c.seed}/${c.n}`;
      groups.set(id, [...(groups.get(id) ?? []), c]);
    }
  }
  for (const g of groups.values()) {
    const tally = tallyByEngine(g, (c) => [...new Set(cellAnswers(c).map((o) => String(hitsOf(o))))]);
    for (const c of g) {
      if (tally.voters.length < 2) {
        c.answerCheck = { method: 'statistical' };
        continue;
      }
      const own = [...new Set(cellAnswers(c).map((o) => String(hitsOf(o))))];
      const comparedWith = tally.voters.filter((e) => e !== engineOf(c.backend));
      if (tally.expected === undefined) {
        c.answerCheck = { method: 'cross-backend', comparedWith, disputed: true, disagreement: disagreementOf(tally, ['hits']) };
      } else {
        c.answerCheck = { method: 'cross-backend', expectedHits: Number(tally.expected), comparedWith, matches: own.length === 1 && own[0] === tally.expected };
      }
    }
  }
}

function disagreementOf(t: Tally, fields: string[]): NonNullable<CellResult['answerCheck']>['disagreement'] {
  return { fields, answers: [...t.byAnswer].map(([answer, engines]) => ({ answer, engines })) };
}

/**
 * EVM cells: the return data of the built-in workloads is checked on every call against the
 * independently computed answer (the kernel's @accuracy): a cell that fails it is `wrong` whatever
 * the other engines say, and casts no vote. Every engine in the run must also agree on status,
 * return data, gas used and logs for the same (scenario, n, seed): the answer a strict majority of
 * the distinct voting engines gave is expected (variants of one engine, such as evm-native at
 * several --opt levels, vote once, and not at all when they disagree among themselves); a split
 * without such a majority makes every cell of the group `disputed`, naming the fields that differ.
 * With one engine only, the reference check applies, and the check says so; user code (a Solidity
 * call or --code) has no reference, so with one engine it is `unchecked`.
 */
function checkEvmAnswers(cells: CellResult[]): void {
  const groups = new Map<string, CellResult[]>();
  for (const c of cells) {
    if (cellAnswers(c).length === 0) continue;
    const id = `${c.scenario}/${c.seed}/${c.n}`;
    groups.set(id, [...(groups.get(id) ?? []), c]);
  }
  const sigsOf = (c: CellResult) => [...new Set(cellAnswers(c).map(evmOf).filter((e) => e !== undefined).map(evmSig))];
  const failedReference = (c: CellResult) => c.accuracy !== undefined && c.accuracy.suspect;
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
      const check: NonNullable<CellResult['answerCheck']> = {
        method, comparedWith,
        matches: !failedReference(c) && own.length === 1 && own[0] === expected,
      };
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

/** What a cell answered, and what was expected, for the reason of a `wrong` or `disputed` cell. */
export function describeAnswers(c: CellResult): string {
  const a = c.answerCheck;
  const logs = (n: number | undefined, h: string | undefined) => (n !== undefined ? ` logs ${n}${h ? ` (${h.slice(0, 10)})` : ''}` : '');
  const evmText = (e: EvmOutput['evm']) => `${e.status} ${e.returnData} gas ${e.gasUsed}${logs(e.logs, e.logsHash)}`;
  if (a?.disputed && a.disagreement) {
    const sides = a.disagreement.answers.map((s) => {
      let text = s.answer;
      if (c.scenario.startsWith('evm:')) {
        const [status, returnData, gas, lg] = JSON.parse(s.answer) as string[];
        const [count, hash] = lg!.split(' ');
        text = evmText({ status: status as EvmOutput['evm']['status'], returnData: returnData!, gasUsed: Number(gas), ...(count !== '-' ? { logs: Number(count) } : {}), ...(hash !== '-' ? { logsHash: hash } : {}) });
      } else text = `hits ${text}`;
      return `${s.engines.join(', ')}: ${text}`;
    });
    return `engines disagree on ${a.disagreement.fields.join(', ')} with no majority of distinct engines: ${sides.join(' | ')}`;
  }
  const evm = [...new Set(cellAnswers(c).map(evmOf).filter((e) => e !== undefined).map(evmText))];
  if (evm.length > 0) {
    const status = a?.expectedStatus && a.expectedStatus !== 'success' ? `${a.expectedStatus} ` : '';
    return `got ${evm.join(' | ')}; expected ${status}${a?.expectedReturnData ?? '?'} gas ${a?.expectedGasUsed ?? '?'}${logs(a?.expectedLogs, a?.expectedLogsHash)} (${a?.method} check${a?.comparedWith?.length ? ` with ${a.comparedWith.join(', ')}` : ''})`;
  }
  const got = [...new Set(cellAnswers(c).map(hitsOf).filter((h) => h !== undefined))].join(', ');
  return `hits ${got} != expected ${a?.expectedHits} (${a?.method} check${a?.comparedWith?.length ? ` with ${a.comparedWith.join(', ')}` : ''})`;
}
