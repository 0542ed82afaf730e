import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { evmInterpEngine } from '../backends/evm-interp/index.js';
import { compileNative, evmNativeEngine, evmNativeStats, loadEvmNative, MODULE_CACHE_SIZE, NATIVE_MAX_DEPTH } from '../backends/evm-native/index.js';
import { hostOpContext } from '../backends/evm-native/host-ops.js';
import { calldataCap, ENV_CALLDATA_CAP } from '../backends/evm-native/layout.js';
import { workloadCall } from '../scenarios/evm/call.js';
import { workloadArtifact } from '../scenarios/evm/index.js';
import { EVM_WORKLOADS } from '../scenarios/evm/workloads.js';
import { assemble } from '../src/evm/asm.js';
import { runFuzz } from '../src/evm/fuzz/index.js';
import type { Fork } from '../src/evm/fork.js';
import { bytesToHex, hexToBytes } from '../src/evm/hex.js';
import { runMessageCall } from '../src/evm/message.js';
import type { CallResult, MessageCall } from '../src/evm/types.js';
import { runVmTestFile } from '../src/evm/vmtests.js';
import { Rng } from '../src/evm/fuzz/rng.js';
import { keccak256 } from '../src/evm/keccak.js';
import { vmTestsSuite } from './evm-helpers.js';

before(loadEvmNative);

const A = '0x' + 'aa'.repeat(20);
const C = '0x' + 'cc'.repeat(20);
const M256 = (1n << 256n) - 1n;
const view = (r: CallResult) => ({ status: r.status, haltReason: r.haltReason, returnData: bytesToHex(r.returnData), gasUsed: r.gasUsed, gasRefund: r.gasRefund, logs: r.logs.length });

function both(c: MessageCall): CallResult {
  const native = runMessageCall(evmNativeEngine, c);
  assert.deepEqual(view(native), view(runMessageCall(evmInterpEngine, c)));
  return native;
}

const call = (src: string, fork: Fork = 'cancun', gasLimit = 1_000_000): MessageCall => ({ fork, code: assemble(src), caller: C, address: A, gasLimit });
const hex32 = (v: bigint) => '0x' + v.toString(16).padStart(64, '0');
const RETURN_WORD = 'PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN';

/** One binary opcode in a native block (PUSH, PUSH, OP, PUSH, JUMP), the result stored and returned by an interpreted block. */
function binop(op: string, a: bigint, b: bigint): string {
  return `PUSH32 ${hex32(b)} PUSH32 ${hex32(a)} ${op} @out JUMP out: PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`;
}

const signed = (x: bigint) => (x >> 255n ? x - (1n << 256n) : x);
const REF: Record<string, (a: bigint, b: bigint) => bigint> = {
  ADD: (a, b) => (a + b) & M256,
  SUB: (a, b) => (a - b) & M256,
  MUL: (a, b) => (a * b) & M256,
  LT: (a, b) => (a < b ? 1n : 0n),
  GT: (a, b) => (a > b ? 1n : 0n),
  SLT: (a, b) => (signed(a) < signed(b) ? 1n : 0n),
  SGT: (a, b) => (signed(a) > signed(b) ? 1n : 0n),
  EQ: (a, b) => (a === b ? 1n : 0n),
  AND: (a, b) => a & b,
  OR: (a, b) => a | b,
  XOR: (a, b) => a ^ b,
  SHL: (s, x) => (s >= 256n ? 0n : (x << s) & M256),
  SHR: (s, x) => (s >= 256n ? 0n : x >> s),
  SAR: (s, x) => (s >= 256n ? (signed(x) < 0n ? M256 : 0n) : BigInt.asUintN(256, signed(x) >> s)),
  // the division family, SIGNEXTEND, BYTE, EXP: functions in the module (u256-div-wasm.ts)
  DIV: (a, b) => (b === 0n ? 0n : a / b),
  MOD: (a, b) => (b === 0n ? 0n : a % b),
  SDIV: (a, b) => (b === 0n ? 0n : BigInt.asUintN(256, signed(a) / signed(b))),
  SMOD: (a, b) => (b === 0n ? 0n : BigInt.asUintN(256, signed(a) % signed(b))),
  BYTE: (i, x) => (i < 32n ? (x >> (8n * (31n - i))) & 0xffn : 0n),
  SIGNEXTEND: (k, x) => {
    if (k >= 31n) return x;
    const bits = 8n * (k + 1n);
    const low = x & ((1n << bits) - 1n);
    return low >> (bits - 1n) ? BigInt.asUintN(256, low - (1n << bits)) : low;
  },
  EXP: (a, b) => {
    let r = 1n;
    let base = a;
    for (let e = b; e > 0n; e >>= 1n) {
      if (e & 1n) r = (r * base) & M256;
      base = (base * base) & M256;
    }
    return r;
  },
};

test('evm-native: 256-bit arithmetic, comparisons, bitwise and shifts equal BigInt on edge and random words', () => {
  const rng = new Rng(99);
  const edges = [0n, 1n, 2n, 63n, 64n, 255n, 256n, 257n, (1n << 64n) - 1n, 1n << 64n, (1n << 128n) + 5n, (1n << 255n) - 1n, 1n << 255n, M256 - 1n, M256];
  const rand = () => (rng.chance(0.5) ? rng.bits(256) : rng.pick(edges) ^ (rng.chance(0.3) ? rng.bits(64) : 0n));
  const pairs: Array<[bigint, bigint]> = [];
  for (const a of edges) for (const b of edges) pairs.push([a, b]);
  for (let i = 0; i < 150; i++) pairs.push([rand(), rand()]);
  for (const [op, ref] of Object.entries(REF)) {
    // the operands from the calldata: the module computes; as PUSH constants: the compiler folds them (fold.ts)
    const fromCalldata = call(`PUSH1 32 CALLDATALOAD PUSH1 0 CALLDATALOAD ${op} @out JUMP out: ${RETURN_WORD}`);
    for (const [a, b] of pairs) {
      for (const c of [call(binop(op, a, b)), { ...fromCalldata, calldata: hexToBytes(hex32(a) + hex32(b).slice(2)) }]) {
        const r = both(c);
        assert.equal(r.returnData.length, 32);
        assert.equal(bytesToHex(r.returnData), hex32(ref(a, b)), `${op}(${a}, ${b})${c.calldata ? ' from calldata' : ' folded'}`);
      }
    }
  }
  const not = both(call(`PUSH32 ${hex32(5n)} NOT ISZERO PUSH32 ${hex32(0n)} ISZERO ADD @out JUMP out: PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`));
  assert.equal(bytesToHex(not.returnData), hex32(1n));
});

