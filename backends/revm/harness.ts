/**
 * The harness that runs one message call on EDR's Solidity test runner (the path without the
 * per-opcode trace that EDR's provider records for eth_call; see README "revm").
 *
 * The runner deploys a test contract, runs its setUp() and then its test function, each as a
 * transaction of its own; it takes no calldata, caller or value of ours, so the test contract is
 * a harness emitted here in EVM assembly:
 *   1. the pre-state is the runner's genesis state (`localPredeploys`, whose code must be
 *      non-empty): a codeless account gets code 0x00 there and `vm.etch(a, "")` in setUp(), which
 *      keeps its storage as genesis storage (EIP-2200 original values stay right) and, being in
 *      another transaction, leaves nothing warm;
 *   2. testRun() rebuilds the EIP-2929 warm set of the message call: BALANCE of each warm
 *      address; for warm slots the account's code is swapped for a few SLOADs, called, and
 *      swapped back (vm.warmSlot did not warm them);
 *   3. block and transaction values by cheatcode, then `vm.record()`, `vm.recordLogs()`,
 *      `vm.prank(caller, origin)` and the measured CALL (or STATICCALL) of the callee with our
 *      calldata, value and exactly our gas (a value call's 2300 stipend is taken off the operand),
 *      between two GAS instructions;
 *   4. the answer: the GAS readings, success flag, return data, `vm.lastCallGas()` (the frame's
 *      gas used and refund), `vm.getRecordedLogs()`, then for every account of the pre-state its
 *      balance, nonce and the final value of each slot `vm.accesses()` saw written;
 *   5. all of it is logged as one `console.log(bytes)`, which the runner returns as hex.
 * A failing cheatcode reverts the harness, so the test fails with the cheatcode's message.
 *
 * The callee runs at depth 1 of the harness's transaction, not as a transaction of its own, so no
 * intrinsic gas (21000 + calldata) is charged to it and no refund is applied: the frame's gas is
 * (GAS before - GAS after) minus the CALL's own cost, which is fixed here (warm callee: 100, plus
 * 9000 - 2300 for a value call, plus the pushes). `vm.startStateDiffRecording` is not used: it
 * loads accounts and slots before each access and so makes every cold access warm (measured:
 * BALANCE of a cold account cost 100 instead of 2600).
 */
import { liveCodeHas } from '../../src/evm/analysis.js';
import type { Fork } from '../../src/evm/fork.js';
import { bytesToHex, concatBytes, hexToBytes } from '../../src/evm/hex.js';
import { EvmUnsupportedError } from '../../src/evm/precompiles.js';
import { Emitter } from './emit.js';
import { AbiReader, addressWord, decodeLogs, encodeCall, selector, word, type DecodedLog } from './abi.js';
import type { RevmJob, RevmPredeploy } from './protocol.js';

/**
 * Our fork names to EDR's hardfork names, London on. EDR's provider also runs Byzantium..Berlin,
 * but its Solidity test runner gets them wrong, so those forks are refused here. Measured with
 * EDR 0.22.0: on byzantium BALANCE of an untouched account cost 2903 gas instead of 403 and
 * SSTORE 5 -> 9 2906 instead of 5006; on istanbul a new slot 22106 instead of 20006; on berlin
 * the refund for clearing a slot was London's 4800 instead of 15000.
 */
export const EDR_HARDFORK: Partial<Record<Fork, string>> = {
  london: 'london',
  paris: 'merge',
  shanghai: 'shanghai',
  cancun: 'cancun',
  prague: 'prague',
};

export const REVM_FORKS = Object.keys(EDR_HARDFORK) as Fork[];

/** Foundry's cheatcode address and console.log address. */
const HEVM = '0x7109709ecfa91a80626ff3989d68f67f5b1dd12d';
const CONSOLE = '0x000000000000000000636f6e736f6c652e6c6f67';
/** Holds the harness's constant data (cheatcode calldata, the call's calldata), read with EXTCODECOPY. */
export const DATA_ADDRESS = '0x6a6974626e6368000000000000000000000000da';

export const TEST_FUNCTION = 'testRun';
export const SETUP_FUNCTION = 'setUp';
const PRECOMPILE_MAX = 0x100n;
/** A CALL to a warm account (EIP-2929), and a value call's stipend. */
const WARM_CALL = 100;
const STIPEND = 2300;
/**
 * Gas the harness's transactions need besides the frame's: deploying the harness (measured: a
 * 1.3 KB harness needed between 400,000 and 600,000 in all) and its cheatcode calls and memory.
 */
