/**
 * The kernel every EVM engine backend prepares for an `evm:` scenario: one message call of the
 * workload per call of `run`, timed by @perfTime and checked by @accuracy (exactly, for the
 * built-in workloads). The engine is the only thing that differs between backends.
 */
import { createHash } from 'node:crypto';
import { isEvmOutput, type Accuracy, type CellParams, type EvmOutput, type Kernel, type KernelOutput, type Scenario } from '../../src/core/types.js';
import { bytesToHex, hexToBytes } from '../../src/evm/hex.js';
import { runMessageCall } from '../../src/evm/message.js';
import type { EvmEngine, Log, MessageCall } from '../../src/evm/types.js';
import { accuracy, perfTime } from '../../src/metrics/decorators.js';
import { emptyCall, WORKLOAD_FORK } from './call.js';
import { evmCaseOf, exactCheck, type LoadedEvmCase } from './index.js';

/** The empty contract (STOP) as a case: the call a kernel's baseline times. */
const EMPTY_CALL = emptyCall();
const EMPTY_CASE: LoadedEvmCase = { code: new Uint8Array([0x00]), others: [], call: () => EMPTY_CALL, facts: {} };

/**
 * A digest of a call's logs (address, topics and data of each, length-prefixed): sha256 from
 * node:crypto, computed outside the timed region. Engines must agree on it like on the return data.
 */
const addressBytes = new Map<string, Uint8Array>();

export function logsDigest(logs: readonly Log[]): string {
  let size = 4;
  for (const l of logs) size += 20 + 1 + 32 * l.topics.length + 4 + l.data.length;
  const buf = Buffer.alloc(size);
  let o = buf.writeUInt32BE(logs.length, 0);
  for (const l of logs) {
    let a = addressBytes.get(l.address);
    if (!a) addressBytes.set(l.address, (a = hexToBytes(l.address)));
    buf.set(a, o);
    o = buf.writeUInt8(l.topics.length, o + 20);
    for (const t of l.topics) {
      buf.set(t, o);
      o += 32;
    }
    o = buf.writeUInt32BE(l.data.length, o);
    buf.set(l.data, o);
    o += l.data.length;
  }
  return `0x${createHash('sha256').update(buf).digest('hex')}`;
}

/** The reason string of a Solidity revert (Error(string)), or the return data, for an error message. */
function revertText(data: string): string {
  if (data.startsWith('0x08c379a0') && data.length >= 10 + 128) {
    try {
      const len = Number(BigInt(`0x${data.slice(74, 138)}`));
      if (len <= 1024) return `"${Buffer.from(data.slice(138, 138 + 2 * len), 'hex').toString('utf8')}"`;
    } catch {
      /* not an Error(string) after all */
    }
  }
  return data.length > 74 ? `${data.slice(0, 74)}...` : data;
}

class EvmKernel implements Kernel {
  private readonly calls = new Map<string, MessageCall>();
  /** The call for the params the kernel was prepared with: the timed path compares two numbers, no lookup. */
  private readonly prepared: { n: number; seed: number; call: MessageCall };
  private lastLogs: readonly Log[] = [];
  private lastReturnData: Uint8Array = new Uint8Array(0);
  private readonly exact?: (o: KernelOutput, p: CellParams) => Accuracy;
  private readonly firstAnswers = new Map<string, string>();

  constructor(
    private readonly engine: EvmEngine,
    private readonly scenarioId: string,
    private readonly loaded: LoadedEvmCase,
    private readonly facts: Record<string, unknown>,
    private readonly params: CellParams,
    private readonly calibration?: (call: MessageCall) => Record<string, unknown>,
  ) {
    this.prepared = { n: params.n, seed: params.seed, call: loaded.call(params.n, params.seed) };
    const expected = loaded.expected;
    if (expected) this.exact = exactCheck((p) => expected(p.n, p.seed));
  }

  private callFor(p: CellParams): MessageCall {
    const pr = this.prepared;
    if (p.n === pr.n && p.seed === pr.seed) return pr.call;
    const key = `${p.n}/${p.seed}`;
    let c = this.calls.get(key);
    if (!c) this.calls.set(key, (c = this.loaded.call(p.n, p.seed)));
    return c;
  }

  /**
   * Runs after the timed region (@accuracy): adds the return data (hex), the logs' count and digest to the answer, then
   * checks it against the independent answer, or (user code, which has none) requires success and
   * the same outcome on every call of the process (state is reset between calls).
   */
  check(o: KernelOutput, p: CellParams): Accuracy {
    if (!isEvmOutput(o)) throw new Error('EVM check given an answer without an EVM outcome');
    o.evm.returnData = bytesToHex(this.lastReturnData);
    o.evm.logs = this.lastLogs.length;
    o.evm.logsHash = logsDigest(this.lastLogs);
    if (this.exact) return this.exact(o, p);
    if (o.evm.status !== 'success') throw new Error(`${this.scenarioId}: the call ended with ${o.evm.status} ${revertText(o.evm.returnData)}: a benchmarked call must succeed`);
    const key = `${p.n}/${p.seed}`;
    const actual = `${o.evm.status} ${o.evm.returnData} gas ${o.evm.gasUsed} logs ${o.evm.logsHash}`;
    const expected = this.firstAnswers.get(key) ?? actual;
    this.firstAnswers.set(key, expected);
    const matches = actual === expected;
    return { exact: true, expected, actual, matches, suspect: !matches };
  }

  @accuracy((o, p, self: EvmKernel) => self.check(o, p))
  @perfTime()
  run(p: CellParams): KernelOutput {
    // only the call inside the timed region: its answer is converted and checked in check()
    const r = runMessageCall(this.engine, this.callFor(p));
    this.lastLogs = r.logs;
    this.lastReturnData = r.returnData;
    const out: EvmOutput = { n: p.n, evm: { status: r.status, returnData: '', gasUsed: r.gasUsed } };
    return out;
  }

  info(): Record<string, unknown> {
    return this.facts;
  }

  dispose(): void {}

  /** The engine's fixed per-call cost: the empty contract called the same way, by the same decorated entry point. */
  baseline(): Kernel {
    return new EvmKernel(this.engine, 'evm:empty-call', EMPTY_CASE, {}, this.params);
  }

  calibrate(): Record<string, unknown> {
    return this.calibration?.(this.prepared.call) ?? {};
  }
}

/**
 * Prepares `scenarioId` on `engine`: the contract comes from the solc cache (compiled there by the
 * parent before the run, see buildPlan in src/cli/commands/run.ts), and the first call runs in the
 * harness (timed as the first call). Nothing here calls the engine: the empty-call time (baseline)
 * and `calibrate` (facts that take calls to measure; given the prepared call) run after the samples. Any `evm:` id works:
 * built-in workloads with or without @viaIR, user Solidity calls, and registered raw bytecode.
 */
export function prepareEvmKernel(engine: EvmEngine, scenario: Scenario | string, params: CellParams, extra: Record<string, unknown> = {}, calibrate?: (call: MessageCall) => Record<string, unknown>): Kernel {
  const c = evmCaseOf(scenario);
  if (params.n > c.maxN || !Number.isInteger(params.n)) throw new Error(`${c.id} takes integer n up to ${c.maxN}, got ${params.n}`);
  const loaded = c.load();
  const facts: Record<string, unknown> = {
    engine: engine.id,
    engineDescription: engine.description,
    fork: WORKLOAD_FORK,
    ...loaded.facts,
    ...extra,
  };
  return new EvmKernel(engine, c.id, loaded, facts, params, calibrate);
}
