/**
 * The exit codes of `jitbench run` and `jitbench compare`: what a CI can rely on. One table, in the
 * README's "How jitbench decides"; 2 is a usage error and 130 an interrupted run for every command.
 */
import type { CellStatus, ResultsDocument } from './document.js';

export const EXIT = {
  ok: 0,
  /** run: a wrong, disputed or suspect answer. compare: a cell got significantly slower. */
  failure: 1,
  usage: 2,
  /** run: no cell produced a measurement (every cell errored or was skipped). compare: a HEAD cell is wrong, disputed, suspect or errored, or a cell vanished. */
  broken: 3,
  /** run: some cells errored; the others are measured and right. */
  partial: 4,
  interrupted: 130,
} as const;

/** Statuses that refute or put in doubt a cell's answer. */
export const BAD_ANSWER: readonly CellStatus[] = ['wrong', 'disputed', 'suspect'];

/** A measured cell whose answer no one refuted: its time counts. */
export const isMeasured = (c: { status: CellStatus | string }): boolean => c.status === 'ok' || c.status === 'unchecked';

/** The exit code of a finished run (see EXIT). */
export function runExitCode(doc: ResultsDocument): number {
  if (doc.status === 'interrupted') return EXIT.interrupted;
  if (doc.cells.some((c) => BAD_ANSWER.includes(c.status))) return EXIT.failure;
  if (!doc.cells.some(isMeasured)) return EXIT.broken;
  if (doc.cells.some((c) => c.status === 'error')) return EXIT.partial;
  return EXIT.ok;
}

/** One line saying why a run ends with a non-zero exit code (undefined for 0). */
export function runExitReason(doc: ResultsDocument): string | undefined {
  const count = (s: CellStatus) => doc.cells.filter((c) => c.status === s).length;
  const named = (list: readonly CellStatus[]) => list.filter((s) => count(s) > 0).map((s) => `${count(s)} ${s}`).join(', ');
  switch (runExitCode(doc)) {
    case EXIT.failure: return `exit ${EXIT.failure}: ${named(BAD_ANSWER)} cell(s): an answer is wrong or in doubt`;
    case EXIT.broken: return `exit ${EXIT.broken}: no cell was measured (${named(['error', 'skipped'])})`;
    case EXIT.partial: return `exit ${EXIT.partial}: ${named(['error'])} cell(s); the other cells are measured`;
    default: return undefined;
  }
}