const harnessGas = (bytes: number) => 2_000_000n + 300n * BigInt(bytes);

export interface HarnessAccount {
  address: string;
  nonce: bigint;
  balance: bigint;
  code: Uint8Array;
  storage: Array<[bigint, bigint]>;
}

/** One message call as the harness needs it (the host state before the call, value already moved). */
export interface HarnessCall {
  fork: Fork;
  code: Uint8Array;
  calldata: Uint8Array;
  address: string;
  caller: string;
  origin: string;
  value: bigint;
  gas: number;
  isStatic: boolean;
  accounts: HarnessAccount[];
  warmAddresses: string[];
  warmSlots: Array<[string, bigint[]]>;
  block: { number: bigint; timestamp: bigint; coinbase: string; gasLimit: bigint; difficulty: bigint; prevRandao: bigint; baseFee: bigint; chainId: bigint; blobBaseFee: bigint };
  blockHashes: Array<[bigint, bigint]>;
  gasPrice: bigint;
  blobHashes: bigint[];
}

export interface Harness {
  job: RevmJob;
  /** What the measured CALL costs the harness besides the frame's own gas used (see below). */
  callOverhead: number;
  /** Accounts whose balance, nonce and written slots the harness reports, in order. */
  known: string[];
}

/** A message call this path cannot run exactly (the caller sees it as unsupported, never as a result). */
export class RevmUnsupportedError extends EvmUnsupportedError {
  override name = 'RevmUnsupportedError';
}

export function edrHardfork(fork: Fork): string {
  const h = EDR_HARDFORK[fork];
  if (!h) throw new RevmUnsupportedError(`revm engine: fork '${fork}' is not supported by EDR; accepted forks: ${REVM_FORKS.join(', ')}`);
  return h;
}

const isParis = (f: Fork) => ['paris', 'shanghai', 'cancun', 'prague'].includes(f);
const isCancun = (f: Fork) => f === 'cancun' || f === 'prague';

/** `n` as an assembler literal. */
const lit = (n: bigint | number) => `0x${BigInt(n).toString(16)}`;

const isPrecompile = (a: string) => BigInt(a) <= PRECOMPILE_MAX;

/** EIP-4844 fake_exponential(1, excess, fraction): the blob base fee of an excess blob gas. */
function blobFee(excess: bigint, fraction: bigint): bigint {
  let out = 0n;
  let acc = fraction;
  for (let i = 1n; acc > 0n; i++) {
    out += acc;
    acc = (acc * excess) / (fraction * i);
  }
  return out / fraction;
}

/** The least excess blob gas whose fee is exactly `fee` (refused when no excess gives it). */
const excessCache = new Map<string, bigint>();
export function excessBlobGasFor(fee: bigint, fraction: bigint): bigint {
  if (fee === 1n) return 0n;
  const key = `${fee}/${fraction}`;
  const hit = excessCache.get(key);
  if (hit !== undefined) return hit;
  // fee ~ e^(excess / fraction), and a fee below 2^256 needs excess < 178 * fraction
  let lo = 0n;
  let hi = fraction * 180n;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if (blobFee(mid, fraction) >= fee) hi = mid;
    else lo = mid + 1n;
  }
  if (blobFee(lo, fraction) !== fee) throw new RevmUnsupportedError(`revm engine: no excess blob gas gives a blob base fee of exactly ${fee}`);
  excessCache.set(key, lo);
  return lo;
}

/** Whether live code executes GASLIMIT (solc's metadata may hold a 0x45 byte); cached per code array, since this runs on every call. */
const gasLimitReaders = new WeakMap<Uint8Array, Map<Fork, boolean>>();
function readsGasLimit(code: Uint8Array, fork: Fork): boolean {
  let byFork = gasLimitReaders.get(code);
  if (!byFork) gasLimitReaders.set(code, (byFork = new Map()));
  let r = byFork.get(fork);
  if (r === undefined) byFork.set(fork, (r = liveCodeHas(code, fork, 0x45)));
  return r;
}

/**
 * The test runner's transaction gas limit is its block gas limit (GASLIMIT reads it too), and the
 * harness's transaction must hold the frame's gas plus the harness's own: when the block's limit
 * is lower it is raised, unless some code could read GASLIMIT and see the difference.
 */