test('evm-native: constant folding (fold.ts) equals the interpreter for every foldable opcode, ADDMOD / MULMOD and unary ones included, and a constant JUMPI takes one way', () => {
  const edges = [0n, 1n, 2n, 7n, 31n, 32n, 255n, 256n, (1n << 255n) - 1n, 1n << 255n, M256 - 1n, M256];
  for (const op of ['ADDMOD', 'MULMOD']) for (const a of edges) for (const b of edges) for (const n of [0n, 1n, 7n, M256]) {
    const r = both(call(`PUSH32 ${hex32(n)} PUSH32 ${hex32(b)} PUSH32 ${hex32(a)} ${op} @out JUMP out: ${RETURN_WORD}`));
    const want = n === 0n ? 0n : op === 'ADDMOD' ? (a + b) % n : (a * b) % n;
    assert.equal(BigInt(bytesToHex(r.returnData)), want, `${op}(${a}, ${b}, ${n})`);
  }
  for (const a of edges) {
    for (const op of ['ISZERO', 'NOT']) {
      const r = both(call(`PUSH32 ${hex32(a)} ${op} @out JUMP out: ${RETURN_WORD}`));
      assert.equal(BigInt(bytesToHex(r.returnData)), op === 'ISZERO' ? (a === 0n ? 1n : 0n) : M256 ^ a, `${op}(${a})`);
    }
  }
  // solc's division-by-zero check on a constant divisor: the panic branch is never taken, and a constant-true JUMPI always jumps
  for (const [cond, want] of [[7n, 2n], [0n, 1n]] as const) {
    const r = both(call(`PUSH32 ${hex32(cond)} ISZERO ISZERO @yes JUMPI PUSH1 1 ${RETURN_WORD} yes: JUMPDEST PUSH1 2 ${RETURN_WORD}`));
    assert.equal(BigInt(bytesToHex(r.returnData)), want);
  }
  // a constant-true JUMPI to a bad destination halts as the interpreter does
  assert.equal(both(call(`PUSH1 1 PUSH1 3 JUMPI STOP`)).status, 'halt');
});

test('evm-native: the blocks around a call run natively and the native block count is reported', () => {
  const nc = compileNative(assemble(binop('ADD', 1n, 2n)), 'cancun');
  assert.equal(nc.module.stats.blocks, 2, 'PUSH..JUMP and JUMPDEST..RETURN (nothing falls through to the end)');
  assert.equal(nc.module.stats.nativeBlocks, 2, 'PUSH PUSH ADD PUSH JUMP and the MSTORE/RETURN block are both native');
  assert.equal(nc.module.stats.staticJumps, 1);
  assert.ok(nc.phases.totalMs >= 0 && nc.module.stats.wasmBytes > 0);
  assert.equal(compileNative(assemble(binop('ADD', 1n, 2n)), 'cancun').codeHash, nc.codeHash, 'cached by the hash of the code');
});

test('evm-native: MLOAD / MSTORE / MSTORE8 / MSIZE in linear memory equal the interpreter (byte order, expansion gas, out of gas, past the window)', () => {
  const rng = new Rng(7);
  for (let i = 0; i < 60; i++) {
    const v = rng.bits(256);
    const off = rng.pick([0, 1, 5, 31, 32, 33, 100, 1000, 4095, 65_536 + 3, 200_000]);
    const off2 = off + rng.pick([0, 1, 7, 16, 31]);
    // store a word and a byte, read back at a shifted offset, return the word and MSIZE
    const src = `PUSH32 ${hex32(v)} PUSH4 ${off} MSTORE PUSH1 0xab PUSH4 ${off2 + 2} MSTORE8 PUSH4 ${off2} MLOAD PUSH1 0 MSTORE MSIZE PUSH1 32 MSTORE PUSH1 64 PUSH1 0 RETURN`;
    const r = both(call(src, 'cancun', 10_000_000));
    assert.equal(r.status, 'success');
    const expected = new Uint8Array(off2 + 40);
    expected.set(hexToBytes(hex32(v)), off);
    expected[off2 + 2] = 0xab;
    assert.equal(bytesToHex(r.returnData.subarray(0, 32)), bytesToHex(expected.subarray(off2, off2 + 32)), `MLOAD at ${off2} after MSTORE at ${off}`);
    const msize = BigInt(Math.ceil(Math.max(off + 32, off2 + 32) / 32) * 32);
    assert.equal(bytesToHex(r.returnData.subarray(32)), hex32(msize));
  }
  // expansion gas exact: out of gas on the expansion itself, at every gas limit around the boundary
  for (let gas = 20; gas <= 120; gas++) both(call('PUSH1 7 PUSH2 0x0400 MSTORE STOP', 'cancun', gas));
  // offsets past 2^32 (the module leaves to the interpreter: out of gas there)
  for (const off of [2n ** 32n, 2n ** 32n - 16n, 2n ** 255n]) both(call(`PUSH1 1 PUSH32 ${hex32(off)} MSTORE STOP`, 'cancun', 1_000_000));
  // past the window: 4 MB for the called contract (depth 0), 256 KB for a callee (depth 1)
  const pastWindow = (off: number) => `PUSH1 0xcd PUSH3 ${off} MSTORE8 PUSH1 5 PUSH1 0 MSTORE PUSH3 ${off} MLOAD PUSH1 0 MLOAD ADD MSIZE ADD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`;
  const expected = (off: number) => hex32((0xcdn << 248n) + 5n + BigInt(off + 32));
  const inWindow = both(call(pastWindow(0x3fffe0), 'cancun', 100_000_000));
  assert.equal(bytesToHex(inWindow.returnData), expected(0x3fffe0), 'the last word of the 4 MB window');
  const big = both(call(pastWindow(0x410000), 'cancun', 100_000_000));
  assert.equal(bytesToHex(big.returnData), expected(0x410000), 'memory moved out of its window keeps its contents');
  const B = '0x' + 'bb'.repeat(20);
  const viaCall = (off: number) => ({
    ...call(`PUSH1 32 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${B} GAS CALL POP PUSH1 32 PUSH1 0 RETURN`, 'cancun', 100_000_000),
    preState: { [B]: { code: assemble(pastWindow(off)) } },
  });
  for (const off of [0x03ffe0, 0x050000]) assert.equal(bytesToHex(both(viaCall(off)).returnData), expected(off), `a callee's memory at ${off}`);
  // the next frame at the same depth starts with empty memory (the window was cleared)
  const fresh = both(call('PUSH3 0x410000 MLOAD PUSH1 0 MLOAD OR MSIZE OR PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN', 'cancun', 100_000_000));
  assert.equal(bytesToHex(fresh.returnData), hex32(0x410020n));
  assert.equal(bytesToHex(both(viaCall(0x050000 - 64)).returnData), expected(0x050000 - 64), 'the callee\'s window was cleared too');
});

