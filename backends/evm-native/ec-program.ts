/**
 * A MULMOD / ADDMOD-heavy EVM program, to measure the 256-bit modular arithmetic of the EVM
 * engines: elliptic-curve scalar multiplication on bn254 (y^2 = x^3 + 3 over the 254-bit prime),
 * double-and-add in Jacobian coordinates, written the way hand-optimised curve code is (field
 * elements in memory, MULMOD / ADDMOD with the prime pushed as a constant, subtraction as
 * ADDMOD(a, p - b)). With a BigInt reference of the same formulas, so a run's output is checked.
 *
 * Calldata: word 0 the scalar, word 1 how many times to repeat the multiplication (starting over
 * from the generator each time, so every repetition costs the same). Returns X, Y, Z (96 bytes) of
 * the last result, in Jacobian coordinates, not normalised.
 *
 * `node dist/backends/evm-native/ec-program.js CODE_FILE CALLDATA_FILE [SCALAR] [REPEAT]` writes
 * the bytecode and calldata as hex (for `jitbench run --code @CODE_FILE --calldata @CALLDATA_FILE`).
 */
import { writeFileSync } from 'node:fs';
import { assemble } from '../../src/evm/asm.js';
import { bytesToHex } from '../../src/evm/hex.js';

export const BN254_P = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47n;
/** The generator (1, 2) of bn254's G1. */
const G = { x: 1n, y: 2n };

type Expr = { v: string } | { c: bigint } | { op: 'mul' | 'add'; a: Expr; b: Expr } | { neg: Expr };

const v = (name: string): Expr => ({ v: name });
const mul = (a: Expr, b: Expr): Expr => ({ op: 'mul', a, b });
const add = (a: Expr, b: Expr): Expr => ({ op: 'add', a, b });
const sub = (a: Expr, b: Expr): Expr => add(a, { neg: b });
const k = (c: bigint): Expr => ({ c });

/** Memory slot of each field variable. */
const VARS = ['X', 'Y', 'Z', 'A', 'B', 'C', 'D', 'E', 'F', 'T', 'U', 'S', 'H', 'I', 'J', 'R', 'V'] as const;
const slot = (name: string): number => {
  const i = (VARS as readonly string[]).indexOf(name);
  if (i < 0) throw new Error(`ec-program: no variable ${name}`);
  return 0x40 + 32 * i;
};

/** Assembly that leaves the value of `e` on the stack. */
function emit(e: Expr): string {
  const P = `PUSH32 0x${BN254_P.toString(16)}`;
  if ('v' in e) return `PUSH ${slot(e.v)} MLOAD`;
  if ('c' in e) return `PUSH32 0x${e.c.toString(16)}`;
  if ('neg' in e) return `${emit(e.neg)} ${P} SUB`; // p - x (x < p)
  return `${P} ${emit(e.b)} ${emit(e.a)} ${e.op === 'mul' ? 'MULMOD' : 'ADDMOD'}`;
}

/** The same arithmetic in BigInt. */
function evalExpr(e: Expr, env: Map<string, bigint>): bigint {
  if ('v' in e) return env.get(e.v)!;
  if ('c' in e) return e.c;
  if ('neg' in e) return BN254_P - evalExpr(e.neg, env);
  const a = evalExpr(e.a, env);
  const b = evalExpr(e.b, env);
  return e.op === 'mul' ? (a * b) % BN254_P : (a + b) % BN254_P;
}

type Step = [string, Expr];

/** Jacobian doubling for a = 0 (dbl-2009-l). */
const DOUBLE: Step[] = [
  ['A', mul(v('X'), v('X'))],
  ['B', mul(v('Y'), v('Y'))],
  ['C', mul(v('B'), v('B'))],
  ['T', add(v('X'), v('B'))],
  ['D', sub(sub(mul(v('T'), v('T')), v('A')), v('C'))],
  ['D', add(v('D'), v('D'))],
  ['E', add(add(v('A'), v('A')), v('A'))],
  ['F', mul(v('E'), v('E'))],
  ['Z', mul(add(v('Y'), v('Y')), v('Z'))],
  ['X', sub(v('F'), add(v('D'), v('D')))],
  ['C', add(v('C'), v('C'))],
  ['C', add(v('C'), v('C'))],
  ['C', add(v('C'), v('C'))],
  ['Y', sub(mul(v('E'), sub(v('D'), v('X'))), v('C'))],
];

