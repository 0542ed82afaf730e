/**
 * "Net" EVM times: a call's median minus its engine's empty-call time (the baseline measured in
 * the same process, the same way). That difference only means something when the empty call is
 * faster than the call; a cell where it is not gets no net figure and is flagged.
 */
import type { CellRow } from './data.js';

const us = (ms: number) => (ms * 1000).toFixed(1);

/** Why `r` has no net time although it has an empty-call time; undefined when the net time is defined (or there is no empty call). */
export function netTimeProblem(r: Pick<CellRow, 'p50Ms' | 'emptyCallUs'>): string | undefined {
  if (r.emptyCallUs === undefined || !Number.isFinite(r.p50Ms)) return undefined;
  if (r.emptyCallUs / 1000 < r.p50Ms) return undefined;
  return `net time undefined: empty call ${us(r.emptyCallUs / 1000)} us >= this call's median ${us(r.p50Ms)} us`;
}

/** The median net of the empty-call time, ms; undefined without an empty-call time or when it is not below the median. */
export function netMs(r: Pick<CellRow, 'p50Ms' | 'emptyCallUs'>): number | undefined {
  if (r.emptyCallUs === undefined || netTimeProblem(r) !== undefined) return undefined;
  return r.p50Ms - r.emptyCallUs / 1000;
}

/** The report's flags for cells whose empty call is not below their median. */
export function netTimeFlags(rows: readonly CellRow[]): Array<{ key: string; status: string; reason: string }> {
  return rows.flatMap((r) => {
    const reason = netTimeProblem(r);
    return reason === undefined ? [] : [{ key: r.key, status: 'no net time', reason }];
  });
}
