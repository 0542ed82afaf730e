/**
 * `revm`: revm through @nomicfoundation/edr (Hardhat's native Rust engine), a peer engine to
 * measure ours against. EDR is an optional dependency: without it (or its native binary) the
 * engine reports itself unavailable with the reason, and never runs anything else instead.
 *
 * Path: EDR's Solidity test runner, not its provider. The provider's eth_call records a trace of
 * every executed opcode (and returns neither gas used nor status), which makes execution several
 * times slower; the test runner executes without it. A harness test contract (harness.ts) sets up
 * the message call with cheatcodes and reports everything back; `npm run bench:revm-overhead`
 * measures each path.
 *
 * Like the ethereumjs engine, it takes over the whole message call: runMessageCall prepares the
 * state and hands over the top-level frame; EDR runs it and every nested call and create, and the
 * changes are written back into the host's state (balances, nonces, storage of the pre-state's
 * accounts and the callee, logs, refund), so runMessageCall builds the CallResult as for any engine.
 * EDR is asynchronous and the engine interface is synchronous: EDR runs in a worker thread and the
 * main thread blocks on Atomics.wait (bridge.ts).
 *
 * Gas: the callee runs as a CALL from the harness, not as a transaction, so no intrinsic gas
 * (21000 + calldata) and no refund cap is applied; `vm.lastCallGas().gasTotalUsed` is the frame's
 * gas used before refunds, exactly what runMessageCall reports, and `gasRefunded` its refund counter.
 *
 * Not exposed on this path: the halt reason (a halt is told from a revert by its empty return
 * data and all gas used: a REVERT with empty data that uses exactly all the gas reads as a halt),
 * accounts created during the call (their code, balance and storage are not written back),
 * self-destructs, and EIP-161 touches. The frame runs at depth 1 of the harness's transaction,
 * so nested calls can go 1023 deep instead of 1024.
 */
import type { EvmEngine, Frame, FrameResult, Host, MessageCall } from '../../src/evm/types.js';
import { runMessageCall } from '../../src/evm/message.js';
import { worldSnapshot } from '../../src/evm/world-snapshot.js';
import { SyncWorker } from './bridge.js';
import { buildHarness, decodeHarnessOutput, type HarnessCall, type HarnessResult } from './harness.js';
import { locateEdr } from './locate.js';
import type { RevmPathTiming, RevmRequest, RevmResponse } from './protocol.js';

export { REVM_FORKS, RevmUnsupportedError } from './harness.js';

const EMPTY = new Uint8Array(0);
const worker = new SyncWorker<RevmRequest, RevmResponse>(new URL('./worker.js', import.meta.url), 'revm engine (EDR worker)', 'JITBENCH_REVM_TIMEOUT_MS');

export type RevmAvailability = { ok: true; version: string } | { ok: false; reason: string };
let availability: RevmAvailability | undefined;

/** Whether EDR is installed and its native part loads (checked once, in the worker). */
export function revmAvailability(): RevmAvailability {
  if (availability) return availability;
  const loc = locateEdr();
  if (!loc.ok) return (availability = { ok: false, reason: loc.reason });
  try {
    availability = { ok: true, version: worker.call({ kind: 'probe' }).version ?? '?' };
  } catch (err) {
    availability = { ok: false, reason: `@nomicfoundation/edr does not load: ${err instanceof Error ? err.message : String(err)}` };
  }
  return availability;
}

/** Stop the worker (the process exits without it anyway: it is unref'd). */
export function stopRevm(): Promise<void> {
  return worker.stop();
}

/** The harness input for the top-level frame, from the host's prepared state. */
export function harnessCall(frame: Frame, host: Host): HarnessCall {
  const w = worldSnapshot(host);
  return {
    fork: host.fork,
    code: frame.code,
    calldata: frame.calldata,
    address: frame.address,
    caller: frame.caller,
    origin: host.tx.origin,
    value: frame.value,
    gas: frame.gas,
    isStatic: frame.isStatic,
    accounts: w.accounts,
    warmAddresses: w.warmAddresses,
    warmSlots: w.warmSlots,
    block: w.block,
    blockHashes: w.blockHashes,
    gasPrice: host.tx.gasPrice,
    blobHashes: host.tx.blobHashes,
  };
}

/** Write EDR's answer into the host's state through its journaled setters. */
function applyResult(out: HarnessResult, host: Host): void {
  const st = host.state;
  for (const a of out.accounts) {
    const cur = st.getAccount(a.address);
    // an account the call left empty and untouched is not created (the callee of code given directly)
    if (!cur && a.balance === 0n && a.nonce === 0n && a.writes.length === 0) continue;
    const acc = cur ?? st.getOrCreate(a.address);
    if (acc.balance !== a.balance) st.setBalance(a.address, a.balance);
    if (acc.nonce !== a.nonce) st.setNonce(a.address, a.nonce);
    for (const [k, v] of a.writes) if (st.getStorage(a.address, k) !== v) st.setStorage(a.address, k, v);
  }
  for (const l of out.logs) st.addLog({ address: l.address, topics: l.topics, data: l.data });
  st.addRefund(Number(out.gasRefunded));
}

/** EDR's own time (ns) for the harness test function of the last call: execution inside EDR. */
let lastEdrNs = 0n;
export function lastRevmEdrNs(): bigint {
  return lastEdrNs;
}