test('evm-native: the in-module KECCAK256 (keccak-f in WebAssembly) equals @noble/hashes on every length around the 136-byte rate', () => {
  const rng = new Rng(31);
  for (const len of [0, 1, 31, 32, 33, 64, 135, 136, 137, 200, 271, 272, 273, 408, 1000]) {
    const off = rng.pick([0, 3, 64, 1000]);
    const data = new Uint8Array(len).map(() => Number(rng.bits(8)));
    // CALLDATACOPY the bytes to memory (this also grows it), then hash them in place
    const src = `PUSH2 ${len} PUSH1 0 PUSH2 ${off} CALLDATACOPY @h JUMP h: PUSH2 ${len} PUSH2 ${off} KECCAK256 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`;
    const r = both({ ...call(src), calldata: data });
    assert.equal(bytesToHex(r.returnData), bytesToHex(keccak256(data)), `keccak of ${len} bytes at ${off}`);
  }
  // ranges that grow memory (hashed in the module) or do not fit (left to the interpreter): same hash, same gas
  for (const [off, len] of [[0n, 64n], [4000n, 33n], [1n << 40n, 0n], [1n << 40n, 1n]] as const) both(call(`PUSH32 ${hex32(len)} PUSH32 ${hex32(off)} KECCAK256 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`));
});

test('evm-native: storage the slot cache does not hold yet, transient storage and logs go through host_op; KECCAK256 and the frame environment run in the module; no block leaves it', () => {
  const exitsBefore = evmNativeStats.interpreterExits;
  const opsBefore = hostOpContext.calls;
  const src = `PUSH1 9 PUSH1 1 SSTORE PUSH1 1 SLOAD PUSH1 3 TSTORE PUSH1 3 TLOAD PUSH1 0 MSTORE CALLER PUSH1 0 CALLDATALOAD PUSH1 32 PUSH1 0 LOG2
    PUSH1 32 PUSH1 0 KECCAK256 CALLVALUE ADD CALLDATASIZE ADD ADDRESS ADD RETURNDATASIZE ADD PUSH1 0 SSTORE STOP`;
  const r = both({ ...call(src), calldata: hexToBytes('0x' + '11'.repeat(36)) });
  assert.equal(r.status, 'success');
  assert.equal(r.logs.length, 1);
  assert.equal(evmNativeStats.interpreterExits - exitsBefore, 0, 'no block left the module');
  assert.equal(hostOpContext.calls - opsBefore, 6, 'SSTORE (slot 1 not cached), SLOAD (a miss: it fills the cache), TSTORE, TLOAD, LOG2, SSTORE (slot 0 not cached) each made one import call (KECCAK256, CALLER, CALLDATALOAD, CALLVALUE, CALLDATASIZE, ADDRESS, RETURNDATASIZE none)');
  // the same opcodes in a static call halt with the interpreter's reason
  for (const op of ['PUSH1 1 PUSH1 1 SSTORE', 'PUSH1 1 PUSH1 1 TSTORE', 'PUSH1 0 PUSH1 0 LOG0']) {
    const caller = `PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${'0x' + 'bb'.repeat(20)} GAS STATICCALL PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`;
    const res = both({ ...call(caller), preState: { ['0x' + 'bb'.repeat(20)]: { code: assemble(op + ' STOP') } } });
    assert.equal(bytesToHex(res.returnData), hex32(0n), `${op} in a static call fails`);
  }
});

