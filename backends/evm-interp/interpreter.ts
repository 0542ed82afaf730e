/**
 * The EVM interpreter: one loop, one switch over the opcode byte, words as 8 x 32-bit limbs in a
 * Uint32Array stack computed in place (src/evm/u256.ts).
 *
 * - Gas and stack bounds are checked once per basic block (src/evm/analysis.ts): an ordinary
 *   instruction does no check at all, only its work (and its dynamic costs, if any).
 * - Opcodes the fork does not define were replaced by INVALID in the analysed code, so the switch
 *   needs no per-instruction fork test.
 * - Nested calls do not recurse on the JavaScript stack: on a CALL or CREATE the interpreter saves
 *   the frame (pc, sp, gas, its stack and memory stay in per-depth pools), runs the child in the
 *   same loop, and resumes the parent with the host's outcome, so the EVM's full depth of 1024
 *   needs no larger JavaScript stack.
 */
import * as U from '../../src/evm/u256.js';
import { Memory, memoryExpansionCost } from '../../src/evm/memory.js';
import { codeAnalysis } from '../../src/evm/analysis.js';
import { keccak256 } from '../../src/evm/keccak.js';
import { addressToWord, wordToAddress, type Address } from '../../src/evm/address.js';
import { toWords } from '../../src/evm/gas.js';
import { isForkAtLeast } from '../../src/evm/fork.js';
import type { CallContinuation, CallKind, CreateContinuation, Frame, FrameResult, HaltReason, Host } from '../../src/evm/types.js';

const EMPTY = new Uint8Array(0);
const WORDS = 1024 * 8;

/** Per-depth pools: frames nest strictly, so depth d only ever has one live stack and memory. */
const stackPool: Uint32Array[] = [];
const memoryPool: Memory[] = [];
/** Memory buffers up to this many bytes are kept per depth and reused (zero-filled) by the next frame. */
const REUSED_MEMORY_MAX = 64 * 1024;

function halt(reason: HaltReason): FrameResult {
  return { status: 'halt', haltReason: reason, returnData: EMPTY, gasLeft: 0 };
}

/** A frame being executed or waiting for its child. */
export interface Activation {
  frame: Frame;
  /**
   * Run one basic block only, then return YIELD with pc / sp / gas / returnData saved here (the
   * evm-native engine runs the blocks it does not compile this way, on the same stack memory).
   */
  singleBlock: boolean;
  /**
   * Single-block mode only: `pc` is inside a block whose gas and stack bounds were already
   * charged and checked (evm-native ran its first part), so the first entry skips them.
   */
  midBlock: boolean;
  s: Uint32Array;
  mem: Memory;
  pc: number;
  sp: number;
  gas: number;
  returnData: Uint8Array;
  // the pending call or create, while suspended
  child: Frame | undefined;
  callCont: CallContinuation | undefined;
  createCont: CreateContinuation | undefined;
  outOff: number;
  outLen: number;
}

/** Returned by run() when the frame suspended on a call (its `child` is set). */
export const SUSPEND: FrameResult = { status: 'success', returnData: EMPTY, gasLeft: 0 };
/** Returned by run() in single-block mode at the start of the next block. */
export const YIELD: FrameResult = { status: 'success', returnData: EMPTY, gasLeft: 0 };

/**
 * A fresh activation of `frame`. `stack` replaces the per-depth pool's stack (8 x u32 limbs per
 * word, 1024 words) and `memory` the pool's memory (the caller hands it over empty).
 */
export function activate(frame: Frame, stack?: Uint32Array, memory?: Memory): Activation {
  const depth = frame.depth;
  let s = stack ?? stackPool[depth];
  if (!s) s = stackPool[depth] = new Uint32Array(WORDS);
  let mem = memory ?? memoryPool[depth];
  if (memory) {
    // the caller's memory, empty
  } else if (!mem || mem.buf.length > REUSED_MEMORY_MAX) {
    // reuse a small buffer (the common case); drop a big one, so one memory-hungry call does not
    // pin its memory for the life of the process (nor make every later frame zero-fill it)
    mem = memoryPool[depth] = new Memory();
  } else {
    mem.buf.fill(0, 0, mem.size);
    mem.size = 0;
  }
  return { frame, singleBlock: false, midBlock: false, s, mem: mem!, pc: 0, sp: 0, gas: frame.gas, returnData: EMPTY, child: undefined, callCont: undefined, createCont: undefined, outOff: 0, outLen: 0 };
}

