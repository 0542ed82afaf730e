import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evmInterpEngine } from '../backends/evm-interp/index.js';
import { analyzeCode, liveCodeHas } from '../src/evm/analysis.js';
import { assemble } from '../src/evm/asm.js';
import { memoryCost } from '../src/evm/gas.js';
import { hexToBytes, bytesToHex } from '../src/evm/hex.js';
import { analyzeJumpdests, isValidJumpdest } from '../src/evm/jumpdest.js';
import { MessageHost } from '../src/evm/host.js';
import { normalizeBlock, runMessageCall } from '../src/evm/message.js';
import { opcodeTable } from '../src/evm/opcodes.js';
import { State } from '../src/evm/state.js';
import { FORKS, parseFork } from '../src/evm/fork.js';
import type { Fork } from '../src/evm/fork.js';

const A = '0x' + 'aa'.repeat(20);
const B = '0x' + 'bb'.repeat(20);
const C = '0x' + 'cc'.repeat(20);

test('forks: ordered names and aliases', () => {
  assert.equal(FORKS.length, 14);
  assert.equal(FORKS[0], 'frontier');
  assert.equal(FORKS[13], 'prague');
  assert.equal(parseFork('merge'), 'paris');
  assert.equal(parseFork('Homestead'), 'homestead');
  assert.equal(parseFork('chainstart'), 'frontier');
  assert.equal(parseFork('nope'), undefined);
});

test('opcode table: availability and base gas per fork', () => {
  const gas = (fork: Fork, op: number) => opcodeTable(fork).baseGas[op];
  const defined = (fork: Fork, op: number) => opcodeTable(fork).defined[op] === 1;
  assert.equal(defined('frontier', 0xf4), false); // DELEGATECALL: Homestead
  assert.equal(defined('homestead', 0xf4), true);
  assert.equal(defined('byzantium', 0xfd), true);
  assert.equal(defined('petersburg', 0x1b), true);
  assert.equal(defined('shanghai', 0x5f), true);
  assert.equal(defined('paris', 0x5f), false);
  assert.equal(defined('cancun', 0x5e), true);
  assert.deepEqual(
    (['frontier', 'tangerineWhistle', 'istanbul', 'berlin'] as const).map((f) => [gas(f, 0x54), gas(f, 0x31), gas(f, 0xf1), gas(f, 0xff)]),
    [
      [50, 20, 40, 0],
      [200, 400, 700, 5000],
      [800, 700, 700, 5000],
      [100, 100, 100, 5000],
    ],
  );
});

test('memory cost is 3w + floor(w^2 / 512)', () => {
  assert.equal(memoryCost(0), 0);
  assert.equal(memoryCost(1), 3);
  assert.equal(memoryCost(32), 96 + 2);
  assert.equal(memoryCost(1024), 3072 + 2048);
  assert.equal(memoryCost(100_000_000), 300_000_000 + 19_531_250_000_000);
});

test('jumpdest bitmap skips PUSH data; blocks carry their gas and stack bounds', () => {
  // PUSH2 0x5b5b (data, not jumpdests) JUMPDEST PUSH1 1 ADD STOP
  const code = hexToBytes('0x615b5b5b600101' + '00');
  const bits = analyzeJumpdests(code);
  assert.equal(isValidJumpdest(bits, code.length, 1), false);
  assert.equal(isValidJumpdest(bits, code.length, 2), false);
  assert.equal(isValidJumpdest(bits, code.length, 3), true);
  const a = analyzeCode(code, 'homestead');
  assert.equal(a.blockGas[0], 3); // PUSH2
  assert.equal(a.blockGas[3], 1 + 3 + 3); // JUMPDEST PUSH1 ADD STOP
  assert.equal(a.blockMinStack[3], 1); // ADD needs one word from before the block
  assert.equal(a.blockMaxStack[0], 1023);
  // SHL is not defined before Constantinople: it becomes INVALID in the dispatch copy and ends the block
  const shl = analyzeCode(hexToBytes('0x600160041b00'), 'homestead');
  assert.equal(shl.dispatch[4], 0xfe);
  assert.equal(shl.blockGas[0], 6);
  assert.equal(analyzeCode(hexToBytes('0x600160041b00'), 'constantinople').dispatch[4], 0x1b);
});