/** Mixed addition of the affine generator (madd-2007-bl). */
const ADD_G: Step[] = [
  ['A', mul(v('Z'), v('Z'))],
  ['U', mul(k(G.x), v('A'))],
  ['S', mul(mul(k(G.y), v('Z')), v('A'))],
  ['H', sub(v('U'), v('X'))],
  ['B', mul(v('H'), v('H'))],
  ['I', add(add(v('B'), v('B')), add(v('B'), v('B')))],
  ['J', mul(v('H'), v('I'))],
  ['R', sub(v('S'), v('Y'))],
  ['R', add(v('R'), v('R'))],
  ['V', mul(v('X'), v('I'))],
  ['X', sub(sub(mul(v('R'), v('R')), v('J')), add(v('V'), v('V')))],
  ['T', mul(v('Y'), v('J'))],
  ['Y', sub(mul(v('R'), sub(v('V'), v('X'))), add(v('T'), v('T')))],
  ['T', add(v('Z'), v('H'))],
  ['Z', sub(sub(mul(v('T'), v('T')), v('A')), v('B'))],
];

const steps = (s: Step[]): string => s.map(([name, e]) => `${emit(e)} PUSH ${slot(name)} MSTORE`).join('\n');

/**
 * The program. Memory 0x00: the scalar, 0x20: repetitions left. Per repetition: the point starts
 * at G (Z = 1); for each bit of the scalar from bit 255 down: double, then add G if the bit is set.
 */
export function ecMulSource(): string {
  return `
    PUSH1 0 CALLDATALOAD PUSH1 0 MSTORE
    PUSH1 32 CALLDATALOAD PUSH1 0x20 MSTORE
  rep:
    PUSH1 0x20 MLOAD ISZERO @done JUMPI
    PUSH1 0x20 MLOAD PUSH1 1 SWAP1 SUB PUSH1 0x20 MSTORE
    PUSH1 ${G.x} PUSH ${slot('X')} MSTORE PUSH1 ${G.y} PUSH ${slot('Y')} MSTORE PUSH1 1 PUSH ${slot('Z')} MSTORE
    PUSH2 256                       ; bits left
  bit:
    DUP1 ISZERO @rep_end JUMPI
    PUSH1 1 SWAP1 SUB               ; i = bit index
    ${steps(DOUBLE)}
    DUP1 PUSH1 0 MLOAD SWAP1 SHR PUSH1 1 AND ISZERO @bit JUMPI
    ${steps(ADD_G)}
    @bit JUMP
  rep_end:
    POP @rep JUMP
  done:
    PUSH1 0x60 PUSH ${slot('X')} RETURN
  `;
}

export function ecMulCode(): Uint8Array {
  return assemble(ecMulSource());
}

export function ecMulCalldata(scalar: bigint, repeat: number): Uint8Array {
  const out = new Uint8Array(64);
  for (let i = 0; i < 32; i++) out[31 - i] = Number((scalar >> BigInt(8 * i)) & 0xffn);
  for (let i = 0; i < 8; i++) out[63 - i] = Math.floor(repeat / 2 ** (8 * i)) & 0xff;
  return out;
}

/** X, Y, Z of one scalar multiplication, the same formulas in BigInt. */
export function ecMulReference(scalar: bigint): [bigint, bigint, bigint] {
  const env = new Map<string, bigint>([['X', G.x], ['Y', G.y], ['Z', 1n]]);
  const run = (s: Step[]) => {
    for (const [name, e] of s) env.set(name, evalExpr(e, env));
  };
  for (let i = 255; i >= 0; i--) {
    run(DOUBLE);
    if ((scalar >> BigInt(i)) & 1n) run(ADD_G);
  }
  return [env.get('X')!, env.get('Y')!, env.get('Z')!];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [codeFile, calldataFile, scalarArg, repeatArg] = process.argv.slice(2);
  if (!codeFile || !calldataFile) {
    process.stderr.write('usage: ec-program.js CODE_FILE CALLDATA_FILE [SCALAR] [REPEAT]\n');
    process.exit(2);
  }
  const scalar = BigInt(scalarArg ?? '0x1f0e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0');
  const repeat = Number(repeatArg ?? 1);
  writeFileSync(codeFile, bytesToHex(ecMulCode()) + '\n');
  writeFileSync(calldataFile, bytesToHex(ecMulCalldata(scalar, repeat)) + '\n');
  const [x, y, z] = ecMulReference(scalar);
  process.stdout.write(`wrote ${codeFile} (${ecMulCode().length} bytes), ${calldataFile}; expected X ${x.toString(16)} Y ${y.toString(16)} Z ${z.toString(16)}\n`);
}
