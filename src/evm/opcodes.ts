/**
 * The opcode table: name, stack inputs/outputs, base gas and the fork that introduced each opcode.
 * `opcodeTable(fork)` flattens it into typed arrays for the engines' hot loops (cached per fork).
 * Dynamic costs (memory expansion, copy words, EXP bytes, SSTORE, calls, cold access) are added by
 * the engines using `gas.ts`.
 */
import { type Fork, FORKS, isForkAtLeast } from './fork.js';
import { type GasSchedule, gasSchedule } from './gas.js';

export interface OpcodeDef {
  readonly code: number;
  readonly name: string;
  readonly inputs: number;
  readonly outputs: number;
  /** Base gas: a constant or a function of the fork's schedule. */
  readonly gas: number | ((g: GasSchedule) => number);
  readonly since: Fork;
}

type Row = [code: number, name: string, inputs: number, outputs: number, gas: OpcodeDef['gas'], since?: Fork];

const ROWS: Row[] = [
  [0x00, 'STOP', 0, 0, 0],
  [0x01, 'ADD', 2, 1, 3],
  [0x02, 'MUL', 2, 1, 5],
  [0x03, 'SUB', 2, 1, 3],
  [0x04, 'DIV', 2, 1, 5],
  [0x05, 'SDIV', 2, 1, 5],
  [0x06, 'MOD', 2, 1, 5],
  [0x07, 'SMOD', 2, 1, 5],
  [0x08, 'ADDMOD', 3, 1, 8],
  [0x09, 'MULMOD', 3, 1, 8],
  [0x0a, 'EXP', 2, 1, 10],
  [0x0b, 'SIGNEXTEND', 2, 1, 5],
  [0x10, 'LT', 2, 1, 3],
  [0x11, 'GT', 2, 1, 3],
  [0x12, 'SLT', 2, 1, 3],
  [0x13, 'SGT', 2, 1, 3],
  [0x14, 'EQ', 2, 1, 3],
  [0x15, 'ISZERO', 1, 1, 3],
  [0x16, 'AND', 2, 1, 3],
  [0x17, 'OR', 2, 1, 3],
  [0x18, 'XOR', 2, 1, 3],
  [0x19, 'NOT', 1, 1, 3],
  [0x1a, 'BYTE', 2, 1, 3],
  [0x1b, 'SHL', 2, 1, 3, 'constantinople'],
  [0x1c, 'SHR', 2, 1, 3, 'constantinople'],
  [0x1d, 'SAR', 2, 1, 3, 'constantinople'],
  [0x20, 'SHA3', 2, 1, 30],
  [0x30, 'ADDRESS', 0, 1, 2],
  [0x31, 'BALANCE', 1, 1, (g) => g.balance],
  [0x32, 'ORIGIN', 0, 1, 2],
  [0x33, 'CALLER', 0, 1, 2],
  [0x34, 'CALLVALUE', 0, 1, 2],
  [0x35, 'CALLDATALOAD', 1, 1, 3],
  [0x36, 'CALLDATASIZE', 0, 1, 2],
  [0x37, 'CALLDATACOPY', 3, 0, 3],
  [0x38, 'CODESIZE', 0, 1, 2],
  [0x39, 'CODECOPY', 3, 0, 3],
  [0x3a, 'GASPRICE', 0, 1, 2],
  [0x3b, 'EXTCODESIZE', 1, 1, (g) => g.extcodeSize],
  [0x3c, 'EXTCODECOPY', 4, 0, (g) => g.extcodeSize],
  [0x3d, 'RETURNDATASIZE', 0, 1, 2, 'byzantium'],
  [0x3e, 'RETURNDATACOPY', 3, 0, 3, 'byzantium'],
  [0x3f, 'EXTCODEHASH', 1, 1, (g) => g.extcodeHash, 'constantinople'],
  [0x40, 'BLOCKHASH', 1, 1, 20],
  [0x41, 'COINBASE', 0, 1, 2],
  [0x42, 'TIMESTAMP', 0, 1, 2],
  [0x43, 'NUMBER', 0, 1, 2],
  [0x44, 'DIFFICULTY', 0, 1, 2], // PREVRANDAO from Paris (EIP-4399)
  [0x45, 'GASLIMIT', 0, 1, 2],
  [0x46, 'CHAINID', 0, 1, 2, 'istanbul'],
  [0x47, 'SELFBALANCE', 0, 1, 5, 'istanbul'],
  [0x48, 'BASEFEE', 0, 1, 2, 'london'],
  [0x49, 'BLOBHASH', 1, 1, 3, 'cancun'],
  [0x4a, 'BLOBBASEFEE', 0, 1, 2, 'cancun'],
  [0x50, 'POP', 1, 0, 2],
  [0x51, 'MLOAD', 1, 1, 3],
  [0x52, 'MSTORE', 2, 0, 3],
  [0x53, 'MSTORE8', 2, 0, 3],
  [0x54, 'SLOAD', 1, 1, (g) => g.sload],
  [0x55, 'SSTORE', 2, 0, 0], // fully dynamic: gas.ts sstoreCharge
  [0x56, 'JUMP', 1, 0, 8],
  [0x57, 'JUMPI', 2, 0, 10],
  [0x58, 'PC', 0, 1, 2],
  [0x59, 'MSIZE', 0, 1, 2],
  [0x5a, 'GAS', 0, 1, 2],
  [0x5b, 'JUMPDEST', 0, 0, 1],
  [0x5c, 'TLOAD', 1, 1, 100, 'cancun'],
  [0x5d, 'TSTORE', 2, 0, 100, 'cancun'],
  [0x5e, 'MCOPY', 3, 0, 3, 'cancun'],
  [0x5f, 'PUSH0', 0, 1, 2, 'shanghai'],
  [0xa0, 'LOG0', 2, 0, 375],
  [0xa1, 'LOG1', 3, 0, 750],
  [0xa2, 'LOG2', 4, 0, 1125],
  [0xa3, 'LOG3', 5, 0, 1500],
  [0xa4, 'LOG4', 6, 0, 1875],
  [0xf0, 'CREATE', 3, 1, 32000],
  [0xf1, 'CALL', 7, 1, (g) => g.call],
  [0xf2, 'CALLCODE', 7, 1, (g) => g.call],
  [0xf3, 'RETURN', 2, 0, 0],
  [0xf4, 'DELEGATECALL', 6, 1, (g) => g.call, 'homestead'],
  [0xf5, 'CREATE2', 4, 1, 32000, 'constantinople'],
  [0xfa, 'STATICCALL', 6, 1, (g) => g.call, 'byzantium'],
  [0xfd, 'REVERT', 2, 0, 0, 'byzantium'],
  [0xfe, 'INVALID', 0, 0, 0],
  [0xff, 'SELFDESTRUCT', 1, 0, (g) => g.selfdestruct],
];
for (let n = 1; n <= 32; n++) ROWS.push([0x5f + n, `PUSH${n}`, 0, 1, 3]);
for (let n = 1; n <= 16; n++) ROWS.push([0x7f + n, `DUP${n}`, n, n + 1, 3]);
for (let n = 1; n <= 16; n++) ROWS.push([0x8f + n, `SWAP${n}`, n + 1, n + 1, 3]);

