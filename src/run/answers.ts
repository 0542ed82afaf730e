import { segments } from '../../scenarios/monte-carlo-pi/generator.js';
import { countSegments } from '../../backends/ts/pi-kernel.js';
import type { CellResult } from '../results/document.js';
import { findBackend } from '../core/registry.js';

/** Up to this n the parent recomputes the exact hit count itself (about 0.3 s at 1e8). */
export const REFERENCE_MAX_N = 1e8;

/**
 * Checks exact answers: a deterministic backend must count the same hits as the spec
 * generator (recomputed here for n <= REFERENCE_MAX_N) or, above that, as every other
 * deterministic backend for the same (seed, n). A mismatch makes the cell `wrong`.
 */
export function checkAnswers(cells: CellResult[]): void {
  const reference = new Map<string, number>();
  const groups = new Map<string, CellResult[]>();
  for (const c of cells) {
    if (!c.output || c.scenario !== 'pi' || !findBackend(c.backend)?.deterministic) {
      if (c.output) c.answerCheck = { method: 'statistical' };
      continue;
    }
    const id = `${c.seed}/${c.n}`;
    const forkHits = new Set(c.forks.filter((f) => f.output).map((f) => f.output!.hits));
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
    for (const c of g) votes.set(c.output!.hits, (votes.get(c.output!.hits) ?? 0) + 1);
    const [expected] = [...votes.entries()].sort((a, b) => b[1] - a[1])[0]!;
    for (const c of g) {
      const forkHits = new Set(c.forks.filter((f) => f.output).map((f) => f.output!.hits));
      c.answerCheck = { method: 'cross-backend', expectedHits: expected, matches: g.length > 1 && forkHits.size === 1 && forkHits.has(expected) };
      if (g.length === 1) c.answerCheck = { method: 'statistical' };
    }
  }
}