// The EIPs' own SSTORE tables: code, gas used, refund, original value of slot 0.
const SSTORE_CASES: Array<[string, number, number, number]> = [
  ['0x60006000556000600055', 412, 0, 0],
  ['0x60006000556001600055', 20212, 0, 0],
  ['0x60016000556000600055', 20212, 19800, 0],
  ['0x60016000556002600055', 20212, 0, 0],
  ['0x60016000556001600055', 20212, 0, 0],
  ['0x60006000556000600055', 5212, 15000, 1],
  ['0x60006000556001600055', 5212, 4800, 1],
  ['0x60006000556002600055', 5212, 0, 1],
  ['0x60026000556000600055', 5212, 15000, 1],
  ['0x60026000556003600055', 5212, 0, 1],
  ['0x60026000556001600055', 5212, 4800, 1],
  ['0x60026000556002600055', 5212, 0, 1],
  ['0x60016000556000600055', 5212, 15000, 1],
  ['0x60016000556002600055', 5212, 0, 1],
  ['0x60016000556001600055', 412, 0, 1],
  ['0x600160005560006000556001600055', 40218, 19800, 0],
  ['0x600060005560016000556000600055', 10218, 19800, 1],
];
// EIP-2200 (Istanbul) is the same table with SLOAD_GAS 800 instead of 200; EIP-3529 (London, slot
// warm from an access list) uses 100, SSTORE_RESET 2900 and a clearing refund of 4800.
const ISTANBUL = [1612, 20812, 20812, 20812, 20812, 5812, 5812, 5812, 5812, 5812, 5812, 5812, 5812, 5812, 1612, 40818, 10818];
const ISTANBUL_REFUND = [0, 0, 19200, 0, 0, 15000, 4200, 0, 15000, 0, 4200, 0, 15000, 0, 0, 19200, 19200];
const LONDON = [212, 20112, 20112, 20112, 20112, 3012, 3012, 3012, 3012, 3012, 3012, 3012, 3012, 3012, 212, 40118, 5918];
const LONDON_REFUND = [0, 0, 19900, 0, 0, 4800, 2800, 0, 4800, 0, 2800, 0, 4800, 0, 0, 19900, 7600];

test('SSTORE net metering matches the EIP-1283, EIP-2200 and EIP-3529 tables', () => {
  SSTORE_CASES.forEach(([code, g1283, r1283, original], i) => {
    const run = (fork: Fork) =>
      runMessageCall(evmInterpEngine, {
        fork,
        code: hexToBytes(code),
        caller: C,
        address: A,
        gasLimit: 100_000,
        preState: { [A]: { storage: new Map([[0n, BigInt(original)]]), nonce: 1n } },
        accessList: [{ address: A, storageKeys: [0n] }],
      });
    const c = run('constantinople');
    assert.deepEqual([c.gasUsed, c.gasRefund], [g1283, r1283], `EIP-1283 case ${i} ${code}`);
    const ist = run('istanbul');
    assert.deepEqual([ist.gasUsed, ist.gasRefund], [ISTANBUL[i], ISTANBUL_REFUND[i]], `EIP-2200 case ${i} ${code}`);
    const lon = run('london');
    assert.deepEqual([lon.gasUsed, lon.gasRefund], [LONDON[i], LONDON_REFUND[i]], `EIP-3529 case ${i} ${code}`);
    // Petersburg went back to the Frontier rule: 20000 set / 5000 otherwise
    const p = run('petersburg');
    assert.equal(p.status, 'success');
  });
});

test('the host runs a whole call for engines that recurse (MessageHost.call)', () => {
  const state = new State([[B, { balance: 0n, nonce: 0n, code: assemble('PUSH1 7 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN'), storage: new Map() }]]);
  const host = new MessageHost(evmInterpEngine, 'homestead', state, normalizeBlock({}), { origin: C, gasPrice: 0n, blobHashes: [] });
  const frame = { code: new Uint8Array(0), calldata: new Uint8Array(0), address: A, codeAddress: A, caller: C, value: 0n, gas: 10_000, isStatic: false, depth: 0 };
  const out = host.call({ kind: 'CALL', frame, to: B, value: 0n, requestedGas: 1000, availableGas: 10_000, input: new Uint8Array(0) });
  assert.equal(out.success, true);
  assert.equal(out.gasCost, 18);
  assert.equal(bytesToHex(out.returnData), '0x' + '7'.padStart(64, '0'));
  // homestead: a request above the gas available is out of gas for the caller
  assert.equal(host.call({ kind: 'CALL', frame, to: B, value: 0n, requestedGas: 20_000, availableGas: 10_000, input: new Uint8Array(0) }).outOfGas, true);
});