test('evm-native: CALLDATACOPY and MCOPY copy in the module, CODECOPY and RETURNDATACOPY through host_op, the block environment is loaded from memory, as evm-interp', () => {
  const B = '0x' + 'bb'.repeat(20);
  const data = Uint8Array.from({ length: 100 }, (_, i) => (i * 7 + 1) & 0xff);
  const ret = (n: number) => `PUSH2 ${n} PUSH1 0 RETURN`;
  // B returns 40 bytes, so RETURNDATACOPY has data to copy and a bound to pass
  const withB = (src: string, fork: Fork = 'cancun', gas = 10_000_000): MessageCall => ({
    ...call(`PUSH1 40 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${B} GAS CALL POP @go JUMP go: ${src}`, fork, gas),
    calldata: data,
    preState: { [B]: { code: assemble(`PUSH32 ${hex32(0x1234n)} PUSH1 8 MSTORE PUSH1 40 PUSH1 0 RETURN`) } },
  });
  const copies = [
    'PUSH1 100 PUSH1 0 PUSH1 3 CALLDATACOPY', // all of it, at an odd offset
    'PUSH1 64 PUSH1 90 PUSH2 300 CALLDATACOPY', // past the calldata: zero padding
    'PUSH2 1000 PUSH1 5 PUSH2 0x2000 CODECOPY', // past the code
    'PUSH1 40 PUSH1 0 PUSH1 7 RETURNDATACOPY',
    'PUSH1 30 PUSH1 10 PUSH1 0 RETURNDATACOPY',
    'PUSH1 100 PUSH1 0 PUSH1 0 CALLDATACOPY PUSH1 60 PUSH1 0 PUSH1 20 MCOPY', // overlapping, forwards
    'PUSH1 100 PUSH1 0 PUSH1 0 CALLDATACOPY PUSH1 60 PUSH1 20 PUSH1 0 MCOPY', // overlapping, backwards
    'PUSH1 32 PUSH1 0 PUSH3 0x100000 MCOPY', // grows memory to 1 MB
    `PUSH1 0 PUSH32 ${hex32(1n << 200n)} PUSH32 ${hex32(1n << 200n)} MCOPY`, // zero length: nothing at any offset
    `PUSH1 0 PUSH32 ${hex32(1n << 200n)} PUSH32 ${hex32(1n << 200n)} CALLDATACOPY`,
    'PUSH1 50 PUSH1 80 PUSH1 1 CALLDATACOPY', // straddles the end of the calldata
    'PUSH1 50 PUSH1 100 PUSH1 1 CALLDATACOPY', // starts at the end: all zeros
    `PUSH1 50 PUSH32 ${hex32(1n << 200n)} PUSH1 1 CALLDATACOPY`, // an offset past 32 bits: all zeros
    `PUSH1 50 PUSH32 ${hex32((1n << 32n) + 3n)} PUSH1 1 CALLDATACOPY`, // wraps to 3 in 32 bits: still zeros
    'CALLDATASIZE PUSH1 0 PUSH1 0 CALLDATACOPY PUSH1 64 PUSH2 0x1000 PUSH1 0 MCOPY', // the source past the memory size grows it
    'PUSH1 7 PUSH1 3 PUSH1 3 MCOPY', // onto itself
    'PUSH1 100 PUSH1 0 PUSH1 0 CALLDATACOPY CALLDATASIZE PUSH1 0 PUSH1 0 CALLDATALOAD PUSH1 31 AND MCOPY', // offset from the data
  ];
  const exitsBefore = evmNativeStats.interpreterExits;
  const opsBefore = Float64Array.from(hostOpContext.callsByOpcode);
  for (const c of copies) {
    const r = both(withB(`${c} MSIZE PUSH2 0x3000 MSTORE ${ret(0x3020)}`));
    assert.equal(r.status, 'success', c);
  }
  // nothing leaves the module: the copies, the CALL (an import that runs B's module) and both RETURNs
  assert.equal(evmNativeStats.interpreterExits - exitsBefore, 0);
  assert.equal(hostOpContext.callsByOpcode[0xf1]! - opsBefore[0xf1]!, copies.length);
  for (const op of [0x39, 0x3e]) assert.ok(hostOpContext.callsByOpcode[op]! > opsBefore[op]!, `opcode 0x${op.toString(16)} through host_op`);
  for (const op of [0x37, 0x5e]) assert.equal(hostOpContext.callsByOpcode[op]! - opsBefore[op]!, 0, `opcode 0x${op.toString(16)} in the module`);
  // a callee's region holds 4 KB of calldata: a CALLDATACOPY of longer calldata leaves to the interpreter, as evm-interp
  for (const len of [4095, 4096, 4097, 6000]) {
    const copier = assemble(`CALLDATASIZE PUSH1 0 PUSH1 0 CALLDATACOPY PUSH1 32 PUSH2 ${len - 40} PUSH1 0 CALLDATACOPY PUSH1 64 PUSH1 0 RETURN`);
    const caller = `PUSH2 ${len} PUSH1 0 PUSH1 0 CODECOPY PUSH1 64 PUSH1 0 PUSH2 ${len} PUSH1 0 PUSH1 0 PUSH20 ${B} GAS CALL POP RETURNDATASIZE PUSH1 0 PUSH1 0 RETURNDATACOPY ${ret(64)}`;
    const exits = evmNativeStats.interpreterExits;
    const r = both({ ...call(caller), preState: { [B]: { code: copier } } });
    assert.equal(r.returnData.length, 64, `calldata of ${len} bytes`);
    assert.equal(evmNativeStats.interpreterExits > exits, len > 4096, `calldata of ${len} bytes: the interpreter copies only past the region`);
  }
  // halts: return data out of bounds, huge lengths and offsets (out of gas), and every gas limit around a copy's growth
  for (const c of ['PUSH1 41 PUSH1 0 PUSH1 0 RETURNDATACOPY', 'PUSH1 1 PUSH1 40 PUSH1 0 RETURNDATACOPY', `PUSH32 ${hex32(1n << 40n)} PUSH1 0 PUSH1 0 CALLDATACOPY`, `PUSH1 1 PUSH1 0 PUSH32 ${hex32(1n << 40n)} CODECOPY`, `PUSH1 1 PUSH32 ${hex32(1n << 40n)} PUSH1 0 MCOPY`]) {
    assert.equal(both(withB(`${c} ${ret(32)}`)).status, 'halt', c);
  }
  const grow = withB(`PUSH2 3000 PUSH1 0 PUSH2 5000 CALLDATACOPY ${ret(32)}`);
  const need = both(grow).gasUsed;
  for (let g = need - 30; g <= need + 2; g++) both({ ...grow, gasLimit: g });
  const growBoth = withB(`PUSH2 3000 PUSH2 1000 PUSH2 5000 MCOPY ${ret(32)}`);
  const needBoth = both(growBoth).gasUsed;
  for (let g = needBoth - 40; g <= needBoth + 2; g++) both({ ...growBoth, gasLimit: g });
  // past the 4 MB window the memory is a JavaScript buffer: the copies write there
  both(withB(`PUSH1 100 PUSH1 0 PUSH3 0x410000 CALLDATACOPY PUSH1 50 PUSH3 0x410000 PUSH1 0 MCOPY ${ret(64)}`, 'cancun', 100_000_000));
  // the environment, on forks before and after Paris (DIFFICULTY / PREVRANDAO) and London (BASEFEE)
  const env = 'ORIGIN GASPRICE COINBASE TIMESTAMP NUMBER PREVRANDAO GASLIMIT CHAINID SELFBALANCE BASEFEE';
  const store = env.split(' ').map((_, i) => `PUSH2 ${32 * i} MSTORE`).reverse().join(' ');
  for (const fork of ['london', 'cancun'] as const) {
    const r = both({
      ...call(`${env} ${store} ${ret(320)}`, fork),
      origin: '0x' + '0d'.repeat(20),
      gasPrice: 7n,
      value: 5n,
      preState: { [C]: { balance: 100n } },
      block: { number: 1234n, timestamp: 5678n, coinbase: '0x' + 'c0'.repeat(20), gasLimit: 30_000_000n, difficulty: 99n, prevRandao: 0xabcdn, baseFee: 11n, chainId: 5n },
    });
    const w = (i: number) => BigInt(bytesToHex(r.returnData.subarray(32 * i, 32 * i + 32)));
    assert.deepEqual([w(0), w(1), w(3), w(4), w(5), w(7), w(8), w(9)], [0x0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0dn, 7n, 5678n, 1234n, fork === 'cancun' ? 0xabcdn : 99n, 5n, 5n, 11n], fork);
  }
  // the block environment is the current transaction's, call after call
  const exitsBefore2 = evmNativeStats.interpreterExits;
  for (const number of [5n, 6n, 5n]) {
    const r = both({ ...call(`NUMBER TIMESTAMP ADD ${RETURN_WORD}`), block: { number, timestamp: 100n * number } });
    assert.equal(BigInt(bytesToHex(r.returnData)), 101n * number);
  }
  assert.equal(evmNativeStats.interpreterExits, exitsBefore2, 'NUMBER and TIMESTAMP are loads: no exit');
});

