/**
 * What the main thread sends the EDR worker and what it gets back (structured-clone data only:
 * bigint, Uint8Array, plain objects). Addresses are `0x` + 40 lowercase hex characters.
 */

/** An account put into the test runner's genesis state (`localPredeploys`): code must be non-empty. */
export interface RevmPredeploy {
  address: string;
  code: Uint8Array;
  balance: bigint;
  nonce: bigint;
  storage: Array<[bigint, bigint]>;
}

/** One run of EDR's Solidity test runner with one harness test contract (see harness.ts). */
export interface RevmJob {
  /** EDR's hardfork name (fork.ts). */
  hardfork: string;
  /** Runtime code of the harness test contract; its one test function is `testRun()`. */
  runtime: Uint8Array;
  predeploys: RevmPredeploy[];
  chainId: bigint;
  blockNumber: bigint;
  blockTimestamp: bigint;
  blockCoinbase: string;
  blockDifficulty: bigint;
  blockGasLimit: bigint;
}

/** The per-call overhead of each EDR path, measured inside the worker (no thread bridge). */
export interface RevmBenchRequest {
  calls: number;
  /** Runtime code of the loop-heavy contract run next to the empty one. */
  loopCode: Uint8Array;
  loopCalls: number;
  /** A harness job for the same empty call, as the engine runs it (harness.ts). */
  emptyJob: RevmJob;
  loopJob: RevmJob;
}

export interface RevmPathTiming {
  path: string;
  /** Median wall time of one call of the empty contract (code 0x00), microseconds. */
  emptyUs: number;
  /** Median wall time of one call of the loop contract, microseconds. */
  loopUs: number;
  note: string;
}

export type RevmRequest = { kind: 'probe' } | { kind: 'run'; job: RevmJob } | { kind: 'bench'; bench: RevmBenchRequest };

export interface RevmTestOutcome {
  status: string;
  /** Why the test failed (the harness reverted: a cheatcode failed), if it did. */
  reason?: string;
  /** console.log lines of the test: the harness logs its whole answer as one `bytes`. */
  logs: string[];
  /** EDR's own time for the test function, nanoseconds. */
  durationNs: bigint;
}

export interface RevmResponse {
  /** Set when the worker failed (EDR missing included): the main thread rethrows it. */
  fatal?: string;
  /** probe: EDR's version. */
  version?: string;
  run?: RevmTestOutcome;
  bench?: RevmPathTiming[];
}