function blockGasLimit(c: HarnessCall, codes: Iterable<Uint8Array>, harnessBytes: number): bigint {
  const needed = BigInt(c.gas) + BigInt(Math.ceil(c.gas / 63)) + harnessGas(harnessBytes);
  if (c.block.gasLimit >= needed) return c.block.gasLimit;
  for (const code of codes) {
    if (readsGasLimit(code, c.fork)) {
      throw new RevmUnsupportedError(`revm engine: the block gas limit ${c.block.gasLimit} is below the ${needed} gas the harness transaction needs, and the code reads GASLIMIT`);
    }
  }
  return needed;
}

/** Code that only SLOADs `keys` (to warm them in the account it runs in). */
function warmerCode(keys: bigint[]): Uint8Array {
  const e = new Emitter();
  for (const k of keys) e.emit(`PUSH32 ${lit(k)} SLOAD POP`);
  e.emit('STOP');
  return e.bytes();
}

export function buildHarness(c: HarnessCall): Harness {
  const hardfork = edrHardfork(c.fork);
  if (c.isStatic && c.value !== 0n) throw new RevmUnsupportedError('revm engine: a static call with value');
  if (c.value !== 0n && c.gas < 2300) throw new RevmUnsupportedError(`revm engine: a value call with less gas (${c.gas}) than the 2300 stipend cannot be given its exact gas`);

  // The harness's CALL moves the value itself, so it is moved back first. runMessageCall has
  // moved it already (or, with transferValue: false as in VMTests, not: then the callee lends it
  // to the caller and gets it back, and CALLVALUE still reads it).
  const accounts = new Map<string, HarnessAccount>();
  for (const a of c.accounts) accounts.set(a.address, { ...a, storage: a.storage.slice() });
  const acct = (address: string) => {
    let a = accounts.get(address);
    if (!a) accounts.set(address, (a = { address, nonce: 0n, balance: 0n, code: new Uint8Array(0), storage: [] }));
    return a;
  };
  if (c.value !== 0n && c.caller !== c.address) {
    const to = acct(c.address);
    const from = acct(c.caller);
    if (to.balance < c.value) throw new RevmUnsupportedError('revm engine: CALLVALUE without a value transfer, and the callee cannot lend it to the caller');
    to.balance -= c.value;
    from.balance += c.value;
  }
  const known = [...new Set([...c.accounts.map((a) => a.address), c.address])].sort();
  // the frame's code runs at the callee's address
  acct(c.address);
  const codeAt = new Map<string, Uint8Array>();
  for (const a of accounts.values()) codeAt.set(a.address, a.address === c.address ? c.code : a.code);
  if (accounts.has(DATA_ADDRESS)) throw new RevmUnsupportedError(`revm engine: the pre-state uses the harness's data address ${DATA_ADDRESS}`);

  const blobs: Uint8Array[] = [new Uint8Array([0x00])];
  let dataLen = 1;
  const blob = (b: Uint8Array) => {
    const at = { off: dataLen, len: b.length };
    blobs.push(b);
    dataLen += b.length;
    return at;
  };
  // memory: 0x00 output pointer, 0x20 loop counter, 0x40/0x60 scratch words, STAGE.. calldata staging, OUT.. the answer
  const PTR = 0x00;
  const I = 0x20;
  const TMP = 0x40;
  const VAL = 0x60;
  const STAGE = 0x80;
  const code = new Emitter();
  const cheats: Array<{ off: number; len: number }> = [];
  const emit = (s: string) => code.emit(s);
  const stage = (b: { off: number; len: number }) => emit(`PUSH ${lit(b.len)} PUSH ${lit(b.off)} PUSH ${lit(STAGE)} PUSH20 ${DATA_ADDRESS} EXTCODECOPY`);
  const cheat = (calldata: Uint8Array) => {
    const b = blob(calldata);
    cheats.push(b);
    stage(b);
    emit(`PUSH 0 PUSH 0 PUSH ${lit(b.len)} PUSH ${lit(STAGE)} PUSH 0 PUSH20 ${HEVM} GAS CALL ISZERO @fail JUMPI`);
  };
  const appendWord = () => emit(`PUSH ${PTR} MLOAD MSTORE PUSH ${PTR} MLOAD PUSH 32 ADD PUSH ${PTR} MSTORE`);
  const appendReturnData = () =>
    emit(
      `RETURNDATASIZE PUSH ${PTR} MLOAD MSTORE RETURNDATASIZE PUSH 0 PUSH ${PTR} MLOAD PUSH 32 ADD RETURNDATACOPY ` +
        `RETURNDATASIZE PUSH 32 ADD PUSH ${PTR} MLOAD ADD PUSH ${PTR} MSTORE`,
    );

  // setUp() (its own transaction, run first by the test runner) gives codeless accounts their
  // state: the cheatcodes warm what they touch, and the warm set is per transaction. testRun()
  // then does the call; other selectors (the runner may call functions of a test contract) stop.
  const sel = (f: string) => bytesToHex(selector(`${f}()`));
  emit(`PUSH 0 CALLDATALOAD PUSH ${lit(1n << 224n)} SWAP1 DIV DUP1 PUSH4 ${sel(TEST_FUNCTION)} EQ @main JUMPI PUSH4 ${sel(SETUP_FUNCTION)} EQ @setup JUMPI STOP`);
  emit('fail: RETURNDATASIZE PUSH 0 PUSH 0 RETURNDATACOPY RETURNDATASIZE PUSH 0 REVERT');
  emit('setup:');
  for (const a of accounts.values()) {
    if (codeAt.get(a.address)!.length !== 0) continue;
    if (isPrecompile(a.address)) {
      // vm.etch refuses precompile addresses: their balance and nonce are set instead (their storage cannot be read)
      cheat(encodeCall('deal(address,uint256)', [{ word: addressWord(a.address) }, { word: word(a.balance) }]));
      if (a.nonce !== 0n) cheat(encodeCall('setNonceUnsafe(address,uint64)', [{ word: addressWord(a.address) }, { word: word(a.nonce) }]));
    } else cheat(encodeCall('etch(address,bytes)', [{ word: addressWord(a.address) }, { bytes: new Uint8Array(0) }]));
  }
  emit('STOP');
  emit('main:');
  const outAt = code.placeholder(3); // OUT is known only once every blob is: patched below
  emit(`PUSH ${PTR} MSTORE`);

  const b = c.block;
  // The runner's own transactions (deploy, setUp) run with gas price and base fee 0, so they pay
  // the coinbase nothing (a paid coinbase has a balance and exists); the call's are set here.
  cheat(encodeCall('fee(uint256)', [{ word: word(b.baseFee) }]));
  cheat(encodeCall('txGasPrice(uint256)', [{ word: word(c.gasPrice) }]));
  if (isParis(c.fork)) cheat(encodeCall('prevrandao(bytes32)', [{ word: word(b.prevRandao) }]));
  if (isCancun(c.fork)) {
    // EDR's vm.blobBaseFee takes the excess blob gas (the fee is derived from it), so the
    // excess that gives exactly our fee is passed
    cheat(encodeCall('blobBaseFee(uint256)', [{ word: word(excessBlobGasFor(b.blobBaseFee, c.fork === 'prague' ? 5_007_716n : 3_338_477n)) }]));
    if (c.blobHashes.length > 0) cheat(encodeCall('blobhashes(bytes32[])', [{ words: c.blobHashes.map(word) }]));
  }
  for (const [n, h] of c.blockHashes) cheat(encodeCall('setBlockhash(uint256,bytes32)', [{ word: word(n) }, { word: word(h) }]));
  for (const a of accounts.values()) {
    // EDR reads code starting 0xEF01 as an EIP-7702 delegation (and rejects it unless 23 bytes long)
    if (codeAt.get(a.address)![0] === 0xef && codeAt.get(a.address)![1] === 0x01) throw new RevmUnsupportedError(`revm engine: code of ${a.address} starts with 0xEF01 (EIP-7702 delegation designator)`);
  }
  // warm slots: the account's code is swapped for SLOADs of them, called, and swapped back
  // (vm.warmSlot left the slot cold for the call: measured 2103 gas for a warm SLOAD)
  for (const [a, keys] of c.warmSlots) {
    if (keys.length === 0) continue;
    if (isPrecompile(a)) throw new RevmUnsupportedError(`revm engine: warm storage slots of precompile ${a}`);
    cheat(encodeCall('etch(address,bytes)', [{ word: addressWord(a) }, { bytes: warmerCode(keys) }]));
    emit(`PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH20 ${a} GAS CALL POP`);
    cheat(encodeCall('etch(address,bytes)', [{ word: addressWord(a) }, { bytes: codeAt.get(a) ?? new Uint8Array(0) }]));
  }
  // the callee is warm in any message call (and the gas arithmetic below counts on it)
  for (const a of new Set([...c.warmAddresses, c.address])) if (!isPrecompile(a)) emit(`PUSH20 ${a} BALANCE POP`);
  cheat(encodeCall('record()', []));
  cheat(encodeCall('recordLogs()', []));
  cheat(encodeCall('prank(address,address)', [{ word: addressWord(c.caller) }, { word: addressWord(c.origin) }]));

  // The measured call, between two GAS: (g0 - g1) is what the CALL cost the harness, from which
  // the frame's gas used follows exactly, halts included (lastCallGas does not count the gas a
  // halt burns: it reported 3 for ADD on an empty stack).
  const cd = blob(c.calldata);
  stage(cd);
  let overhead: number;
  if (c.isStatic) {
    emit(`GAS PUSH 0 PUSH 0 PUSH ${lit(cd.len)} PUSH ${lit(STAGE)} PUSH20 ${c.address} PUSH ${lit(c.gas)} STATICCALL GAS`);
    overhead = 6 * 3 + WARM_CALL + 2;
  } else {
    const gasOperand = c.value !== 0n ? c.gas - STIPEND : c.gas;
    emit(`GAS PUSH 0 PUSH 0 PUSH ${lit(cd.len)} PUSH ${lit(STAGE)} PUSH ${lit(c.value)} PUSH20 ${c.address} PUSH ${lit(gasOperand)} CALL GAS`);
    // CALL with value: 9000, and the 2300 stipend the callee gets on top costs the caller nothing
    overhead = 7 * 3 + WARM_CALL + 2 + (c.value !== 0n ? 9000 - STIPEND : 0);
  }
  appendWord(); // g1
  appendWord(); // success
  appendWord(); // g0
  appendReturnData();
  cheat(encodeCall('lastCallGas()', []));
  appendReturnData();
  cheat(encodeCall('getRecordedLogs()', []));
  appendReturnData();

  known.forEach((a, i) => {
    emit(`PUSH20 ${a} BALANCE`);
    appendWord();
    cheat(encodeCall('getNonce(address)', [{ word: addressWord(a) }]));
    appendReturnData();
    cheat(encodeCall('accesses(address)', [{ word: addressWord(a) }]));
    // (bytes32[] reads, bytes32[] writes): copy `writes` (length, keys) to the output, then the value of each key
    emit(`PUSH 32 PUSH 32 PUSH ${TMP} RETURNDATACOPY PUSH ${TMP} MLOAD RETURNDATASIZE SUB PUSH ${TMP} MLOAD PUSH ${PTR} MLOAD RETURNDATACOPY`);
    const loadSel = blob(encodeCall('load(address,bytes32)', [{ word: addressWord(a) }, { word: word(0n) }]));
    stage(loadSel);
    emit(`PUSH 0 PUSH ${I} MSTORE`);
    emit(`loop${i}: PUSH ${PTR} MLOAD MLOAD PUSH ${I} MLOAD LT ISZERO @done${i} JUMPI`);
    emit(`PUSH ${I} MLOAD PUSH 32 MUL PUSH ${PTR} MLOAD ADD PUSH 32 ADD MLOAD PUSH ${lit(STAGE + 36)} MSTORE`);
    emit(`PUSH 32 PUSH ${VAL} PUSH 68 PUSH ${lit(STAGE)} PUSH 0 PUSH20 ${HEVM} GAS CALL ISZERO @fail JUMPI`);
    emit(`PUSH ${VAL} MLOAD PUSH ${I} MLOAD PUSH 32 MUL PUSH ${PTR} MLOAD MLOAD PUSH 32 MUL ADD PUSH ${PTR} MLOAD ADD PUSH 32 ADD MSTORE`);
    emit(`PUSH ${I} MLOAD PUSH 1 ADD PUSH ${I} MSTORE @loop${i} JUMP`);
    emit(`done${i}: PUSH ${PTR} MLOAD MLOAD PUSH 64 MUL PUSH 32 ADD PUSH ${PTR} MLOAD ADD PUSH ${PTR} MSTORE`);
  });

  // console.log(bytes(OUT .. ptr)): selector, offset 32, length, data padded to words
  const stageSize = Math.max(...blobs.map((x) => x.length), 68);
  const OUT = STAGE + Math.ceil(stageSize / 32) * 32 + 0x80;
  code.patch(outAt, 3, OUT);
  emit(`PUSH4 ${bytesToHex(selector('log(bytes)'))} PUSH ${lit(OUT - 96)} MSTORE PUSH 32 PUSH ${lit(OUT - 64)} MSTORE`);
  emit(`PUSH ${lit(OUT)} PUSH ${PTR} MLOAD SUB PUSH ${lit(OUT - 32)} MSTORE`);
  emit(`PUSH 0 PUSH 0 PUSH ${lit(OUT)} PUSH ${PTR} MLOAD SUB PUSH 31 ADD PUSH 32 SWAP1 DIV PUSH 32 MUL PUSH 68 ADD PUSH ${lit(OUT - 68)} PUSH 0 PUSH20 ${CONSOLE} GAS CALL POP STOP`);
  if (OUT >= 1 << 24) throw new RevmUnsupportedError('revm engine: the call data and pre-state are too large for the harness');

  const predeploys: RevmPredeploy[] = [...accounts.values()].filter((a) => codeAt.get(a.address)!.length !== 0 || !isPrecompile(a.address)).map((a) => ({
    address: a.address,
    code: a.address === c.address ? c.code : a.code.length > 0 ? a.code : new Uint8Array([0x00]),
    balance: a.balance,
    nonce: a.nonce,
    storage: a.storage.filter(([, v]) => v !== 0n),
  }));
  predeploys.push({ address: DATA_ADDRESS, code: concatBytes(...blobs), balance: 0n, nonce: 0n, storage: [] });
  const runtime = code.bytes();
  return {
    known,
    callOverhead: overhead,
    job: {
      hardfork,
      runtime,
      predeploys,
      chainId: b.chainId,
      blockNumber: b.number,
      blockTimestamp: b.timestamp,
      blockCoinbase: b.coinbase,
      blockDifficulty: b.difficulty,
      blockGasLimit: blockGasLimit(c, [c.code, ...[...accounts.values()].map((a) => a.code)], runtime.length + dataLen),
    },
  };
}

