/**
 * The imports of every EVM-native module: opcodes a compiled block does by calling out to
 * JavaScript without leaving the module. host_op: storage, transient storage, logs, CODECOPY and RETURNDATACOPY,
 * KECCAK256 (when asked to hash in JavaScript) and SELFBALANCE; the block has flushed its stack to stack memory, operands are read
 * from it and results written back in place, exactly as the interpreter does (same helpers, same
 * host calls, same order of gas checks), and the module moves its stack pointer.
 *
 * Returns the gas the operation costs (never more than `gas`), or HOST_OP_OUT_OF_GAS /
 * HOST_OP_STATIC. Operations that may grow memory leave the new memory size and window capacity
 * in the scratch cells (layout.ts), where the module reads them back.
 */
import * as U from '../../src/evm/u256.js';
import { memoryExpansionCost } from '../../src/evm/memory.js';
import { keccak256 } from '../../src/evm/keccak.js';
import { toWords } from '../../src/evm/gas.js';
import type { CallOutcome, Frame, FrameResult, Host } from '../../src/evm/types.js';
import { wordToAddress } from '../../src/evm/address.js';
import { readCallOperands, type Activation } from '../evm-interp/interpreter.js';
import { ENV_RDSIZE, envAddress, HOST_OP_OUT_OF_GAS, HOST_OP_RETURN_DATA_OOB, HOST_OP_STATIC, SCRATCH_MCAP, SCRATCH_MSIZE } from './layout.js';
import { IMPORT_BASE, switchTo, timing } from './timing.js';
import { fillSlot, flushSlots, forgetInsert, slotsStillValid, syncSlots } from './slot-cache.js';

const EMPTY = new Uint8Array(0);

/** The frame the running module belongs to (set by the engine before every entry into a module). */
export const hostOpContext: {
  act: Activation | undefined;
  host: Host | undefined;
  window: Uint8Array | undefined;
  words: Uint32Array | undefined;
  addrId: number;
  runChild: ((child: Frame, host: Host) => FrameResult) | undefined;
  calls: number;
  callsByOpcode: Float64Array;
} = {
  act: undefined,
  /** Runs a callee frame for the call opcodes (index.ts: compiled, or interpreted past NATIVE_MAX_DEPTH). */
  runChild: undefined,
  /** The frame's storage address in the slot cache (slot-cache.ts). */
  addrId: 0,
  host: undefined,
  window: undefined,
  /** The whole module memory as 32-bit words: scratch cells and operand words. */
  words: undefined,
  calls: 0,
  /** Import calls by opcode (where a call spends its time outside the module). */
  callsByOpcode: new Float64Array(256),
};

/** Hand the module the memory size, and the window capacity (0 when the memory left its window). */
function publishMemory(act: Activation): void {
  const w = hostOpContext.words!;
  w[SCRATCH_MSIZE >>> 2] = act.mem.size;
  w[SCRATCH_MCAP >>> 2] = act.mem.buf === hostOpContext.window ? act.mem.buf.length : 0;
}

/** Grow memory for [off, off + len) on top of `cost`; the total, or -1 when it exceeds `gas`. */
function withExpansion(act: Activation, cost: number, off: number, len: number, gas: number): number {
  if (len !== 0 && off + len > act.mem.size) {
    cost += memoryExpansionCost(act.mem.size, off, len);
    if (!(cost <= gas)) return HOST_OP_OUT_OF_GAS;
    act.mem.grow(off + len);
  }
  return cost <= gas ? cost : HOST_OP_OUT_OF_GAS;
}

/**
 * KECCAK256 with the offset in word `offAt` and the length in word `lenAt` of `w`; the hash
 * replaces the length (host_op, when JITBENCH_EVM_NATIVE_KECCAK=host measures the JavaScript hash).
 */
