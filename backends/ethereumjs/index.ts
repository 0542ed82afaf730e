/**
 * `ethereumjs`: @ethereumjs/evm (the reference JavaScript EVM) behind the same interface as our
 * engines, so `runMessageCall`, `jitbench evm run|test --engine ethereumjs` and the differential
 * fuzzer (src/evm/fuzz/) drive it like evm-interp. It is a reference to test against, never one of
 * the engines jitbench measures.
 *
 * @ethereumjs/evm is asynchronous and our engine interface is synchronous, so the engine runs it in
 * a worker thread (worker.ts) and blocks on Atomics.wait until the answer is there.
 *
 * The engine takes over a whole message call: runMessageCall prepares the state (pre-state, value
 * transfer, EIP-2929 warm set) and hands the top-level frame to `execute`; this sends that world
 * to ethereumjs, which runs the frame and every nested call and create itself, and then writes
 * what changed back into the host's state (accounts, storage, logs, refund, self-destructs,
 * created and touched accounts), so runMessageCall builds its CallResult from it as for any
 * engine. Only changed slots are written back, so `storageWrites` lists slots whose value changed
 * (evm-interp also lists slots written with their current value).
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { bytesEqual } from '../../src/evm/hex.js';
import { worldSnapshot } from '../../src/evm/world-snapshot.js';
import type { EvmEngine, Frame, FrameResult, HaltReason, Host } from '../../src/evm/types.js';
import type { EjsRequest, EjsResponse } from './protocol.js';

const EMPTY = new Uint8Array(0);

interface Bridge {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
}

let bridge: Bridge | undefined;

function getBridge(): Bridge {
  if (bridge) return bridge;
  const sab = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./worker.js', import.meta.url), {
    workerData: { port: port2, flag: sab },
    transferList: [port2],
    // ethereumjs recurses (asynchronously) for every nested call: room for the full depth of 1024
    resourceLimits: { stackSizeMb: 256 },
    // not the parent's flags: e.g. `node --input-type=module -e` would stop the worker loading
    execArgv: [],
  });
  worker.unref();
  port1.unref();
  bridge = { worker, port: port1, flag: new Int32Array(sab) };
  return bridge;
}

/** Run one request on @ethereumjs/evm, synchronously. */
export function runEthereumjsSync(req: EjsRequest): EjsResponse {
  const b = getBridge();
  Atomics.store(b.flag, 0, 0);
  b.port.postMessage(req);
  const limitMs = Number(process.env['JITBENCH_ETHEREUMJS_TIMEOUT_MS'] ?? 600_000);
  const t0 = Date.now();
  for (;;) {
    Atomics.wait(b.flag, 0, 0, 1000);
    const got = receiveMessageOnPort(b.port);
    if (got) {
      const res = got.message as EjsResponse;
      if (res.fatal !== undefined) throw new Error(`ethereumjs worker: ${res.fatal}`);
      return res;
    }
    if (Atomics.load(b.flag, 0) === 2) {
      bridge = undefined;
      throw new Error('ethereumjs worker exited without an answer');
    }
    if (Date.now() - t0 > limitMs) {
      void b.worker.terminate();
      bridge = undefined;
      throw new Error(`ethereumjs worker: no answer after ${limitMs} ms`);
    }
  }
}

/** Stop the worker (the process exits without it anyway: it is unref'd). */
export async function stopEthereumjs(): Promise<void> {
  const b = bridge;
  bridge = undefined;
  if (b) await b.worker.terminate();
}

/** ethereumjs' EVMError messages as our halt reasons. */
const HALT: Record<string, HaltReason> = {
  'out of gas': 'out of gas',
  'code store out of gas': 'out of gas',
  'stack underflow': 'stack underflow',
  'stack overflow': 'stack overflow',
  'invalid JUMP': 'bad jump destination',
  'invalid opcode': 'invalid opcode',
  'static state change': 'static state change',
  'value out of range': 'return data out of bounds',
  'create collision': 'create collision',
  'code size to deposit exceeds maximum code size': 'code size exceeded',
  'invalid bytecode deployed': 'invalid code prefix',
  'initcode exceeds max initcode size': 'initcode size exceeded',
  'insufficient balance': 'insufficient balance',
};

/** The request for the top-level frame, from the host's prepared state. */
export function buildRequest(frame: Frame, host: Host): EjsRequest {
  const w = worldSnapshot(host);
  return {
    fork: host.fork,
    chainId: w.block.chainId,
    accounts: w.accounts,
    warmAddresses: w.warmAddresses,
    warmSlots: w.warmSlots,
    block: w.block,
    blockHashes: w.blockHashes,
    tx: { origin: host.tx.origin, gasPrice: host.tx.gasPrice, blobHashes: host.tx.blobHashes },
    frame: {
      code: frame.code,
      calldata: frame.calldata,
      address: frame.address,
      caller: frame.caller,
      value: frame.value,
      gas: BigInt(frame.gas),
      isStatic: frame.isStatic,
    },
  };
}

/** Write ethereumjs' post-state into the host's state through its journaled setters. */
function applyResponse(res: EjsResponse, host: Host): void {
  const st = host.state;
  for (const a of res.accounts) {
    const address = a.address;
    const cur = st.getAccount(address) ?? st.getOrCreate(address);
    if (cur.balance !== a.balance) st.setBalance(address, a.balance);
    if (cur.nonce !== a.nonce) st.setNonce(address, a.nonce);
    if (!bytesEqual(cur.code, a.code)) st.setCode(address, a.code);
    const final = new Map(a.storage);
    for (const [k, v] of final) if (st.getStorage(address, k) !== v) st.setStorage(address, k, v);
    for (const k of [...cur.storage.keys()]) if (!final.has(k)) st.setStorage(address, k, 0n);
  }
  for (const a of res.deleted) st.deleteAccount(a);
  for (const l of res.logs) st.addLog({ address: l.address, topics: l.topics, data: l.data });
  st.addRefund(Number(res.gasRefund));
  for (const a of res.selfDestructed) st.markSelfDestruct(a);
  for (const a of res.created) st.created.add(a);
  for (const a of res.touched) st.touch(a);
}

export const ethereumjsEngine: EvmEngine = {
  id: 'ethereumjs',
  reference: true,
  close: stopEthereumjs,
  description: '@ethereumjs/evm (reference JavaScript EVM, run in a worker thread); a reference to test against, not a benchmarked engine',
  execute(frame: Frame, host: Host): FrameResult {
    if (frame.depth !== 0) throw new Error('ethereumjs engine: runs whole message calls (depth 0); nested frames run inside ethereumjs');
    const res = runEthereumjsSync(buildRequest(frame, host));
    const gasLeft = frame.gas - Number(res.gasUsed);
    if (res.error === undefined) {
      applyResponse(res, host);
      return { status: 'success', returnData: res.returnData, gasLeft };
    }
    if (res.error === 'revert') return { status: 'revert', returnData: res.returnData, gasLeft };
    const reason = HALT[res.error];
    return { status: 'halt', ...(reason ? { haltReason: reason } : {}), returnData: EMPTY, gasLeft: 0 };
  },
};
