/**
 * Checks the answers of a run once every cell is measured. A scenario family may bring its own
 * rules (ScenarioFamily.judge, e.g. the EVM engines' vote); every other scenario is judged here:
 * an exact (deterministic) backend must give exactly the scenario's reference answer (computed by
 * the scenario itself, independently of every backend) on every checked call of every fork, up to
 * the scenario's referenceMaxN; above it, or without a reference, the exact backends are checked
 * against each other: a strict majority of distinct engines (variants of one engine are one voter)
 * decides, and without one every side is `disputed`. Statistical backends are judged by |z| only.
 */
import type { CellResult } from './document.js';
import { familyOf, findBackend, findScenario } from '../core/registry.js';
import type { AnswerCheck, JudgedCell, KernelOutput, Scenario } from '../core/types.js';
import { engineOf, tallyByEngine, type Tally } from './votes.js';

/** Every distinct answer a cell gave over all checked calls of all its forks (older files: each fork's last answer). */
export function cellAnswers(c: CellResult): KernelOutput[] {
  return c.forks.flatMap((f) => (f.outputs ? f.outputs.map((o) => o.output) : f.output ? [f.output] : []));
}
const answersOf = (c: JudgedCell) => cellAnswers(c as CellResult);

/** The key exact backends must agree on: the scenario's, else the output without n (JSON). */
function keyOf(scenario: Scenario | undefined, o: KernelOutput): string {
  if (scenario?.answerKey) return scenario.answerKey(o);
  const { n: _n, ...rest } = o as unknown as Record<string, unknown>;
  return JSON.stringify(rest);
}

function expectedFields(scenario: Scenario | undefined, key: string): Partial<AnswerCheck> {
  return scenario?.expectedFields ? (scenario.expectedFields(key) as Partial<AnswerCheck>) : { expected: key };
}

function disagreementOf(t: Tally, fields: string[]): AnswerCheck['disagreement'] {
  return { fields, answers: [...t.byAnswer].map(([answer, engines]) => ({ answer, engines })) };
}

/** Judges every cell of a run: family rules where a family has them, the rules above otherwise. */
export function checkAnswers(cells: CellResult[]): void {
  const byFamily = new Map<string, { judge: NonNullable<ReturnType<typeof familyOf>>['judge']; cells: CellResult[] }>();
  const own: CellResult[] = [];
  for (const c of cells) {
    const family = familyOf(c.scenario);
    if (family?.judge) {
      const entry = byFamily.get(family.id) ?? { judge: family.judge.bind(family), cells: [] };
      entry.cells.push(c);
      byFamily.set(family.id, entry);
    } else own.push(c);
  }
  for (const { judge, cells: fc } of byFamily.values()) judge!(fc, answersOf);
  checkByReference(own);
}

function checkByReference(cells: CellResult[]): void {
  const reference = new Map<string, string>();
  const groups = new Map<string, CellResult[]>();
  for (const c of cells) {
    if (cellAnswers(c).length === 0) continue;
    const scenario = findScenario(c.scenario);
    if (!findBackend(c.backend)?.deterministic) {
      c.answerCheck = { method: 'statistical' };
      continue;
    }
    const keys = [...new Set(cellAnswers(c).map((o) => keyOf(scenario, o)))];
    const id = `${c.scenario}/${c.seed}/${c.n}`;
    if (scenario?.reference && c.n <= (scenario.referenceMaxN ?? 0)) {
      if (!reference.has(id)) {
        const r = scenario.reference({ n: c.n, seed: c.seed });
        reference.set(id, typeof r === 'string' ? r : JSON.stringify(r));
      }
      const expected = reference.get(id)!;
      c.answerCheck = { method: 'reference', ...expectedFields(scenario, expected), matches: keys.length === 1 && keys[0] === expected };
    } else groups.set(id, [...(groups.get(id) ?? []), c]);
  }
  for (const g of groups.values()) {
    const scenario = findScenario(g[0]!.scenario);
    const keysOf = (c: CellResult) => [...new Set(cellAnswers(c).map((o) => keyOf(scenario, o)))];
    const tally = tallyByEngine(g, keysOf);
    for (const c of g) {
      if (tally.voters.length < 2) {
        // one exact engine and no reference at this size: nothing to compare it with
        c.answerCheck = { method: scenario?.reference || scenario?.sigma ? 'statistical' : 'unchecked' };
        continue;
      }
      const keys = keysOf(c);
      const comparedWith = tally.voters.filter((e) => e !== engineOf(c.backend));
      if (tally.expected === undefined) {
        c.answerCheck = { method: 'cross-backend', comparedWith, disputed: true, disagreement: disagreementOf(tally, scenario?.answerFields ?? ['answer']) };
      } else {
        c.answerCheck = { method: 'cross-backend', ...expectedFields(scenario, tally.expected), comparedWith, matches: keys.length === 1 && keys[0] === tally.expected };
      }
    }
  }
}

/** What a cell answered, and what was expected, for the reason of a `wrong` or `disputed` cell. */
export function describeAnswers(c: CellResult): string {
  const family = familyOf(c.scenario);
  if (family?.describeAnswers) return family.describeAnswers(c, answersOf);
  const scenario = findScenario(c.scenario);
  const a = c.answerCheck;
  const fields = scenario?.answerFields ?? ['answer'];
  const label = (k: string) => `${fields.join(', ')} ${k}`;
  if (a?.disputed && a.disagreement) {
    const sides = a.disagreement.answers.map((s) => `${s.engines.join(', ')}: ${label(s.answer)}`);
    return `engines disagree on ${a.disagreement.fields.join(', ')} with no majority of distinct engines: ${sides.join(' | ')}`;
  }
  const got = [...new Set(cellAnswers(c).map((o) => keyOf(scenario, o)))].join(', ');
  const expected = a?.expectedHits !== undefined ? String(a.expectedHits) : a?.expected;
  return `${label(got)} != expected ${expected} (${a?.method} check${a?.comparedWith?.length ? ` with ${a.comparedWith.join(', ')}` : ''})`;
}