function keccakOp(w: Uint32Array, offAt: number, lenAt: number, gas: number, msize: number): number {
  const act = hostOpContext.act!;
  act.mem.size = msize;
  const off = U.toNumberSat(w, offAt);
  const len = U.toNumberSat(w, lenAt);
  const cost = withExpansion(act, hostOpContext.host!.gas.sha3Word * toWords(len), off, len, gas);
  if (cost < 0) return cost;
  U.load32(w, lenAt, keccak256(len === 0 ? EMPTY : act.mem.buf.subarray(off, off + len)), 0);
  publishMemory(act);
  return cost;
}

/**
 * CALL, CALLCODE, DELEGATECALL, STATICCALL without leaving the module: the interpreter's steps
 * (operands, the static check, memory for both ranges, host.beginCall, the callee, host.finishCall,
 * the output copied into memory, the success flag in place of the first operand), with the callee
 * run right here, nested in this import (its own module, or the interpreter past NATIVE_MAX_DEPTH).
 * The call block ends at the call (analysis.ts), so `gas` is exact. The caller's storage written in
 * the module goes to the state first, and the slot cache is checked again after the callee.
 */
function callOp(op: number, act: Activation, host: Host, top: number, gas: number, msize: number): number {
  const ctx = hostOpContext;
  const s = act.s;
  const frame = act.frame;
  // copied out of the shared operands object before the callee (whose calls read it again) runs
  const { kind, hasValue, requestedGas, to, value, inOff, inLen, outOff, outLen, end } = readCallOperands(s, top, op);
  if (op === 0xf1 && value !== 0n && frame.isStatic) return HOST_OP_STATIC;
  act.mem.size = msize;
  const cost = withExpansion(act, 0, 0, end, gas);
  if (cost < 0) return cost;
  const words = ctx.words!;
  // before the callee's checkpoint: a callee that reverts must not take the caller's stores with it
  flushSlots(host.state, words);
  const st = host.beginCall({ kind, frame, to, value, requestedGas, availableGas: gas - cost, input: act.mem.read(inOff, inLen) });
  let out: CallOutcome;
  if (st.child === undefined) out = st.outcome;
  else {
    const window = ctx.window;
    const addrId = ctx.addrId;
    const res = ctx.runChild!(st.child, host);
    ctx.act = act;
    ctx.host = host;
    ctx.window = window;
    ctx.addrId = addrId;
    out = host.finishCall(st.cont, res);
    syncSlots(host.state, words);
  }
  if (out.outOfGas) return HOST_OP_OUT_OF_GAS;
  act.returnData = out.returnData;
  words[(envAddress(frame.depth) + ENV_RDSIZE) >>> 2] = act.returnData.length;
  const n = Math.min(outLen, act.returnData.length);
  if (n > 0) act.mem.buf.set(act.returnData.subarray(0, n), outOff);
  U.setBool(s, top - (hasValue ? 48 : 40), out.success);
  publishMemory(act);
  return cost + out.gasCost;
}

/** The host_op import: the operation, timed by opcode when timing is on (timing.ts). */
export function hostOp(op: number, sp: number, gas: number, msize: number): number {
  if (!timing.on) return hostOperation(op, sp, gas, msize);
  const prev = switchTo(IMPORT_BASE + op);
  try {
    return hostOperation(op, sp, gas, msize);
  } finally {
    switchTo(prev);
  }
}

