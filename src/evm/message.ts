/**
 * The top-level entry of every EVM engine: run one message call against a pre-state and return
 * status, return data, gas, refund, logs, storage writes, touched accounts and the post-state.
 */
import { delegatedAddress } from './delegation.js';
import { type Address, toAddress, ZERO_ADDRESS } from './address.js';
import { isForkAtLeast } from './fork.js';
import { gasSchedule } from './gas.js';
import { MessageHost } from './host.js';
import { EvmUnsupportedError } from './precompiles.js';
import { State, type AccountData } from './state.js';
import type { AccountInit, BlockEnv, CallResult, EvmEngine, Frame, FrameResult, MessageCall, PreState, TxEnv } from './types.js';

const EMPTY = new Uint8Array(0);

export const DEFAULT_BLOCK: BlockEnv = {
  number: 0n,
  timestamp: 0n,
  coinbase: ZERO_ADDRESS,
  gasLimit: 30_000_000n,
  difficulty: 0n,
  prevRandao: 0n,
  baseFee: 0n,
  chainId: 1n,
  blobBaseFee: 1n,
};

export function normalizeBlock(b: Partial<BlockEnv> | undefined): BlockEnv {
  const out = { ...DEFAULT_BLOCK, ...b };
  if (b?.prevRandao === undefined) out.prevRandao = out.difficulty;
  out.coinbase = toAddress(out.coinbase);
  return out;
}

function normalizeAccount(a: AccountInit): AccountData {
  const storage = new Map<bigint, bigint>();
  if (a.storage instanceof Map) {
    for (const [k, v] of a.storage) if (v !== 0n) storage.set(k, v);
  } else if (a.storage) {
    for (const [k, v] of Object.entries(a.storage)) if (v !== 0n) storage.set(BigInt(k), v);
  }
  return { balance: a.balance ?? 0n, nonce: a.nonce ?? 0n, code: a.code ?? EMPTY, storage };
}

export function normalizePreState(pre: PreState | undefined): Array<[Address, AccountData]> {
  if (!pre) return [];
  const entries = pre instanceof Map ? [...pre.entries()] : Object.entries(pre);
  return entries.map(([a, acc]) => [toAddress(a), normalizeAccount(acc)]);
}

export type HostFactory = (engine: EvmEngine, call: MessageCall, state: State, block: BlockEnv, tx: TxEnv) => MessageHost;

export interface RunOptions {
  /** Build a different host (e.g. the VMTests host that records CALL/CREATE instead of running them). */
  host?: HostFactory;
}

/** Run one message call on `engine`. */
export function runMessageCall(engine: EvmEngine, call: MessageCall, opts: RunOptions = {}): CallResult {
  const fork = call.fork;
  const g = gasSchedule(fork);
  const gasLimit = typeof call.gasLimit === 'bigint' ? Number(call.gasLimit) : call.gasLimit;
  if (!Number.isSafeInteger(gasLimit) || gasLimit < 0) throw new RangeError(`gas limit must be an integer in 0..2^53-1, got ${call.gasLimit}`);
  const state = new State(normalizePreState(call.preState));
  const block = normalizeBlock(call.block);
  const caller = toAddress(call.caller);
  const address = toAddress(call.address);
  const tx: TxEnv = { origin: toAddress(call.origin ?? caller), gasPrice: call.gasPrice ?? 0n, blobHashes: call.blobHashes ?? [] };
  const host = opts.host ? opts.host(engine, call, state, block, tx) : new MessageHost(engine, fork, state, block, tx);
  const value = call.value ?? 0n;

  if (isForkAtLeast(fork, 'berlin')) {
    state.warmAddress(tx.origin);
    state.warmAddress(caller);
    state.warmAddress(address);
    for (const pc of host.precompiles.keys()) state.warmAddress(pc);
    if (isForkAtLeast(fork, 'shanghai')) state.warmAddress(block.coinbase); // EIP-3651
    for (const e of call.accessList ?? []) {
      const a = toAddress(e.address);
      state.warmAddress(a);
      for (const k of e.storageKeys ?? []) state.warmSlot(a, k);
    }
  }
  state.accessed.add(caller);
  state.accessed.add(address);

  // EIP-7702: a delegating callee runs its delegate's code; the delegate is warm, at no cost
  let codeAddress = address;
  const delegate = call.code === undefined && isForkAtLeast(fork, 'prague') ? delegatedAddress(state.getCode(address)) : undefined;
  if (delegate !== undefined) {
    state.warmAddress(delegate);
    state.accessed.add(delegate);
    codeAddress = delegate;
  }
  const frame: Frame = {
    code: call.code ?? state.getCode(codeAddress),
    calldata: call.calldata ?? EMPTY,
    address,
    codeAddress,
    caller,
    value,
    gas: gasLimit,
    isStatic: call.isStatic ?? false,
    depth: 0,
  };

  const cp = state.checkpoint();
  let r: FrameResult;
  if (call.transferValue !== false && value !== 0n && state.getBalance(caller) < value) {
    r = { status: 'halt', haltReason: 'insufficient balance', returnData: EMPTY, gasLeft: gasLimit };
  } else {
    if (call.transferValue !== false && value !== 0n) {
      state.setBalance(caller, state.getBalance(caller) - value);
      state.addBalance(address, value);
    }
    state.touch(address);
    const pc = call.code === undefined ? host.precompiles.get(address) : undefined;
    if (pc) {
      const out = pc(frame.calldata, gasLimit, fork);
      r = out.ok
        ? { status: 'success', returnData: out.output, gasLeft: gasLimit - out.gasUsed }
        : { status: 'halt', haltReason: 'precompile failure', returnData: EMPTY, gasLeft: 0 };
    } else if (frame.code.length === 0) {
      r = { status: 'success', returnData: EMPTY, gasLeft: gasLimit };
    } else {
      try {
        r = engine.execute(frame, host);
      } catch (err) {
        // Nested calls recurse on the JavaScript stack; a deep call chain can exhaust it before
        // the EVM's 1024 limit. Never turn that into an EVM result.
        if (err instanceof RangeError && /call stack/i.test(err.message)) {
          throw new EvmUnsupportedError(`the call chain is too deep for the JavaScript stack (run node with --stack-size=2000 for the full EVM depth of 1024): ${err.message}`);
        }
        throw err;
      }
    }
  }
  if (r.status !== 'success') {
    state.revert(cp);
    // a failed call touches nothing (EIP-161), not even RIPEMD-160 (its touches are not journaled)
    state.touchedAccounts.clear();
  }
  const ok = r.status === 'success';
  const logs = ok ? state.logs.slice() : [];
  const selfDestructed = ok ? [...state.selfDestructs] : [];
  const created = ok ? [...state.created] : [];
  const gasRefund = ok ? state.refund : 0;
  state.finalize(g.clearEmptyAccounts);
  const gasLeft = r.gasLeft;
  return {
    status: r.status,
    ...(r.haltReason ? { haltReason: r.haltReason } : {}),
    returnData: r.returnData,
    gasUsed: gasLimit - gasLeft,
    gasLeft,
    gasRefund,
    logs,
    storageWrites: ok ? state.storageWrites() : [],
    touched: [...state.accessed],
    selfDestructed,
    created,
    postState: state.snapshot(),
  };
}
