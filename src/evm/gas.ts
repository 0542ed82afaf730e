/**
 * Gas rules as functions of the fork: the constant schedule, memory expansion, SSTORE metering and
 * the call/create gas rules. Both EVM engines (interpreter, compiler) take every number from here.
 */
import { type Fork, isForkAtLeast } from './fork.js';

/** How SSTORE is metered. */
export type SstoreRule =
  | 'frontier' // 20000 set / 5000 reset, 15000 refund for clearing (Frontier..Byzantium, Petersburg)
  | 'eip1283' // net metering without the stipend check (Constantinople only)
  | 'eip2200' // net metering with the 2300 sentry (Istanbul)
  | 'eip2929'; // EIP-2200 with warm/cold access costs (Berlin; London adds EIP-3529 refunds)

export interface GasSchedule {
  readonly fork: Fork;
  // --- opcode base costs that change between forks
  readonly expByte: number; // per byte of the exponent (EIP-160: 10 -> 50)
  readonly sload: number; // SLOAD base (Berlin+: the warm cost; cold adds coldSloadExtra)
  readonly balance: number; // BALANCE
  readonly extcodeSize: number; // EXTCODESIZE, EXTCODECOPY base
  readonly extcodeHash: number;
  readonly call: number; // CALL, CALLCODE, DELEGATECALL, STATICCALL base
  readonly selfdestruct: number;
  readonly blockhash: number;
  // --- access lists (EIP-2929): 0 before Berlin
  readonly warmAccess: number;
  readonly coldAccountExtra: number; // cold account access minus the warm cost already charged
  readonly coldSloadExtra: number;
  readonly coldSload: number;
  // --- constants that never changed
  readonly sha3: 30;
  readonly sha3Word: 6;
  readonly copyWord: 3;
  readonly log: 375;
  readonly logTopic: 375;
  readonly logData: 8;
  readonly memoryWord: 3;
  readonly memoryQuadDivisor: 512;
  readonly create: 32000;
  readonly codeDepositByte: 200;
  readonly callValue: 9000;
  readonly callStipend: 2300;
  readonly newAccount: 25000;
  // --- rules
  readonly sstoreRule: SstoreRule;
  readonly sstoreSet: number;
  readonly sstoreReset: number;
  readonly sstoreClearRefund: number;
  readonly sstoreSentry: number; // EIP-2200: SSTORE fails when gas left <= this (0: no check)
  readonly selfdestructRefund: number; // 24000 until London (EIP-3529 removed it)
  /** EIP-150: a call forwards at most all but 1/64 of the gas left; before it the request must be affordable. */
  readonly allButOne64th: boolean;
  /** Before Spurious Dragon the new-account surcharge applies when the callee does not exist; from it, when value > 0 and the callee is empty (EIP-161). */
  readonly newAccountOnlyWithValue: boolean;
  /** Tangerine Whistle: SELFDESTRUCT to a non-existing account pays newAccount. */
  readonly selfdestructNewAccount: boolean;
  /** Homestead: a CREATE that cannot pay the code deposit fails (Frontier kept the account with empty code). */
  readonly createFailsOnDepositOog: boolean;
  readonly maxCodeSize: number; // EIP-170 (Spurious Dragon): 24576
  readonly maxInitcodeSize: number; // EIP-3860 (Shanghai): 49152
  readonly initcodeWord: number; // EIP-3860: 2 per word of initcode
  readonly rejectEfCode: boolean; // EIP-3541 (London)
  readonly refundQuotient: number; // max refund = gasUsed / quotient: 2, London 5 (EIP-3529)
  readonly create2HashWord: number; // CREATE2 hashes the initcode: 6 per word
  /** EIP-6780 (Cancun): SELFDESTRUCT deletes the account only when created in the same transaction. */
  readonly selfdestructOnlyNew: boolean;
  /** EIP-161 (Spurious Dragon): touched empty accounts are deleted at the end of the transaction; new contracts start at nonce 1. */
  readonly clearEmptyAccounts: boolean;
}

const cache = new Map<Fork, GasSchedule>();

export function gasSchedule(fork: Fork): GasSchedule {
  let g = cache.get(fork);
  if (!g) {
    g = buildSchedule(fork);
    cache.set(fork, g);
  }
  return g;
}