function hostOperation(op: number, sp: number, gas: number, msize: number): number {
  const act = hostOpContext.act!;
  const host = hostOpContext.host!;
  hostOpContext.calls++;
  hostOpContext.callsByOpcode[op]++;
  const s = act.s;
  const top = (sp - 1) << 3;
  const frame = act.frame;
  switch (op) {
    case 0x20:
      return keccakOp(s, top, top - 8, gas, msize);
    case 0x39: // CODECOPY
    case 0x3e: {
      // RETURNDATACOPY
      act.mem.size = msize;
      const memOff = U.toNumberSat(s, top);
      const srcOff = U.toNumberSat(s, top - 8);
      const len = U.toNumberSat(s, top - 16);
      const src = op === 0x39 ? frame.code : act.returnData;
      if (op === 0x3e && !(srcOff + len <= src.length)) return HOST_OP_RETURN_DATA_OOB;
      const copyCost = host.gas.copyWord * toWords(len);
      if (!(copyCost <= gas)) return HOST_OP_OUT_OF_GAS;
      const cost = withExpansion(act, copyCost, memOff, len, gas);
      if (cost < 0) return cost;
      if (len !== 0) act.mem.writePadded(memOff, src, srcOff, len);
      publishMemory(act);
      return cost;
    }
    case 0x47:
      U.fromBigInt(s, sp << 3, host.state.getBalance(frame.address));
      return 0;
    // account queries: the address's warm / cold access cost, then the answer in place
    case 0x31:
    case 0x3b:
    case 0x3f: {
      const a = wordToAddress(s, top);
      const cost = host.accessAccount(a);
      if (cost > gas) return HOST_OP_OUT_OF_GAS;
      if (op === 0x31) U.fromBigInt(s, top, host.state.getBalance(a));
      else if (op === 0x3b) U.setNumber(s, top, host.state.getCode(a).length);
      else if (host.state.isEmpty(a)) U.setZero(s, top);
      else U.load32(s, top, host.state.getCodeHash(a), 0);
      return cost;
    }
    case 0xf1:
    case 0xf2:
    case 0xf4:
    case 0xfa:
      return callOp(op, act, host, top, gas, msize);
    case 0x54: {
      // SLOAD
      const key = U.toBigInt(s, top);
      const cost = host.accessSlot(frame.address, key);
      if (cost > gas) {
        forgetInsert(hostOpContext.words!);
        return HOST_OP_OUT_OF_GAS;
      }
      const value = host.state.getStorage(frame.address, key);
      fillSlot(hostOpContext.words!, s, top, host.state, frame.address, hostOpContext.addrId, key, value);
      U.fromBigInt(s, top, value);
      return cost;
    }
    case 0x55: {
      // SSTORE (ends its block: `gas` is exact for the EIP-2200 stipend check)
      if (frame.isStatic) return HOST_OP_STATIC;
      const cost = host.sstore(frame.address, U.toBigInt(s, top), U.toBigInt(s, top - 8), gas);
      if (cost < 0 || cost > gas) return HOST_OP_OUT_OF_GAS;
      // a slot the compiled SSTORE did not find in the slot cache: the cache still holds
      slotsStillValid(host.state);
      return cost;
    }
    case 0x5c:
      U.fromBigInt(s, top, host.state.getTransient(frame.address, U.toBigInt(s, top)));
      return 0;
    case 0x5d:
      if (frame.isStatic) return HOST_OP_STATIC;
      host.state.setTransient(frame.address, U.toBigInt(s, top), U.toBigInt(s, top - 8));
      return 0;
    case 0xa0:
    case 0xa1:
    case 0xa2:
    case 0xa3:
    case 0xa4: {
      if (frame.isStatic) return HOST_OP_STATIC;
      act.mem.size = msize;
      const n = op - 0xa0;
      const off = U.toNumberSat(s, top);
      const len = U.toNumberSat(s, top - 8);
      const dataCost = host.gas.logData * len;
      if (dataCost > gas) return HOST_OP_OUT_OF_GAS;
      const cost = withExpansion(act, dataCost, off, len, gas);
      if (cost < 0) return cost;
      const topics: Uint8Array[] = [];
      for (let i = 0; i < n; i++) topics.push(U.toBytes32(s, top - 16 - 8 * i));
      host.state.addLog({ address: frame.address, topics, data: act.mem.read(off, len) });
      publishMemory(act);
      return cost;
    }
    default:
      throw new Error(`evm-native: host_op called for opcode 0x${op.toString(16)}`);
  }
}