test('evm-native: CALLDATALOAD, CALLDATASIZE, CALLVALUE, CALLER, ADDRESS, RETURNDATASIZE load from the frame environment region; RETURN and REVERT end in the module; all as evm-interp', () => {
  const B = '0x' + 'bb'.repeat(20);
  // the called contract runs at depth 0: its region holds calldataCap(0) bytes
  const top = calldataCap(0);
  const cap = BigInt(top);
  const offsets = [0n, 1n, 31n, 35n, 36n, 37n, cap - 32n, cap - 31n, cap - 30n, cap - 1n, cap, cap + 894n, cap + 903n, cap + 904n, (1n << 32n) - 1n, 1n << 32n, 1n << 255n, M256];
  const loads = offsets.map((o, i) => `PUSH32 ${hex32(o)} CALLDATALOAD PUSH2 ${32 * i} MSTORE`).join(' ');
  const tail = `CALLDATASIZE PUSH2 ${32 * offsets.length} MSTORE PUSH2 ${32 * offsets.length + 32} PUSH1 0 RETURN`;
  // calldata that fits the region, and longer: offsets past the region's copy leave to the interpreter
  for (const len of [0, 5, 36, ENV_CALLDATA_CAP + 1, top, top + 1, top + 904]) {
    const calldata = Uint8Array.from({ length: len }, (_, i) => (i * 13 + 7) & 0xff);
    const exitsBefore = evmNativeStats.interpreterExits;
    const r = both({ ...call(`${loads} ${tail}`), calldata });
    assert.equal(r.status, 'success');
    const inRegionOnly = len <= top;
    assert.equal(evmNativeStats.interpreterExits - exitsBefore === 0, inRegionOnly, `calldata of ${len} bytes: exits ${evmNativeStats.interpreterExits - exitsBefore}`);
  }
  // a callee's region holds ENV_CALLDATA_CAP bytes: A passes 5000 bytes of its calldata to B, which loads around that cap
  const calleeLoads = [0, 4000, 4064, 4065, 4090, 4970, 4999, 5000].map((o, i) => `PUSH2 ${o} CALLDATALOAD PUSH2 ${32 * i} MSTORE`).join(' ');
  const longCall = `PUSH2 5000 PUSH1 0 PUSH1 0 CALLDATACOPY PUSH1 0 PUSH1 0 PUSH2 5000 PUSH1 0 PUSH20 ${B} GAS STATICCALL POP
    PUSH2 256 PUSH1 0 PUSH1 0 RETURNDATACOPY PUSH2 256 PUSH1 0 RETURN`;
  const viaCallee = both({ ...call(longCall), calldata: Uint8Array.from({ length: 5000 }, (_, i) => (i * 29 + 3) & 0xff), preState: { [B]: { code: assemble(`${calleeLoads} PUSH2 256 PUSH1 0 RETURN`) } } });
  assert.equal(viaCallee.returnData.length, 256);
  // value past 2^53, caller, address; RETURNDATASIZE before any call, after a RETURN of 40 bytes and after a REVERT of 7
  const env = `CALLVALUE PUSH1 0 MSTORE CALLER PUSH1 32 MSTORE ADDRESS PUSH1 64 MSTORE RETURNDATASIZE PUSH1 96 MSTORE
    PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${B} GAS CALL POP RETURNDATASIZE PUSH1 128 MSTORE
    PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 1 PUSH20 ${B} GAS CALL POP RETURNDATASIZE PUSH1 160 MSTORE PUSH1 192 PUSH1 0 RETURN`;
  const callee = assemble(`CALLVALUE @rev JUMPI PUSH1 40 PUSH1 0 RETURN rev: PUSH1 7 PUSH1 3 REVERT`);
  const r = both({ ...call(env), value: (1n << 200n) + 5n, preState: { [C]: { balance: 1n << 201n }, [A]: { balance: 10n }, [B]: { code: callee } } });
  assert.equal(r.status, 'success');
  const w = (i: number) => BigInt(bytesToHex(r.returnData.subarray(32 * i, 32 * i + 32)));
  assert.deepEqual([w(0), w(1), w(2), w(3), w(4), w(5)], [(1n << 200n) + 5n, BigInt(C), BigInt(A), 0n, 40n, 7n]);
  // RETURN / REVERT ranges: empty at any offset, inside memory, growing it (gas limits around the growth), past the window, past 32 bits
  for (const op of ['RETURN', 'REVERT']) {
    for (const [off, len] of [[0n, 0n], [1n << 40n, 0n], [0n, 64n], [100n, 33n], [0x410000n, 32n], [1n << 40n, 1n], [0n, 1n << 40n]] as const) {
      const src = `PUSH32 ${hex32(0xabcdefn)} PUSH1 0 MSTORE PUSH32 ${hex32(len)} PUSH32 ${hex32(off)} ${op}`;
      const res = both(call(src, 'cancun', 100_000_000));
      if (off < 1n << 32n && len < 1n << 32n) assert.equal(res.status, op === 'RETURN' ? 'success' : 'revert', `${op} ${off} ${len}`);
      else if (len !== 0n) assert.equal(res.status, 'halt', `${op} ${off} ${len}`);
    }
    const grow = call(`PUSH1 1 PUSH1 0 MSTORE PUSH2 300 PUSH2 1000 ${op}`);
    const need = both(grow).gasUsed;
    for (let g = need - 40; g <= need + 2; g++) both({ ...grow, gasLimit: g });
  }
});