export const revmEngine: EvmEngine & { availability(): RevmAvailability } = {
  id: 'revm',
  description:
    'revm via @nomicfoundation/edr (optional dependency; Solidity test runner path, no opcode trace; worker thread); forks london..prague; ' +
    'halt reason, accounts created during the call, self-destructs, touches and logs of reverted frames are not reported',
  availability: revmAvailability,
  execute(frame: Frame, host: Host): FrameResult {
    if (frame.depth !== 0) throw new Error('revm engine: runs whole message calls (depth 0); nested frames run inside EDR');
    const av = revmAvailability();
    if (!av.ok) throw new Error(`revm engine unavailable: ${av.reason}`);
    const h = buildHarness(harnessCall(frame, host));
    const run = worker.call({ kind: 'run', job: h.job }).run;
    if (!run) throw new Error('revm engine: the worker gave no result');
    if (run.status !== 'Success') throw new Error(`revm engine: the EDR harness failed (${run.status}): ${run.reason ?? 'no reason given'}`);
    const line = run.logs[run.logs.length - 1];
    if (line === undefined) throw new Error('revm engine: the EDR harness logged no answer');
    const out = decodeHarnessOutput(line, h);
    lastEdrNs = run.durationNs;
    const used = out.frameGasUsed;
    // a halt burns all the frame's gas; success and revert must agree with lastCallGas
    const halted = !out.success && out.returnData.length === 0 && used === BigInt(frame.gas);
    if (!halted && used !== out.gasUsed) throw new Error(`revm engine: gas accounting mismatch (harness GAS delta ${used}, lastCallGas ${out.gasUsed})`);
    if (out.success) {
      applyResult(out, host);
      return { status: 'success', returnData: out.returnData, gasLeft: frame.gas - Number(used) };
    }
    if (!halted) return { status: 'revert', returnData: out.returnData, gasLeft: frame.gas - Number(used) };
    return { status: 'halt', returnData: EMPTY, gasLeft: 0 };
  },
};

// ---------------------------------------------------------------- per-call overhead

const CALLER = '0x' + '00'.repeat(19) + 'ca';
const CALLEE = '0x' + 'c0'.repeat(19) + 'de';
/** PUSH2 10000, then 10000 x (JUMPDEST PUSH1 1 SWAP1 SUB DUP1 PUSH1 3 JUMPI): 70,001 opcodes, 260,003 gas. */
export const LOOP_CODE = new Uint8Array([0x61, 0x27, 0x10, 0x5b, 0x60, 0x01, 0x90, 0x03, 0x80, 0x60, 0x03, 0x57, 0x00]);

/** A call of `code` at a fixed address on Cancun (the empty contract is code 0x00: STOP). */
export function revmBenchCall(code: Uint8Array): MessageCall {
  return { fork: 'cancun', code, calldata: new Uint8Array(36), caller: CALLER, address: CALLEE, gasLimit: 1_000_000_000, preState: { [CALLEE]: { code } } };
}

export interface RevmOverhead {
  /** Median wall time of runMessageCall(revm, empty contract): the fixed cost of one call, µs. */
  medianUs: number;
  p10Us: number;
  p90Us: number;
  /** Median of EDR's own time for the harness test function (inside EDR, no bridge), µs. */
  edrMedianUs: number;
  calls: number;
  version: string;
}

const quantile = (xs: number[], q: number) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

/**
 * The fixed per-call overhead of the revm engine, end to end as the harness sees it: median time
 * of runMessageCall on the empty contract (code 0x00), harness build, worker bridge, EDR's test
 * runner and decoding included. Reports subtract it to show execution apart.
 */
export function measureRevmCallOverhead(calls = 200, code: Uint8Array = new Uint8Array([0x00])): RevmOverhead {
  const av = revmAvailability();
  if (!av.ok) throw new Error(`revm engine unavailable: ${av.reason}`);
  const call = revmBenchCall(code);
  for (let i = 0; i < Math.min(20, calls); i++) runMessageCall(revmEngine, call);
  const wall: number[] = [];
  const edr: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    runMessageCall(revmEngine, call);
    wall.push((performance.now() - t0) * 1000);
    edr.push(Number(lastEdrNs) / 1000);
  }
  return { medianUs: quantile(wall, 0.5), p10Us: quantile(wall, 0.1), p90Us: quantile(wall, 0.9), edrMedianUs: quantile(edr, 0.5), calls, version: av.version };
}

/** Time every candidate EDR path inside the worker (see edr.ts benchPaths). */
export function benchRevmPaths(calls = 200, loopCalls = 50): RevmPathTiming[] {
  const av = revmAvailability();
  if (!av.ok) throw new Error(`revm engine unavailable: ${av.reason}`);
  const job = (code: Uint8Array) => {
    const c = revmBenchCall(code);
    return buildHarness({
      fork: 'cancun', code, calldata: c.calldata!, address: CALLEE, caller: CALLER, origin: CALLER, value: 0n, gas: Number(c.gasLimit), isStatic: false,
      accounts: [{ address: CALLEE, nonce: 0n, balance: 0n, code, storage: [] }],
      warmAddresses: [CALLER, CALLEE], warmSlots: [],
      block: { number: 0n, timestamp: 0n, coinbase: '0x' + '00'.repeat(20), gasLimit: 30_000_000n, difficulty: 0n, prevRandao: 0n, baseFee: 0n, chainId: 1n, blobBaseFee: 1n },
      blockHashes: [], gasPrice: 0n, blobHashes: [],
    }).job;
  };
  const res = worker.call({ kind: 'bench', bench: { calls, loopCode: LOOP_CODE, loopCalls, emptyJob: job(new Uint8Array([0x00])), loopJob: job(LOOP_CODE) } });
  return res.bench ?? [];
}