function buildSchedule(fork: Fork): GasSchedule {
  const at = (f: Fork) => isForkAtLeast(fork, f);
  const berlin = at('berlin');
  const sstoreRule: SstoreRule = berlin
    ? 'eip2929'
    : at('istanbul')
      ? 'eip2200'
      : fork === 'constantinople'
        ? 'eip1283'
        : 'frontier';
  return {
    fork,
    expByte: at('spuriousDragon') ? 50 : 10,
    sload: berlin ? 100 : at('istanbul') ? 800 : at('tangerineWhistle') ? 200 : 50,
    balance: berlin ? 100 : at('istanbul') ? 700 : at('tangerineWhistle') ? 400 : 20,
    extcodeSize: berlin ? 100 : at('tangerineWhistle') ? 700 : 20,
    extcodeHash: berlin ? 100 : at('istanbul') ? 700 : 400,
    call: berlin ? 100 : at('tangerineWhistle') ? 700 : 40,
    selfdestruct: at('tangerineWhistle') ? 5000 : 0,
    blockhash: 20,
    warmAccess: berlin ? 100 : 0,
    coldAccountExtra: berlin ? 2500 : 0,
    coldSloadExtra: berlin ? 2000 : 0,
    coldSload: berlin ? 2100 : 0,
    sha3: 30,
    sha3Word: 6,
    copyWord: 3,
    log: 375,
    logTopic: 375,
    logData: 8,
    memoryWord: 3,
    memoryQuadDivisor: 512,
    create: 32000,
    codeDepositByte: 200,
    callValue: 9000,
    callStipend: 2300,
    newAccount: 25000,
    sstoreRule,
    sstoreSet: 20000,
    sstoreReset: berlin ? 5000 - 2100 : 5000,
    sstoreClearRefund: at('london') ? 4800 : 15000,
    sstoreSentry: at('istanbul') ? 2300 : 0,
    selfdestructRefund: at('london') ? 0 : 24000,
    allButOne64th: at('tangerineWhistle'),
    newAccountOnlyWithValue: at('spuriousDragon'),
    selfdestructNewAccount: at('tangerineWhistle'),
    createFailsOnDepositOog: at('homestead'),
    maxCodeSize: at('spuriousDragon') ? 24576 : Infinity,
    maxInitcodeSize: at('shanghai') ? 49152 : Infinity,
    initcodeWord: at('shanghai') ? 2 : 0,
    rejectEfCode: at('london'),
    refundQuotient: at('london') ? 5 : 2,
    create2HashWord: 6,
    selfdestructOnlyNew: at('cancun'),
    clearEmptyAccounts: at('spuriousDragon'),
  };
}

/** Words (32 bytes) needed to hold `bytes` bytes. */
export function toWords(bytes: number): number {
  return Math.ceil(bytes / 32);
}

/** Total memory cost of `words` words: 3w + floor(w^2 / 512). Exact for every size that can be allocated. */
export function memoryCost(words: number): number {
  if (words < 94_906_265) return 3 * words + Math.floor((words * words) / 512); // w^2 < 2^53: exact
  return Number(3n * BigInt(words) + (BigInt(words) * BigInt(words)) / 512n);
}

/** Gas of a copy of `size` bytes (CALLDATACOPY, CODECOPY, ...) excluding memory expansion. */
export function copyCost(size: number): number {
  return 3 * toWords(size);
}

/** EIP-150: all but one 64th. */
export function allButOne64th(gas: number): number {
  return gas - Math.floor(gas / 64);
}

/** Result of metering one SSTORE. */
export interface SstoreCharge {
  /** Gas charged (on top of nothing: SSTORE's base cost in the opcode table is 0). */
  gas: number;
  /** Change of the refund counter (may be negative under net metering). */
  refund: number;
}

/**
 * SSTORE gas and refund for `original` (value at the start of the transaction), `current` and `next`,
 * with `cold` true when the slot was not yet accessed in the transaction (Berlin+).
 * The EIP-2200 sentry check (gas left <= 2300) is the caller's job: see `GasSchedule.sstoreSentry`.
 */
export function sstoreCharge(g: GasSchedule, original: bigint, current: bigint, next: bigint, cold: boolean): SstoreCharge {
  if (g.sstoreRule === 'frontier') {
    if (current === 0n && next !== 0n) return { gas: g.sstoreSet, refund: 0 };
    return { gas: g.sstoreReset, refund: current !== 0n && next === 0n ? g.sstoreClearRefund : 0 };
  }
  const coldCost = cold ? g.coldSload : 0;
  // EIP-1283 / EIP-2200 / EIP-2929 share the net-metering structure, with different constants.
  const noop = g.sstoreRule === 'eip1283' ? 200 : g.sstoreRule === 'eip2200' ? 800 : g.warmAccess;
  const set = g.sstoreSet;
  const reset = g.sstoreRule === 'eip2929' ? g.sstoreReset : 5000;
  const clear = g.sstoreClearRefund;
  if (current === next) return { gas: noop + coldCost, refund: 0 };
  if (original === current) {
    if (original === 0n) return { gas: set + coldCost, refund: 0 };
    return { gas: reset + coldCost, refund: next === 0n ? clear : 0 };
  }
  // dirty slot
  let refund = 0;
  if (original !== 0n) {
    if (current === 0n) refund -= clear;
    else if (next === 0n) refund += clear;
  }
  if (original === next) {
    refund += original === 0n ? set - noop : reset - noop;
  }
  return { gas: noop + coldCost, refund };
}