export function interpret(frame: Frame, host: Host): FrameResult {
  const base = frame.depth;
  const parents: Activation[] = [];
  let act = activate(frame);
  for (;;) {
    const r = run(act, host);
    if (r === SUSPEND) {
      parents.push(act);
      act = activate(act.child!);
      continue;
    }
    if (act.frame.depth === base) return r;
    const p = parents.pop()!;
    resume(p, host, r);
    act = p;
  }
}

/** Give a suspended frame its child's result: the host's outcome, then the effects on the caller's stack, memory and gas. */
/** The operands of a call opcode, as `readCallOperands` reads them (one object, reused: copy what you keep). */
export interface CallOperands {
  kind: CallKind;
  hasValue: boolean;
  requestedGas: number;
  to: Address;
  value: bigint;
  inOff: number;
  inLen: number;
  outOff: number;
  outLen: number;
  /** The end of the memory both ranges need (0 when both are empty). */
  end: number;
}
const callOperands: CallOperands = { kind: 'CALL', hasValue: false, requestedGas: 0, to: '', value: 0n, inOff: 0, inLen: 0, outOff: 0, outLen: 0, end: 0 };

/** CALL / CALLCODE / DELEGATECALL / STATICCALL's operands from the stack top at `top` (shared with evm-native's call import). */
export function readCallOperands(s: Uint32Array, top: number, op: number): CallOperands {
  const c = callOperands;
  c.kind = op === 0xf1 ? 'CALL' : op === 0xf2 ? 'CALLCODE' : op === 0xf4 ? 'DELEGATECALL' : 'STATICCALL';
  c.hasValue = op === 0xf1 || op === 0xf2;
  c.requestedGas = U.toNumberSat(s, top);
  c.to = wordToAddress(s, top - 8);
  let p = top - 16;
  c.value = 0n;
  if (c.hasValue) {
    c.value = U.toBigInt(s, p);
    p -= 8;
  }
  c.inOff = U.toNumberSat(s, p);
  c.inLen = U.toNumberSat(s, p - 8);
  c.outOff = U.toNumberSat(s, p - 16);
  c.outLen = U.toNumberSat(s, p - 24);
  c.end = Math.max(c.inLen === 0 ? 0 : c.inOff + c.inLen, c.outLen === 0 ? 0 : c.outOff + c.outLen);
  return c;
}

export function resume(p: Activation, host: Host, r: FrameResult): void {
  const slot = (p.sp - 1) << 3;
  if (p.callCont) {
    const out = host.finishCall(p.callCont, r);
    p.gas -= out.gasCost;
    p.returnData = out.returnData;
    const n = Math.min(p.outLen, out.returnData.length);
    if (n > 0) p.mem.buf.set(out.returnData.subarray(0, n), p.outOff);
    U.setBool(p.s, slot, out.success);
  } else {
    const out = host.finishCreate(p.createCont!, r);
    p.gas -= out.gasCost;
    p.returnData = out.returnData;
    if (out.address) addressToWord(out.address, p.s, slot);
    else U.setZero(p.s, slot);
  }
  p.child = undefined;
  p.callCont = undefined;
  p.createCont = undefined;
}