test('evm-native: halts (gas, stack, jumps, invalid) match the interpreter, all gas consumed', () => {
  const cases = [
    'PUSH1 1 PUSH1 2 ADD ADD', // underflow in a native block
    'loop: PUSH1 1 @loop JUMP', // overflow after 1024 iterations, or out of gas
    'PUSH1 3 JUMP PUSH1 0', // bad static jump
    'PUSH1 0 CALLDATALOAD JUMP', // dynamic jump to 0: not a JUMPDEST
    'PUSH2 0xffff PUSH1 1 JUMPI', // bad conditional jump
    'PUSH1 1 PUSH1 1 SUB PUSH1 7 JUMPI INVALID', // not taken, then INVALID
    'loop: GAS PUSH1 1 ADD POP @loop JUMP', // runs out of gas exactly
  ];
  for (const src of cases) {
    for (const gas of [50, 100_000]) {
      const r = both(call(src, 'shanghai', gas));
      assert.equal(r.status, 'halt', src);
      assert.equal(r.gasUsed, gas, `${src}: all gas consumed`);
    }
  }
});

test('evm-native: every workload returns the exact answer with the interpreter\'s gas', () => {
  for (const w of EVM_WORKLOADS) {
    for (const n of [0, 1, 7, 200]) {
      const c = workloadCall(w, workloadArtifact(w), n, 3);
      const r = both(c);
      assert.equal(r.status, 'success', w.id);
      assert.equal(bytesToHex(r.returnData), hex32(w.expected(n, 3)), `${w.id}(${n})`);
    }
  }
});

test('evm-native: nested calls compile the callee too, and deep recursion falls back to the interpreter', () => {
  // a contract that calls itself with one gas-forwarding CALL until the depth limit, counting in storage
  const self = assemble(`PUSH1 0 SLOAD PUSH1 1 ADD PUSH1 0 SSTORE PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 ADDRESS GAS CALL STOP`);
  const before = { ...evmNativeStats };
  const r = both({ fork: 'berlin', caller: C, address: A, gasLimit: 2 ** 45, preState: { [A]: { code: self } } });
  assert.equal(r.status, 'success');
  const post = r.postState.get(A)!.storage.get(0n);
  assert.equal(post, 1025n, 'frames at depths 0..1024');
  assert.equal(evmNativeStats.nativeFrames - before.nativeFrames, NATIVE_MAX_DEPTH + 1);
  assert.equal(evmNativeStats.interpretedFrames - before.interpretedFrames, 1, 'the frame at depth 65 runs the rest in the interpreter');
});

test('the measurement routes (opcodes to the interpreter; KECCAK256 hashed in JavaScript) agree with evm-interp too', () => {
  const main = fileURLToPath(new URL('../../bin/jitbench-fuzz.js', import.meta.url));
  for (const env of [{ JITBENCH_EVM_NATIVE_HOST_OPS: '0' }, { JITBENCH_EVM_NATIVE_KECCAK: 'host' }]) {
    // exits 1 on a divergence (execFileSync throws), 0 when every program agrees
    const out = execFileSync(process.execPath, [main, '--count', '120', '--seed', '77', '--engine', 'evm-native', '--reference', 'evm-interp'], { env: { ...process.env, ...env }, encoding: 'utf8' });
    assert.match(out, /0 divergences in/, JSON.stringify(env));
  }
});

test('fuzz: 200 fixed-seed programs on 8 forks, evm-native and evm-interp agree', () => {
  const report = runFuzz({ count: 200, seed: 424242, engine: evmNativeEngine, reference: evmInterpEngine });
  assert.equal(report.divergences.length, 0, report.divergences.map((d) => `${d.fork} ${d.fields.join(',')} ${d.error ?? ''}`).join('\n'));
  assert.equal(report.compared, 200);
});