/** Every opcode any fork knows, by byte. */
export const OPCODES: readonly (OpcodeDef | undefined)[] = (() => {
  const t: (OpcodeDef | undefined)[] = new Array(256).fill(undefined);
  for (const [code, name, inputs, outputs, gas, since] of ROWS) t[code] = { code, name, inputs, outputs, gas, since: since ?? 'frontier' };
  return t;
})();

export const STACK_LIMIT = 1024;

/** The per-fork table in the shape the hot loops want. */
export interface OpcodeTable {
  readonly fork: Fork;
  readonly gas: GasSchedule;
  /** 1 when the opcode exists in this fork (0xfe INVALID is "defined" but always halts). */
  readonly defined: Uint8Array;
  readonly baseGas: Int32Array;
  /** Smallest stack height that does not underflow. */
  readonly minStack: Uint8Array;
  /** Largest stack height that does not overflow after the op (1024 - net growth). */
  readonly maxStack: Int16Array;
  readonly names: readonly string[];
}

const tables = new Map<Fork, OpcodeTable>();

export function opcodeTable(fork: Fork): OpcodeTable {
  let t = tables.get(fork);
  if (t) return t;
  const g = gasSchedule(fork);
  const defined = new Uint8Array(256);
  const baseGas = new Int32Array(256);
  const minStack = new Uint8Array(256);
  const maxStack = new Int16Array(256);
  const names: string[] = [];
  for (let op = 0; op < 256; op++) {
    const d = OPCODES[op];
    if (!d || !isForkAtLeast(fork, d.since)) {
      names.push(`0x${op.toString(16).padStart(2, '0')}`);
      continue;
    }
    names.push(opcodeName(op, fork));
    defined[op] = 1;
    baseGas[op] = typeof d.gas === 'number' ? d.gas : d.gas(g);
    minStack[op] = d.inputs;
    maxStack[op] = STACK_LIMIT - Math.max(0, d.outputs - d.inputs);
  }
  t = { fork, gas: g, defined, baseGas, minStack, maxStack, names };
  tables.set(fork, t);
  return t;
}

/** Mnemonic of an opcode under a fork (DIFFICULTY is PREVRANDAO from Paris, SHA3 is also KECCAK256). */
export function opcodeName(op: number, fork: Fork = 'prague'): string {
  if (op === 0x44 && isForkAtLeast(fork, 'paris')) return 'PREVRANDAO';
  return OPCODES[op]?.name ?? `0x${op.toString(16).padStart(2, '0')}`;
}

/** Opcode byte by mnemonic (for assemblers and tests). */
export const OPCODE_BY_NAME: Readonly<Record<string, number>> = (() => {
  const m: Record<string, number> = { KECCAK256: 0x20, PREVRANDAO: 0x44 };
  for (const d of OPCODES) if (d) m[d.name] = d.code;
  return m;
})();

/** Whether the opcode is available in the fork. */
export function isOpcodeDefined(op: number, fork: Fork): boolean {
  const d = OPCODES[op];
  return !!d && isForkAtLeast(fork, d.since);
}

export const ALL_FORKS = FORKS;