test('precompiles: identity, sha256, ripemd160, ecrecover', () => {
  const call = (to: string, input: string, fork: Fork = 'homestead') =>
    runMessageCall(evmInterpEngine, { fork, caller: C, address: to, gasLimit: 100_000, calldata: hexToBytes(input) });
  const id = call('0x0000000000000000000000000000000000000004', '0x010203');
  assert.equal(bytesToHex(id.returnData), '0x010203');
  assert.equal(id.gasUsed, 18);
  assert.equal(bytesToHex(call('0x0000000000000000000000000000000000000002', '0x').returnData), '0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(bytesToHex(call('0x0000000000000000000000000000000000000003', '0x').returnData), '0x0000000000000000000000009c1185a5c5e9fc54612808977ee8f548b2258d31');
  // ecrecover: the valid-signature vector of the common precompile test set
  const hash = '456e9aea5e197a1f1af7a3e85a3212fa4049a3ba34c2289b4c860fc0b0c64ef3';
  const v = '000000000000000000000000000000000000000000000000000000000000001c';
  const r = '9242685bf161793cc25603c231bc2f568eb630ea16aa137d2664ac8038825608';
  const s = '4f8ae3bd7535248d0bd448298cc2e2071e56992d0774dc340c368ae950852ada';
  const rec = call('0x0000000000000000000000000000000000000001', '0x' + hash + v + r + s);
  assert.equal(rec.gasUsed, 3000);
  assert.equal(bytesToHex(rec.returnData), '0x0000000000000000000000007156526fbd7a3c72969b54f64e42c10fbb768c8a');
});

test('modexp (byzantium): the EIP-198 Fermat example, gas by EIP-198 and EIP-2565 (berlin)', () => {
  const input =
    '0x' +
    '01'.padStart(64, '0') +
    '20'.padStart(64, '0') +
    '20'.padStart(64, '0') +
    '03' +
    'fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e' +
    'fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f';
  const run = (fork: Fork) => runMessageCall(evmInterpEngine, { fork, caller: C, address: '0x0000000000000000000000000000000000000005', gasLimit: 100_000, calldata: hexToBytes(input) });
  const byz = run('byzantium');
  assert.equal(bytesToHex(byz.returnData), '0x' + '1'.padStart(64, '0'));
  assert.equal(byz.gasUsed, Math.floor((32 * 32 * 255) / 20));
  assert.equal(run('berlin').gasUsed, Math.floor((16 * 255) / 3));
  // not a precompile before Byzantium: an empty account, nothing runs
  assert.equal(run('homestead').returnData.length, 0);
});

test('later-fork opcodes: TSTORE/TLOAD and MCOPY (cancun), PUSH0 (shanghai), SAR (constantinople)', () => {
  const ret = 'PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN';
  const run = (fork: Fork, src: string) => runMessageCall(evmInterpEngine, { fork, code: assemble(src), caller: C, address: A, gasLimit: 100_000 });
  const t = run('cancun', 'PUSH1 42 PUSH1 1 TSTORE PUSH1 1 TLOAD ' + ret);
  assert.equal(bytesToHex(t.returnData), '0x' + '2a'.padStart(64, '0'));
  assert.equal(t.gasUsed, 3 + 3 + 100 + 3 + 100 + 15);
  assert.equal(run('shanghai', 'PUSH1 42 PUSH1 1 TSTORE').haltReason, 'invalid opcode');
  // MCOPY(dst 32, src 0, len 32): 3 + copy 3 + one more word of memory 3
  const m = run('cancun', 'PUSH1 42 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 PUSH1 32 MCOPY PUSH1 32 PUSH1 32 RETURN');
  assert.equal(bytesToHex(m.returnData), '0x' + '2a'.padStart(64, '0'));
  assert.equal(m.gasUsed, 12 + 9 + 9 + 6);
  const p0 = run('shanghai', 'PUSH0 ' + ret);
  assert.equal(p0.gasUsed, 2 + 15);
  assert.equal(run('paris', 'PUSH0').haltReason, 'invalid opcode');
  // SAR(4, -32) = -2
  const sar = run('constantinople', `PUSH32 ${'0x' + 'f'.repeat(62) + 'e0'} PUSH1 4 SAR ` + ret);
  assert.equal(bytesToHex(sar.returnData), '0x' + 'f'.repeat(63) + 'e');
});

test('liveCodeHas: only instructions that can execute count (not push data, not data after a halt)', () => {
  const has = (hex: string) => liveCodeHas(hexToBytes(hex), 'cancun', 0x45);
  assert.equal(has('0x45'), true, 'GASLIMIT at pc 0');
  assert.equal(has('0x6045'), false, 'inside PUSH1 data');
  assert.equal(has('0x60006000f3fe45'), false, 'after RETURN and INVALID: solc metadata');
  assert.equal(has('0x005b45'), true, 'a JUMPDEST after STOP is reachable');
  assert.equal(has('0x600556fe45'), false, 'after an unconditional JUMP with no JUMPDEST');
});