export function run(act: Activation, host: Host): FrameResult {
  const frame = act.frame;
  const s = act.s;
  const mem = act.mem;
  const table = host.table;
  const g = host.gas;
  const state = host.state;
  const origCode = frame.code;
  const codeLen = origCode.length;
  const an = codeAnalysis(origCode, table.fork);
  const jd = an.jumpdests;
  const code = an.dispatch;
  const blockGas = an.blockGas;
  const blockMinStack = an.blockMinStack;
  const blockMaxStack = an.blockMaxStack;
  const calldata = frame.calldata;
  const address = frame.address;
  const randao = isForkAtLeast(table.fork, 'paris');
  let returnData = act.returnData;
  let gas = act.gas;
  let sp = act.sp;
  let pc = act.pc;
  const single = act.singleBlock;
  let entered = false;
  let midBlock = act.midBlock;

  block: for (;;) {
    if (single) {
      if (entered) {
        act.pc = pc;
        act.sp = sp;
        act.gas = gas;
        act.returnData = returnData;
        return YIELD;
      }
      entered = true;
    }
    if (midBlock) {
      // evm-native charged this block and ran its first part
      midBlock = act.midBlock = false;
    } else {
      // block entry: its base gas and stack bounds, once (see src/evm/analysis.ts)
      gas -= blockGas[pc]!;
      if (gas < 0) return halt('out of gas');
      if (sp < blockMinStack[pc]!) return halt('stack underflow');
      if (sp > blockMaxStack[pc]!) return halt('stack overflow');
      if (code[pc] === 0x5b) pc++;
    }
    for (;;) {
    const op = code[pc]!; // the analysed code ends with STOPs
    const top = (sp - 1) << 3; // offset of the top word (valid when sp >= 1)
    switch (op) {
      case 0x00: // STOP
        return { status: 'success', returnData: EMPTY, gasLeft: gas };
      case 0x01:
        U.add(s, top, top - 8, top - 8);
        sp--;
        break;
      case 0x02:
        U.mul(s, top, top - 8, top - 8);
        sp--;
        break;
      case 0x03:
        U.sub(s, top, top - 8, top - 8);
        sp--;
        break;
      case 0x04:
        U.div(s, top, top - 8, top - 8);
        sp--;
        break;
      case 0x05:
        U.sdiv(s, top, top - 8, top - 8);
        sp--;
        break;
      case 0x06:
        U.mod(s, top, top - 8, top - 8);
        sp--;
        break;
      case 0x07:
        U.smod(s, top, top - 8, top - 8);
        sp--;
        break;
      case 0x08:
        U.addmod(s, top, top - 8, top - 16, top - 16);
        sp -= 2;
        break;
      case 0x09:
        U.mulmod(s, top, top - 8, top - 16, top - 16);
        sp -= 2;
        break;
      case 0x0a: {
        // EXP
        gas -= g.expByte * U.byteLength(s, top - 8);
        if (gas < 0) return halt('out of gas');
        U.exp(s, top, top - 8, top - 8);
        sp--;
        break;
      }
      case 0x0b:
        U.signextend(s, top, top - 8, top - 8);
        sp--;
        break;
      case 0x10:
        U.setBool(s, top - 8, U.lt(s, top, top - 8));
        sp--;
        break;
      case 0x11:
        U.setBool(s, top - 8, U.lt(s, top - 8, top));
        sp--;
        break;
      case 0x12:
        U.setBool(s, top - 8, U.slt(s, top, top - 8));
        sp--;
        break;
      case 0x13:
        U.setBool(s, top - 8, U.slt(s, top - 8, top));
        sp--;
        break;
      case 0x14:
        U.setBool(s, top - 8, U.eq(s, top, top - 8));
        sp--;
        break;
      case 0x15:
        U.setBool(s, top, U.isZero(s, top));
        break;
      case 0x16:
        U.and(s, top, top - 8, top - 8);
        sp--;
        break;
      case 0x17:
        U.or(s, top, top - 8, top - 8);
        sp--;
        break;
      case 0x18:
        U.xor(s, top, top - 8, top - 8);
        sp--;
        break;
      case 0x19:
        U.not(s, top, top);
        break;
      case 0x1a:
        U.byte(s, top, top - 8, top - 8);
        sp--;
        break;
      case 0x1b:
        U.shl(s, U.shiftAmount(s, top), top - 8, top - 8);
        sp--;
        break;
      case 0x1c:
        U.shr(s, U.shiftAmount(s, top), top - 8, top - 8);
        sp--;
        break;
      case 0x1d:
        U.sar(s, U.shiftAmount(s, top), top - 8, top - 8);
        sp--;
        break;
      case 0x20: {
        // SHA3
        const off = U.toNumberSat(s, top);
        const len = U.toNumberSat(s, top - 8);
        gas -= g.sha3Word * toWords(len);
        if (len !== 0 && off + len > mem.size) {
          gas -= memoryExpansionCost(mem.size, off, len);
          if (gas < 0) return halt('out of gas');
          mem.grow(off + len);
        }
        if (gas < 0) return halt('out of gas');
        const h = keccak256(len === 0 ? EMPTY : mem.buf.subarray(off, off + len));
        U.load32(s, top - 8, h, 0);
        sp--;
        break;
      }
      case 0x30:
        addressToWord(address, s, sp << 3);
        sp++;
        break;
      case 0x31: {
        const a = wordToAddress(s, top);
        gas -= host.accessAccount(a);
        if (gas < 0) return halt('out of gas');
        U.fromBigInt(s, top, state.getBalance(a));
        break;
      }
      case 0x32:
        addressToWord(host.tx.origin, s, sp << 3);
        sp++;
        break;
      case 0x33:
        addressToWord(frame.caller, s, sp << 3);
        sp++;
        break;
      case 0x34:
        U.fromBigInt(s, sp << 3, frame.value);
        sp++;
        break;
      case 0x35:
        U.fromBytesBE(s, top, calldata, U.toNumberSat(s, top), 32);
        break;
      case 0x36:
        U.setSmall(s, sp << 3, calldata.length);
        sp++;
        break;
      case 0x37: // CALLDATACOPY
      case 0x39: // CODECOPY
      case 0x3e: {
        // RETURNDATACOPY
        const memOff = U.toNumberSat(s, top);
        const srcOff = U.toNumberSat(s, top - 8);
        const len = U.toNumberSat(s, top - 16);
        sp -= 3;
        const src = op === 0x37 ? calldata : op === 0x39 ? origCode : returnData;
        if (op === 0x3e && !(srcOff + len <= returnData.length)) return halt('return data out of bounds');
        gas -= g.copyWord * toWords(len);
        if (gas < 0) return halt('out of gas');
        if (len !== 0) {
          if (memOff + len > mem.size) {
            gas -= memoryExpansionCost(mem.size, memOff, len);
            if (gas < 0) return halt('out of gas');
            mem.grow(memOff + len);
          }
          mem.writePadded(memOff, src, srcOff, len);
        }
        break;
      }
      case 0x38:
        U.setSmall(s, sp << 3, codeLen);
        sp++;
        break;
      case 0x3a:
        U.fromBigInt(s, sp << 3, host.tx.gasPrice);
        sp++;
        break;
      case 0x3b: {
        const a = wordToAddress(s, top);
        gas -= host.accessAccount(a);
        if (gas < 0) return halt('out of gas');
        U.setNumber(s, top, state.getCode(a).length);
        break;
      }
      case 0x3c: {
        // EXTCODECOPY
        const a = wordToAddress(s, top);
        const memOff = U.toNumberSat(s, top - 8);
        const srcOff = U.toNumberSat(s, top - 16);
        const len = U.toNumberSat(s, top - 24);
        sp -= 4;
        gas -= host.accessAccount(a) + g.copyWord * toWords(len);
        if (gas < 0) return halt('out of gas');
        if (len !== 0) {
          if (memOff + len > mem.size) {
            gas -= memoryExpansionCost(mem.size, memOff, len);
            if (gas < 0) return halt('out of gas');
            mem.grow(memOff + len);
          }
          mem.writePadded(memOff, state.getCode(a), srcOff, len);
        }
        break;
      }
      case 0x3d:
        U.setSmall(s, sp << 3, returnData.length);
        sp++;
        break;
      case 0x3f: {
        // EXTCODEHASH: 0 for a non-existent or empty account
        const a = wordToAddress(s, top);
        gas -= host.accessAccount(a);
        if (gas < 0) return halt('out of gas');
        if (state.isEmpty(a)) U.setZero(s, top);
        else U.load32(s, top, state.getCodeHash(a), 0);
        break;
      }
      case 0x40:
        U.fromBigInt(s, top, host.blockHash(U.toBigInt(s, top)));
        break;
      case 0x41:
        addressToWord(host.block.coinbase, s, sp << 3);
        sp++;
        break;
      case 0x42:
        U.fromBigInt(s, sp << 3, host.block.timestamp);
        sp++;
        break;
      case 0x43:
        U.fromBigInt(s, sp << 3, host.block.number);
        sp++;
        break;
      case 0x44:
        U.fromBigInt(s, sp << 3, randao ? host.block.prevRandao : host.block.difficulty);
        sp++;
        break;
      case 0x45:
        U.fromBigInt(s, sp << 3, host.block.gasLimit);
        sp++;
        break;
      case 0x46:
        U.fromBigInt(s, sp << 3, host.block.chainId);
        sp++;
        break;
      case 0x47:
        U.fromBigInt(s, sp << 3, state.getBalance(address));
        sp++;
        break;
      case 0x48:
        U.fromBigInt(s, sp << 3, host.block.baseFee);
        sp++;
        break;
      case 0x49: {
        const i = U.toNumberSat(s, top);
        const hashes = host.tx.blobHashes;
        U.fromBigInt(s, top, i < hashes.length ? hashes[i]! : 0n);
        break;
      }
      case 0x4a:
        U.fromBigInt(s, sp << 3, host.block.blobBaseFee);
        sp++;
        break;
      case 0x50:
        sp--;
        break;
      case 0x51: {
        // MLOAD
        const off = U.toNumberSat(s, top);
        if (off + 32 > mem.size) {
          gas -= memoryExpansionCost(mem.size, off, 32);
          if (gas < 0) return halt('out of gas');
          mem.grow(off + 32);
        }
        U.load32(s, top, mem.buf, off);
        break;
      }
      case 0x52: {
        // MSTORE
        const off = U.toNumberSat(s, top);
        if (off + 32 > mem.size) {
          gas -= memoryExpansionCost(mem.size, off, 32);
          if (gas < 0) return halt('out of gas');
          mem.grow(off + 32);
        }
        U.store32(s, top - 8, mem.buf, off);
        sp -= 2;
        break;
      }
      case 0x53: {
        // MSTORE8
        const off = U.toNumberSat(s, top);
        if (off + 1 > mem.size) {
          gas -= memoryExpansionCost(mem.size, off, 1);
          if (gas < 0) return halt('out of gas');
          mem.grow(off + 1);
        }
        mem.buf[off] = s[top - 8]! & 0xff;
        sp -= 2;
        break;
      }
      case 0x54: {
        // SLOAD
        const key = U.toBigInt(s, top);
        gas -= host.accessSlot(address, key);
        if (gas < 0) return halt('out of gas');
        U.fromBigInt(s, top, state.getStorage(address, key));
        break;
      }
      case 0x55: {
        // SSTORE
        if (frame.isStatic) return halt('static state change');
        const cost = host.sstore(address, U.toBigInt(s, top), U.toBigInt(s, top - 8), gas);
        if (cost < 0) return halt('out of gas');
        gas -= cost;
        sp -= 2;
        pc++;
        continue block;
      }
      case 0x56: {
        // JUMP
        const dest = U.fitsU32(s, top) ? s[top]! : codeLen;
        if (dest >= codeLen || ((jd[dest >>> 5]! >>> (dest & 31)) & 1) === 0) return halt('bad jump destination');
        sp--;
        pc = dest | 0;
        continue block;
      }
      case 0x57: {
        // JUMPI
        if (!U.isZero(s, top - 8)) {
          const dest = U.fitsU32(s, top) ? s[top]! : codeLen;
          if (dest >= codeLen || ((jd[dest >>> 5]! >>> (dest & 31)) & 1) === 0) return halt('bad jump destination');
          sp -= 2;
          pc = dest | 0;
          continue block;
        }
        sp -= 2;
        pc++;
        continue block;
      }
      case 0x58:
        U.setSmall(s, sp << 3, pc);
        sp++;
        break;
      case 0x59:
        U.setNumber(s, sp << 3, mem.size);
        sp++;
        break;
      case 0x5a:
        U.setNumber(s, sp << 3, gas);
        sp++;
        pc++;
        continue block;
      case 0x5b: // JUMPDEST reached by falling through: a new block starts here
        continue block;
      case 0x5c: {
        // TLOAD
        U.fromBigInt(s, top, state.getTransient(address, U.toBigInt(s, top)));
        break;
      }
      case 0x5d: {
        // TSTORE
        if (frame.isStatic) return halt('static state change');
        state.setTransient(address, U.toBigInt(s, top), U.toBigInt(s, top - 8));
        sp -= 2;
        break;
      }
      case 0x5e: {
        // MCOPY
        const dst = U.toNumberSat(s, top);
        const src = U.toNumberSat(s, top - 8);
        const len = U.toNumberSat(s, top - 16);
        sp -= 3;
        gas -= g.copyWord * toWords(len);
        if (gas < 0) return halt('out of gas');
        if (len !== 0) {
          const end = Math.max(dst, src) + len;
          if (end > mem.size) {
            gas -= memoryExpansionCost(mem.size, 0, end);
            if (gas < 0) return halt('out of gas');
            mem.grow(end);
          }
          mem.buf.copyWithin(dst, src, src + len);
        }
        break;
      }
      case 0x5f:
        U.setZero(s, sp << 3);
        sp++;
        break;
      case 0x60: {
        // PUSH1
        const r = sp << 3;
        U.setSmall(s, r, code[pc + 1]!);
        sp++;
        pc += 2;
        continue;
      }
      case 0x61: {
        // PUSH2
        const r = sp << 3;
        const v = (code[pc + 1]! << 8) | code[pc + 2]!;
        U.setSmall(s, r, v);
        sp++;
        pc += 3;
        continue;
      }
      case 0xa0:
      case 0xa1:
      case 0xa2:
      case 0xa3:
      case 0xa4: {
        if (frame.isStatic) return halt('static state change');
        const n = op - 0xa0;
        const off = U.toNumberSat(s, top);
        const len = U.toNumberSat(s, top - 8);
        gas -= g.logData * len;
        if (gas < 0) return halt('out of gas');
        if (len !== 0 && off + len > mem.size) {
          gas -= memoryExpansionCost(mem.size, off, len);
          if (gas < 0) return halt('out of gas');
          mem.grow(off + len);
        }
        const topics: Uint8Array[] = [];
        for (let i = 0; i < n; i++) topics.push(U.toBytes32(s, top - 16 - 8 * i));
        state.addLog({ address, topics, data: mem.read(off, len) });
        sp -= 2 + n;
        break;
      }
      case 0xf0:
      case 0xf5: {
        // CREATE, CREATE2
        if (frame.isStatic) return halt('static state change');
        const value = U.toBigInt(s, top);
        const off = U.toNumberSat(s, top - 8);
        const len = U.toNumberSat(s, top - 16);
        let salt: Uint8Array | undefined;
        if (op === 0xf5) salt = U.toBytes32(s, top - 24);
        if (len !== 0 && off + len > mem.size) {
          gas -= memoryExpansionCost(mem.size, off, len);
          if (gas < 0) return halt('out of gas');
          mem.grow(off + len);
        }
        sp -= op === 0xf5 ? 3 : 2;
        const r = (sp - 1) << 3;
        const st = host.beginCreate({ kind: op === 0xf0 ? 'CREATE' : 'CREATE2', frame, value, initcode: mem.read(off, len), salt, availableGas: gas });
        if (st.child !== undefined) {
          act.child = st.child;
          act.createCont = st.cont;
          act.pc = pc + 1;
          act.sp = sp;
          act.gas = gas;
          return SUSPEND;
        }
        const out = st.outcome;
        if (out.outOfGas) return halt('out of gas');
        gas -= out.gasCost;
        returnData = out.returnData;
        if (out.address) addressToWord(out.address, s, r);
        else U.setZero(s, r);
        pc++;
        continue block;
      }
      case 0xf1:
      case 0xf2:
      case 0xf4:
      case 0xfa: {
        const { kind, hasValue, requestedGas, to, value, inOff, inLen, outOff, outLen, end } = readCallOperands(s, top, op);
        if (op === 0xf1 && value !== 0n && frame.isStatic) return halt('static state change');
        if (end > mem.size) {
          gas -= memoryExpansionCost(mem.size, 0, end);
          if (gas < 0) return halt('out of gas');
          mem.grow(end);
        }
        sp -= hasValue ? 6 : 5;
        const r = (sp - 1) << 3;
        const st = host.beginCall({ kind, frame, to, value, requestedGas, availableGas: gas, input: mem.read(inOff, inLen) });
        if (st.child !== undefined) {
          act.child = st.child;
          act.callCont = st.cont;
          act.outOff = outOff;
          act.outLen = outLen;
          act.pc = pc + 1;
          act.sp = sp;
          act.gas = gas;
          return SUSPEND;
        }
        const out = st.outcome;
        if (out.outOfGas) return halt('out of gas');
        gas -= out.gasCost;
        returnData = out.returnData;
        const n = Math.min(outLen, out.returnData.length);
        if (n > 0) mem.buf.set(out.returnData.subarray(0, n), outOff);
        U.setBool(s, r, out.success);
        pc++;
        continue block;
      }
      case 0xf3:
      case 0xfd: {
        // RETURN, REVERT
        const off = U.toNumberSat(s, top);
        const len = U.toNumberSat(s, top - 8);
        if (len !== 0 && off + len > mem.size) {
          gas -= memoryExpansionCost(mem.size, off, len);
          if (gas < 0) return halt('out of gas');
          mem.grow(off + len);
        }
        return { status: op === 0xf3 ? 'success' : 'revert', returnData: mem.read(off, len), gasLeft: gas };
      }
      case 0xfe:
        return halt('invalid opcode');
      case 0xff: {
        // SELFDESTRUCT
        if (frame.isStatic) return halt('static state change');
        const cost = host.selfDestruct(address, wordToAddress(s, top), gas);
        if (cost < 0) return halt('out of gas');
        gas -= cost;
        return { status: 'success', returnData: EMPTY, gasLeft: gas };
      }
      case 0x62:
      case 0x63:
      case 0x64:
      case 0x65:
      case 0x66:
      case 0x67:
      case 0x68:
      case 0x69:
      case 0x6a:
      case 0x6b:
      case 0x6c:
      case 0x6d:
      case 0x6e:
      case 0x6f:
      case 0x70:
      case 0x71:
      case 0x72:
      case 0x73:
      case 0x74:
      case 0x75:
      case 0x76:
      case 0x77:
      case 0x78:
      case 0x79:
      case 0x7a:
      case 0x7b:
      case 0x7c:
      case 0x7d:
      case 0x7e:
      case 0x7f:
      {
        // PUSH3..PUSH32
        const n = op - 0x5f;
        U.pushBytes(s, sp << 3, code, pc + 1, n);
        sp++;
        pc += n + 1;
        continue;
      }
      case 0x80:
      case 0x81:
      case 0x82:
      case 0x83:
      case 0x84:
      case 0x85:
      case 0x86:
      case 0x87:
      case 0x88:
      case 0x89:
      case 0x8a:
      case 0x8b:
      case 0x8c:
      case 0x8d:
      case 0x8e:
      case 0x8f:
      {
        // DUP1..DUP16
        U.copy(s, top - ((op - 0x80) << 3), top + 8);
        sp++;
        break;
      }
      case 0x90:
      case 0x91:
      case 0x92:
      case 0x93:
      case 0x94:
      case 0x95:
      case 0x96:
      case 0x97:
      case 0x98:
      case 0x99:
      case 0x9a:
      case 0x9b:
      case 0x9c:
      case 0x9d:
      case 0x9e:
      case 0x9f:
      {
        // SWAP1..SWAP16
        const b = top - ((op - 0x8f) << 3);
        let t = s[top]!;
        s[top] = s[b]!;
        s[b] = t;
        t = s[top + 1]!;
        s[top + 1] = s[b + 1]!;
        s[b + 1] = t;
        t = s[top + 2]!;
        s[top + 2] = s[b + 2]!;
        s[b + 2] = t;
        t = s[top + 3]!;
        s[top + 3] = s[b + 3]!;
        s[b + 3] = t;
        t = s[top + 4]!;
        s[top + 4] = s[b + 4]!;
        s[b + 4] = t;
        t = s[top + 5]!;
        s[top + 5] = s[b + 5]!;
        s[b + 5] = t;
        t = s[top + 6]!;
        s[top + 6] = s[b + 6]!;
        s[b + 6] = t;
        t = s[top + 7]!;
        s[top + 7] = s[b + 7]!;
        s[b + 7] = t;
        break;
      }
      default:
        return halt('invalid opcode');
    }
    pc++;
    }
  }
}