const suite = vmTestsSuite(600, 'evm-native (those not flagged slow)');
test('VMTests on evm-native (homestead, the tests not flagged slow)', { skip: suite.skip }, () => {
  const { dir } = suite;
  const entries = suite.manifest.filter((e) => !e.flags?.includes('slow'));
  const failed: string[] = [];
  for (const e of entries) {
    const r = runVmTestFile(join(dir, e.file), { engine: evmNativeEngine, fork: 'homestead' });
    if (!r.passed) failed.push(`${e.test}: ${r.reason}`);
  }
  assert.deepEqual(failed, []);
  assert.ok(entries.length >= 600);
});

test('evm-native: a code/fork pair compiles once; the fork is part of the key', () => {
  const code = hexToBytes('0x600160020160005260206000f3');
  const a = compileNative(code, 'cancun');
  assert.equal(compileNative(code, 'cancun'), a);
  assert.notEqual(compileNative(code, 'homestead'), a);
});

test('evm-native: the module cache is bounded (V8\'s wasm code space is finite)', () => {
  const first = compileNative(assemble('PUSH2 0x4242 POP STOP'), 'london');
  for (let i = 0; i < MODULE_CACHE_SIZE + 10; i++) compileNative(assemble(`PUSH3 ${0x100000 + i} POP STOP`), 'london');
  const before = evmNativeStats.compiled;
  assert.notEqual(compileNative(assemble('PUSH2 0x4242 POP STOP'), 'london'), first, 'the oldest module was evicted and is compiled again');
  assert.equal(evmNativeStats.compiled, before + 1);
});

test('evm-native: dead code is not compiled (a 42 KB run of zero bytes is one block); initcode is interpreted', () => {
  const zeros = compileNative(new Uint8Array(42240), 'shanghai');
  assert.equal(zeros.module.stats.blocks, 1);
  const dataAfter = compileNative(assemble('PUSH1 1 PUSH1 2 ADD POP STOP ADD ADD MUL JUMPDEST STOP'), 'shanghai');
  assert.equal(dataAfter.module.stats.blocks, 2, 'pc 0 and the JUMPDEST; the bytes between are dead');
  // CREATE with 42 KB of zero initcode (found by the fuzzer: compiling it took minutes)
  const before = evmNativeStats.interpretedInitcode;
  const r = both(call('PUSH3 42240 PUSH1 0 PUSH1 0 CREATE PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN', 'shanghai', 10_000_000));
  assert.equal(r.status, 'success');
  assert.equal(evmNativeStats.interpretedInitcode, before + 1);
});

test('jitbench run --opt 0,1: the binaryen optimize level is a dimension (one evm-native backend per level)', async () => {
  const { runCli } = await import('./helpers.js');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'jitbench-opt-'));
  const r = await runCli(['run', '--json', '--scenario', 'evm:fib', '--backend', 'evm-native', '--opt', '0,1', '--samples', '50', '--forks', '1', '--time', '100', '--out', join(dir, 'r.json')], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { plan: { backends: string[] }; cells: Array<{ backend: string; status: string; forks: Array<{ info: Record<string, unknown> }> }> };
  assert.deepEqual(doc.plan.backends, ['evm-native:O0', 'evm-native:O1']);
  for (const c of doc.cells) {
    assert.equal(c.status, 'ok');
    assert.equal((c.forks[0]!.info['compile'] as { optimizeLevel: number }).optimizeLevel, Number(c.backend.slice(-1)));
  }
});

test('evm-native: CALL, CALLCODE, DELEGATECALL, STATICCALL run their callee from inside the module (an import): value, output ranges, precompiles, failures, BALANCE / EXTCODESIZE / EXTCODEHASH as evm-interp', () => {
  const B = '0x' + 'bb'.repeat(20);
  const E = '0x' + 'ee'.repeat(20); // no code
  // B returns 40 bytes (its caller, value and a marker), or reverts when called with calldata 0xff
  const callee = assemble(`PUSH1 0 CALLDATALOAD PUSH1 248 SHR PUSH1 0xff EQ @bad JUMPI CALLER PUSH1 0 MSTORE CALLVALUE PUSH1 32 MSTORE PUSH1 40 PUSH1 0 RETURN bad: JUMPDEST PUSH1 1 PUSH1 0 SSTORE PUSH1 8 PUSH1 0 REVERT`);
  const pre = { [A]: { balance: 1000n }, [B]: { code: callee } };
  const exitsBefore = evmNativeStats.interpreterExits;
  const importsBefore = hostOpContext.callsByOpcode[0xf1]!;
  let calls = 0;
  for (const to of [B, E, '0x' + '00'.repeat(19) + '04', '0x' + '00'.repeat(19) + '02']) {
    for (const [op, value] of [['CALL', 0n], ['CALL', 7n], ['CALL', 5000n], ['CALLCODE', 3n], ['DELEGATECALL', -1n], ['STATICCALL', -1n]] as const) {
      for (const [inLen, outOff, outLen, cd] of [[0, 0, 0, '0x00'], [32, 64, 40, '0x01'], [1, 100, 8, '0xff'], [64, 3000, 64, '0x02']] as const) {
        const valueArg = value >= 0n ? `PUSH2 ${value}` : '';
        const src = `PUSH1 ${cd} PUSH1 0 MSTORE8 PUSH2 ${outLen} PUSH2 ${outOff} PUSH1 ${inLen} PUSH1 0 ${valueArg} PUSH20 ${to} PUSH3 100000 ${op}
          RETURNDATASIZE PUSH2 0x1000 MSTORE PUSH2 0x1020 MSTORE MSIZE PUSH2 0x1040 MSTORE PUSH2 0x1060 PUSH1 0 RETURN`;
        const r = both({ ...call(src, 'cancun', 1_000_000), preState: pre });
        assert.equal(r.status, 'success', `${op} ${value} to ${to}`);
        if (op === 'CALL') calls++;
      }
    }
  }
  assert.equal(evmNativeStats.interpreterExits - exitsBefore, 0, 'no call left the module');
  assert.equal(hostOpContext.callsByOpcode[0xf1]! - importsBefore, calls);
  // a value transfer in a static frame halts; memory past any gas: out of gas; too little gas for the callee
  const staticCaller = `PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${B} GAS STATICCALL ${RETURN_WORD}`;
  const inStatic = assemble(`PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 1 PUSH20 ${E} GAS CALL ${RETURN_WORD}`);
  assert.equal(BigInt(bytesToHex(both({ ...call(staticCaller), preState: { [B]: { code: inStatic, balance: 5n } } }).returnData)), 0n);
  assert.equal(both({ ...call(`PUSH1 1 PUSH5 0xffffffffff PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${B} GAS CALL STOP`), preState: pre }).status, 'halt');
  for (const gas of [700, 2600, 2700, 5000, 9000]) both({ ...call(`PUSH1 40 PUSH1 0 PUSH1 0 PUSH1 0 PUSH1 0 PUSH20 ${B} PUSH2 ${gas} CALL ${RETURN_WORD}`), preState: pre });
  // account queries, cold then warm, on an account with code, an empty one and the caller
  both({ ...call(`PUSH20 ${B} EXTCODESIZE PUSH20 ${B} EXTCODEHASH ADD PUSH20 ${E} EXTCODEHASH ADD PUSH20 ${E} BALANCE ADD ADDRESS BALANCE ADD PUSH20 ${B} EXTCODESIZE ADD ${RETURN_WORD}`), preState: pre });
});

