/**
 * Where @ethereumjs/evm (10.1.3) departs from the specification, as found by the fuzzer. A
 * divergence that one of these explains is counted apart, not reported as ours, and its
 * regression case (test/fixtures/evm-regressions/, `ethereumjsWrong`) checks evm-interp against
 * the specification instead of against ethereumjs.
 */
import type { Outcome, OutcomeField } from './compare.js';
import type { FuzzCase } from './case.js';

export interface KnownDeviation {
  id: string;
  /** What ethereumjs does, what the specification says, and where. */
  explanation: string;
  /** Whether this divergence (our outcome `ours`, ethereumjs' `theirs`) is this deviation. */
  matches(c: FuzzCase, ours: Outcome, theirs: Outcome, fields: OutcomeField[]): boolean;
}

export const KNOWN_ETHEREUMJS_DEVIATIONS: readonly KnownDeviation[] = [];
