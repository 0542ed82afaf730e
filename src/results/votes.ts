/**
 * Majority of distinct engines, for answers that have no independent reference. Cells are
 * grouped by engine: the variants of one engine (tier, threads, --opt level: `evm-native:O2` is
 * evm-native) are one voter, so running an engine in more variants never buys it votes. An engine
 * whose variants gave different answers does not vote. The expected answer is the one a strict
 * majority of the voters gave; a tie (1:1, 2:2, 1:1:1) has none, and the result does not depend
 * on the order of the cells.
 */

/** The engine a backend id belongs to: its variants (`evm-native:O2`, `tfjs:wasm`) share the part before ':'. */
export function engineOf(backend: string): string {
  return backend.split(':')[0]!;
}

export interface Tally {
  /** Engines that voted, sorted. */
  voters: string[];
  /** Each answer with the engines that gave it (sorted). */
  byAnswer: Map<string, string[]>;
  /** The answer of a strict majority of the voters, if there is one. */
  expected?: string;
}

/** Tallies `answersOf(cell)` (the distinct answers of a cell) by engine. */
export function tallyByEngine<C extends { backend: string }>(cells: readonly C[], answersOf: (c: C) => string[]): Tally {
  const perEngine = new Map<string, Set<string>>();
  for (const c of cells) {
    const e = engineOf(c.backend);
    const set = perEngine.get(e) ?? new Set<string>();
    for (const a of answersOf(c)) set.add(a);
    perEngine.set(e, set);
  }
  const byAnswer = new Map<string, string[]>();
  const voters: string[] = [];
  for (const [engine, answers] of [...perEngine].sort(([a], [b]) => a.localeCompare(b))) {
    if (answers.size !== 1) continue;
    const [answer] = answers;
    voters.push(engine);
    byAnswer.set(answer!, [...(byAnswer.get(answer!) ?? []), engine]);
  }
  const tally: Tally = { voters, byAnswer: new Map([...byAnswer].sort(([a], [b]) => a.localeCompare(b))) };
  for (const [answer, engines] of byAnswer) if (engines.length * 2 > voters.length) tally.expected = answer;
  return tally;
}