test('evm-native: constant memory ranges skip the window check once a block knows the memory is in its window; a copy that moves the memory out is seen', () => {
  const big = 0x410000; // past the 4 MB window of depth 0
  for (const src of [
    // constant offsets in the window, with growth, in one block and across blocks
    `PUSH1 0x80 PUSH1 0x40 MSTORE PUSH1 0x40 MLOAD PUSH2 0x2000 MSTORE8 @next JUMP next: PUSH1 0x40 MLOAD PUSH1 0 MSTORE MSIZE PUSH1 32 MSTORE PUSH1 64 PUSH1 0 RETURN`,
    // a copy moves the memory out of its window mid-block: the constant MSTORE after it must not write the window
    `PUSH1 32 PUSH1 0 PUSH3 ${big} CALLDATACOPY PUSH1 7 PUSH1 0x40 MSTORE PUSH1 0x40 MLOAD PUSH1 0 MSTORE @next JUMP next: PUSH1 0x40 MLOAD PUSH1 32 MSTORE MSIZE PUSH1 64 MSTORE PUSH1 96 PUSH1 0 RETURN`,
    // out of the window at a block's entry: the whole block runs in the interpreter
    `PUSH1 1 PUSH3 ${big} MSTORE8 @next JUMP next: PUSH1 9 PUSH1 0x60 MSTORE PUSH1 0x60 MLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`,
  ]) {
    const r = both({ ...call(src, 'cancun', 100_000_000), calldata: Uint8Array.from({ length: 32 }, (_, i) => i + 1) });
    assert.equal(r.status, 'success', src);
  }
  // every gas limit around a constant MSTORE's growth
  const grow = call(`PUSH1 1 PUSH2 0x1000 MSTORE STOP`);
  const need = both(grow).gasUsed;
  for (let g = need - 5; g <= need + 1; g++) both({ ...grow, gasLimit: g });
});

test('evm-native: comparisons, ADD / SUB and bitwise ops on values with limbs known to be zero (flags, sizes, masks, small constants) equal BigInt', () => {
  // each operand comes one of three ways: a constant (its zero limbs known), a calldata word (nothing
  // known), or a calldata word masked to 64 bits (AND with a constant: its upper limbs known zero)
  const ops = ['LT', 'GT', 'SLT', 'SGT', 'EQ', 'AND', 'OR', 'XOR', 'ADD', 'SUB'];
  const M64 = (1n << 64n) - 1n;
  const word = (v: bigint) => hexToBytes(hex32(v));
  const values = [0n, 1n, 2n, M64, 1n << 64n, (1n << 64n) + 1n, (1n << 128n) + 5n, (1n << 192n) + 5n, 1n << 255n, M256, 5n];
  const operand = (how: string, v: bigint, at: number) =>
    how === 'const' ? `PUSH32 ${hex32(v)}` : how === 'word' ? `PUSH1 ${at} CALLDATALOAD` : `PUSH1 ${at} CALLDATALOAD PUSH8 ${hex32(M64)} AND`;
  const value = (how: string, v: bigint) => (how === 'small' ? v & M64 : v);
  let cases = 0;
  for (const name of ops) {
    const ref = REF[name]!;
    for (const ha of ['const', 'word', 'small']) {
      for (const hb of ['const', 'word', 'small']) {
        for (const a of values) {
          for (const b of values) {
            // b is pushed first: the opcode's first operand (a) is on top; the result, ISZERO'd and
            // compared again, also feeds a JUMPI so the flag takes both of its uses
            const src = `${operand(hb, b, 32)} ${operand(ha, a, 0)} ${name} DUP1 ISZERO PUSH1 1 EQ @z JUMPI PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN z: PUSH1 32 MSTORE PUSH1 32 PUSH1 32 RETURN`;
            const r = both({ ...call(src, 'cancun', 100_000), calldata: new Uint8Array([...word(a), ...word(b)]) });
            const want = ref(value(ha, a), value(hb, b));
            assert.equal(BigInt(bytesToHex(r.returnData)), want, `${name} ${ha} ${a.toString(16)} ${hb} ${b.toString(16)}`);
            cases++;
          }
        }
      }
    }
  }
  assert.equal(cases, 10 * 9 * values.length ** 2);
});
