import { segments } from '../../scenarios/monte-carlo-pi/generator.js';
import { countSegments } from '../../backends/ts/pi-kernel.js';
import type { CellResult } from '../results/document.js';
import { findBackend } from '../core/registry.js';
import { isPiOutput, type EvmOutput, type KernelOutput } from '../core/types.js';
import { hasReferenceAnswer } from '../../scenarios/evm/ids.js';

/** Up to this n the parent recomputes the exact hit count itself (about 0.3 s at 1e8). */
export const REFERENCE_MAX_N = 1e8;

const hitsOf = (o: KernelOutput | undefined): number | undefined => (o && isPiOutput(o) ? o.hits : undefined);
const evmOf = (o: KernelOutput | undefined): EvmOutput['evm'] | undefined => (o && !isPiOutput(o) ? o.evm : undefined);

/**
 * Checks exact answers: a deterministic backend must count the same hits as the spec
 * generator (recomputed here for n <= REFERENCE_MAX_N) or, above that, as every other
 * deterministic backend for the same (seed, n). EVM cells: see checkEvmAnswers. A mismatch
 * makes the cell `wrong`.
 */
export function checkAnswers(cells: CellResult[]): void {
  checkEvmAnswers(cells.filter((c) => c.scenario.startsWith('evm:')));
  const reference = new Map<string, number>();
  const groups = new Map<string, CellResult[]>();
  for (const c of cells) {
    if (c.scenario.startsWith('evm:')) continue;
    if (!c.output || c.scenario !== 'pi' || !findBackend(c.backend)?.deterministic) {
      if (c.output) c.answerCheck = { method: 'statistical' };
      continue;
    }
    const id = `${c.seed}/${c.n}`;
    const forkHits = new Set(c.forks.map((f) => hitsOf(f.output)).filter((h) => h !== undefined));
    if (c.n <= REFERENCE_MAX_N) {
      if (!reference.has(id)) reference.set(id, countSegments(segments(c.seed, 0, c.n)));
      const expected = reference.get(id)!;
      const matches = forkHits.size === 1 && forkHits.has(expected);
      c.answerCheck = { method: 'reference', expectedHits: expected, matches };
    } else {
      const g = groups.get(id) ?? [];
      g.push(c);
      groups.set(id, g);
    }
  }
  for (const g of groups.values()) {
    const votes = new Map<number, number>();
    for (const c of g) votes.set(hitsOf(c.output)!, (votes.get(hitsOf(c.output)!) ?? 0) + 1);
    const [expected] = [...votes.entries()].sort((a, b) => b[1] - a[1])[0]!;
    for (const c of g) {
      const forkHits = new Set(c.forks.map((f) => hitsOf(f.output)).filter((h) => h !== undefined));
      c.answerCheck = { method: 'cross-backend', expectedHits: expected, matches: g.length > 1 && forkHits.size === 1 && forkHits.has(expected) };
      if (g.length === 1) c.answerCheck = { method: 'statistical' };
    }
  }
}

/**
 * EVM cells: the return data of the built-in workloads was already checked against the
 * independently computed answer on every call (the kernel's @accuracy); here every engine in the
 * run must also agree on status, return data, gas used and logs for the same (scenario, n, seed).
 * The majority is the expected outcome; an engine off it (or with forks that disagree) is `wrong`.
 * With one engine only the reference check applies, and the check says so; user code (a Solidity
 * call or --code) has no reference, so with one engine it is `unchecked`.
 */
function checkEvmAnswers(cells: CellResult[]): void {
  const groups = new Map<string, CellResult[]>();
  for (const c of cells) {
    if (!c.output) continue;
    const id = `${c.scenario}/${c.seed}/${c.n}`;
    const g = groups.get(id) ?? [];
    g.push(c);
    groups.set(id, g);
  }
  const sig = (e: EvmOutput['evm']) => JSON.stringify([e.status, e.returnData, e.gasUsed, e.logs ?? null, e.logsHash ?? null]);
  for (const g of groups.values()) {
    const votes = new Map<string, number>();
    for (const c of g) votes.set(sig(evmOf(c.output)!), (votes.get(sig(evmOf(c.output)!)) ?? 0) + 1);
    const [expected] = [...votes.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const [status, returnData, gas, logs, logsHash] = JSON.parse(expected) as [string, string, number, number | null, string | null];
    const engines = [...new Set(g.map((c) => c.backend))];
    for (const c of g) {
      const forkSigs = new Set(c.forks.map((f) => evmOf(f.output)).filter((e) => e !== undefined).map(sig));
      const referenceOk = c.accuracy === undefined || !c.accuracy.suspect;
      c.answerCheck = {
        method: engines.length > 1 ? 'cross-backend' : hasReferenceAnswer(c.scenario) ? 'reference' : 'unchecked',
        expectedStatus: status,
        expectedReturnData: returnData,
        expectedGasUsed: gas,
        ...(logs !== null ? { expectedLogs: logs } : {}),
        ...(logsHash !== null ? { expectedLogsHash: logsHash } : {}),
        comparedWith: engines.filter((e) => e !== c.backend),
        matches: referenceOk && forkSigs.size === 1 && forkSigs.has(expected),
      };
    }
  }
}

/** What a cell's forks answered, for the reason of a `wrong` cell. */
export function describeAnswers(c: CellResult): string {
  const logs = (n: number | undefined, h: string | undefined) => (n !== undefined ? ` logs ${n}${h ? ` (${h.slice(0, 10)})` : ''}` : '');
  const evm = [...new Set(c.forks.map((f) => evmOf(f.output)).filter((e) => e !== undefined).map((e) => `${e.status} ${e.returnData} gas ${e.gasUsed}${logs(e.logs, e.logsHash)}`))];
  if (evm.length > 0) {
    const a = c.answerCheck;
    const status = a?.expectedStatus && a.expectedStatus !== 'success' ? `${a.expectedStatus} ` : '';
    return `got ${evm.join(' | ')}; expected ${status}${a?.expectedReturnData ?? '?'} gas ${a?.expectedGasUsed ?? '?'}${logs(a?.expectedLogs, a?.expectedLogsHash)} (${a?.method} check${a?.comparedWith?.length ? ` with ${a.comparedWith.join(', ')}` : ''})`;
  }
  const got = [...new Set(c.forks.map((f) => hitsOf(f.output)).filter((h) => h !== undefined))].join(', ');
  return `hits ${got} != expected ${c.answerCheck?.expectedHits} (${c.answerCheck?.method} check)`;
}