export interface HarnessAccountResult {
  address: string;
  balance: bigint;
  nonce: bigint;
  /** Final value of every slot written during the call (also slots written back to their value). */
  writes: Array<[bigint, bigint]>;
}

export interface HarnessResult {
  success: boolean;
  returnData: Uint8Array;
  /** The frame's gas used from the harness's GAS before and after the call (all of it on a halt). */
  frameGasUsed: bigint;
  /** Gas given to the frame (lastCallGas.gasLimit: the operand plus the stipend of a value call). */
  gasLimit: bigint;
  /** lastCallGas: the frame's gas used, refunds not subtracted (not counting what a halt burns). */
  gasUsed: bigint;
  gasRefunded: bigint;
  logs: DecodedLog[];
  accounts: HarnessAccountResult[];
}

/** Decode the harness's console.log line (`0x` + hex) against the harness that logged it. */
export function decodeHarnessOutput(line: string, h: Pick<Harness, 'known' | 'callOverhead'>): HarnessResult {
  if (!/^0x([0-9a-f]{2})*$/i.test(line)) throw new Error(`revm harness: unexpected console.log output '${line.slice(0, 60)}'`);
  const r = new AbiReader(hexToBytes(line));
  let p = 0;
  const next = () => {
    const n = r.index(p);
    const out = r.slice(p + 32, n);
    p += 32 + n;
    return out;
  };
  const g1 = r.word(0);
  const success = r.word(32) !== 0n;
  const g0 = r.word(64);
  p = 96;
  const returnData = next();
  const g = new AbiReader(next());
  const logs = decodeLogs(next());
  const accounts: HarnessAccountResult[] = [];
  for (const address of h.known) {
    const balance = r.word(p);
    p += 32;
    const nonce = new AbiReader(next()).word(0);
    const n = r.index(p);
    const writes: Array<[bigint, bigint]> = [];
    for (let k = 0; k < n; k++) writes.push([r.word(p + 32 + 32 * k), r.word(p + 32 + 32 * (n + k))]);
    p += 32 + 64 * n;
    accounts.push({ address, balance, nonce, writes });
  }
  return {
    success,
    returnData,
    frameGasUsed: g0 - g1 - BigInt(h.callOverhead),
    gasLimit: g.word(0),
    gasUsed: g.word(32),
    gasRefunded: BigInt.asIntN(64, g.word(96)),
    logs,
    accounts,
  };
}
