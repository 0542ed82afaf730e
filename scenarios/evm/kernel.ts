/**
 * The kernel every EVM engine backend prepares for an `evm:` scenario: one message call of the
 * workload per call of `run`, timed by @perfTime and checked exactly by @accuracy. The engine is
 * the only thing that differs between backends.
 */
import type { Accuracy, CellParams, EvmOutput, Kernel, KernelOutput } from '../../src/core/types.js';
import { bytesToHex } from '../../src/evm/hex.js';
import { runMessageCall } from '../../src/evm/message.js';
import type { EvmEngine, MessageCall } from '../../src/evm/types.js';
import { accuracy, perfTime } from '../../src/metrics/decorators.js';
import { emptyCall, WORKLOAD_FORK, workloadCall } from './call.js';
import { evmAccuracy, workloadArtifact, workloadOf } from './index.js';
import type { ContractArtifact } from './solc-compile.js';
import type { EvmWorkload } from './workloads.js';

/** Calls of the empty contract to estimate an engine's fixed cost per call (after as many to warm up). */
const EMPTY_CALLS = 200;

/** Median time of `calls` runs of the empty contract on `engine` once warmed up, microseconds. */
export function measureEmptyCallUs(engine: EvmEngine, calls = EMPTY_CALLS): number {
  const call = emptyCall();
  for (let i = 0; i < calls; i++) runMessageCall(engine, call);
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    runMessageCall(engine, call);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]! * 1000;
}

class EvmWorkloadKernel implements Kernel {
  private readonly calls = new Map<string, MessageCall>();
  readonly check: (o: KernelOutput, p: CellParams) => Accuracy;

  constructor(
    private readonly engine: EvmEngine,
    private readonly workload: EvmWorkload,
    private readonly artifact: ContractArtifact,
    private readonly facts: Record<string, unknown>,
  ) {
    this.check = evmAccuracy(workload);
  }

  private callFor(p: CellParams): MessageCall {
    const key = `${p.n}/${p.seed}`;
    let c = this.calls.get(key);
    if (!c) this.calls.set(key, (c = workloadCall(this.workload, this.artifact, p.n, p.seed)));
    return c;
  }

  @accuracy((o, p, self: EvmWorkloadKernel) => self.check(o, p))
  @perfTime()
  run(p: CellParams): KernelOutput {
    const r = runMessageCall(this.engine, this.callFor(p));
    const out: EvmOutput = { n: p.n, evm: { status: r.status, returnData: bytesToHex(r.returnData), gasUsed: r.gasUsed } };
    return out;
  }

  info(): Record<string, unknown> {
    return this.facts;
  }

  dispose(): void {}
}

/**
 * Prepares `scenarioId` on `engine`: the contract comes from the solc cache (compiled there by the
 * parent before the run, see ensureEvmArtifacts), the empty-call overhead is measured, and the
 * first call runs in the harness (timed as the first call).
 */
export function prepareEvmKernel(engine: EvmEngine, scenarioId: string, params: CellParams, extra: Record<string, unknown> = {}): Kernel {
  const workload = workloadOf(scenarioId);
  if (params.n > workload.maxN || !Number.isInteger(params.n)) throw new Error(`evm:${workload.id} takes integer n up to ${workload.maxN}, got ${params.n}`);
  const artifact = workloadArtifact(workload);
  const facts: Record<string, unknown> = {
    engine: engine.id,
    engineDescription: engine.description,
    fork: WORKLOAD_FORK,
    contract: artifact.contract,
    function: workload.signature,
    solcVersion: artifact.solcVersion,
    solcSettings: artifact.settings,
    bytecodeKeccak: artifact.runtimeKeccak,
    bytecodeBytes: (artifact.runtime.length - 2) / 2,
    emptyCallUs: measureEmptyCallUs(engine),
    ...extra,
  };
  return new EvmWorkloadKernel(engine, workload, artifact, facts);
}
