/**
 * The module's 256-bit arithmetic (u256-wasm.ts, u256-div-wasm.ts) as a small standalone
 * WebAssembly module with its own memory, for code outside a compiled contract: the interpreter's
 * u256 code runs its division family, ADDMOD, MULMOD and EXP on it (src/evm/u256.ts, from the
 * binary committed in src/evm/u256-wasm-binary.ts, so the interpreter needs no binaryen), and the
 * tests check the routines against BigInt through it, word by word.
 *
 * `node dist/backends/evm-native/u256-standalone.js --write src/evm/u256-wasm-binary.ts`
 * regenerates that file; test/evm-u256.test.ts fails when it is not this generator's output.
 *
 * Memory layout: operand words at OPERAND_ADDR + 32*i (i = 0, 1, 2), the result word at
 * RESULT_ADDR, each 32 bytes little-endian (the interpreter's 8 little-endian 32-bit limbs).
 * Exports take no arguments but a mode: divmod(mode), sdivmod(mode) (0 quotient, 1 remainder),
 * addmod(), mulmod(), exp(), signextend(), byte(), mul(), shl(), shr(), modexp().
 *
 * The same instance serves compiled contracts (evm-native): it also exports the routines
 * themselves (SHARED_HELPERS, operands as i64 limbs) and the result globals r0..r3 they write, and
 * every compiled module imports them (compile.ts), so a contract's module does not carry its own
 * copy of the division family (building and emitting it cost each compile ~25% of its time).
 */
import { writeFileSync } from 'node:fs';
import binaryen from 'binaryen';
import { addU256DivHelpers, DIV_SCRATCH_BYTES, HELPER_ADDMOD, HELPER_BYTE, HELPER_DIVMOD, HELPER_EXP, HELPER_MULMOD, HELPER_SDIVMOD, HELPER_SIGNEXTEND } from './u256-div-wasm.js';
import { addU256Helpers, HELPER_MUL, HELPER_SHL, HELPER_SHR, Locals, RESULT_GLOBALS } from './u256-wasm.js';
import { SHARED_NAMESPACE } from './layout.js';

const i32 = binaryen.i32;
const i64 = binaryen.i64;
type Expr = binaryen.ExpressionRef;

export const OPERAND_ADDR = 0;
export const RESULT_ADDR = 96;
const SCRATCH = 256;

/** The routines a compiled module imports from the instance (namespace SHARED_NAMESPACE, layout.ts), by their own names. */
export const SHARED_HELPERS = [HELPER_DIVMOD, HELPER_SDIVMOD, HELPER_ADDMOD, HELPER_MULMOD, HELPER_EXP, HELPER_SIGNEXTEND, HELPER_BYTE] as const;

export interface U256Exports {
  memory: WebAssembly.Memory;
  divmod(mode: number): void;
  sdivmod(mode: number): void;
  addmod(): void;
  mulmod(): void;
  exp(): void;
  signextend(): void;
  byte(): void;
  mul(): void;
  shl(): void;
  shr(): void;
  modexp(): void;
}

/** The standalone module's binary. */
export function buildU256Module(): Uint8Array {
  const m = new binaryen.Module();
  m.setFeatures(binaryen.Features.MVP | binaryen.Features.MutableGlobals | binaryen.Features.SignExt);
  m.setMemory(1, 1, 'memory');
  addU256Helpers(m);
  addU256DivHelpers(m, SCRATCH);
  if (SCRATCH + DIV_SCRATCH_BYTES > 65536) throw new Error('u256 module: scratch past its memory');
  const word = (i: number): Expr[] => [0, 1, 2, 3].map((k) => m.i64.load(OPERAND_ADDR + 32 * i + 8 * k, 8, m.i32.const(0)));
  /** The index operand (word 0) clamped to 32, for SIGNEXTEND / BYTE / the shifts (clamped to 256). */
  const clamped = (limit: number): Expr => {
    const [l0, l1, l2, l3] = word(0);
    return m.select(m.i32.and(m.i64.eqz(m.i64.or(m.i64.or(l1!, l2!), l3!)), m.i64.lt_u(l0!, m.i64.const(BigInt(limit)))), m.i32.wrap(word(0)[0]!), m.i32.const(limit));
  };
  const store = (): Expr[] => RESULT_GLOBALS.map((g, k) => m.i64.store(RESULT_ADDR + 8 * k, 8, m.i32.const(0), m.global.get(g, i64)));
  const fn = (name: string, params: number[], call: Expr, storeGlobals = true) => {
    m.addFunction(name, binaryen.createType(params), binaryen.none, [], m.block(null, [call, ...(storeGlobals ? store() : [])]));
    m.addFunctionExport(name, name);
  };
  const mode = () => m.local.get(0, i32);
  fn('divmod', [i32], m.call(HELPER_DIVMOD, [...word(0), ...word(1), mode()], binaryen.none));
  fn('sdivmod', [i32], m.call(HELPER_SDIVMOD, [...word(0), ...word(1), mode()], binaryen.none));
  fn('addmod', [], m.call(HELPER_ADDMOD, [...word(0), ...word(1), ...word(2)], binaryen.none));
  fn('mulmod', [], m.call(HELPER_MULMOD, [...word(0), ...word(1), ...word(2)], binaryen.none));
  fn('exp', [], m.call(HELPER_EXP, [...word(0), ...word(1)], binaryen.none));
  fn('signextend', [], m.call(HELPER_SIGNEXTEND, [clamped(32), ...word(1)], binaryen.none));
  fn('mul', [], m.call(HELPER_MUL, [...word(0), ...word(1)], binaryen.none));
  fn('shl', [], m.call(HELPER_SHL, [clamped(256), ...word(1)], binaryen.none));
  fn('shr', [], m.call(HELPER_SHR, [clamped(256), ...word(1)], binaryen.none));
  fn(
    'byte',
    [],
    m.block(null, [
      m.i64.store(RESULT_ADDR, 8, m.i32.const(0), m.call(HELPER_BYTE, [clamped(32), ...word(1)], i64)),
      ...[1, 2, 3].map((k) => m.i64.store(RESULT_ADDR + 8 * k, 8, m.i32.const(0), m.i64.const(0n))),
    ]),
    false,
  );
  addModexp(m, word);
  for (const name of SHARED_HELPERS) m.addFunctionExport(name, name);
  for (const g of RESULT_GLOBALS) m.addGlobalExport(g, g);
  if (!m.validate()) throw new Error('u256 module: binaryen rejected it');
  const binary = m.emitBinary();
  m.dispose();
  return binary;
}

/**
 * modexp(): base ** exponent mod modulus for the operand words 0, 1, 2 (a modulus of at least 2),
 * left to right over the exponent's bits with the MULMOD routine (whose Barrett reciprocal stays
 * on the one modulus): the MODEXP precompile's case of operands within 256 bits.
 */
function addModexp(m: binaryen.Module, word: (i: number) => Expr[]): void {
  const L = new Locals(0);
  const B = [L.add(i64), L.add(i64), L.add(i64), L.add(i64)];
  const R = [L.add(i64), L.add(i64), L.add(i64), L.add(i64)];
  const N = [L.add(i64), L.add(i64), L.add(i64), L.add(i64)];
  const I = L.add(i32), STARTED = L.add(i32);
  const get = (ls: number[]) => ls.map((l) => m.local.get(l, i64));
  const mulmod = (x: Expr[], y: Expr[], into: number[]): Expr[] => [m.call(HELPER_MULMOD, [...x, ...y, ...get(N)], binaryen.none), ...into.map((l, k) => m.local.set(l, m.global.get(RESULT_GLOBALS[k]!, i64)))];
  const one = [m.i64.const(1n), m.i64.const(0n), m.i64.const(0n), m.i64.const(0n)];
  // bit I of the exponent (word 1)
  const bit = m.i64.and(m.i64.shr_u(m.i64.load(OPERAND_ADDR + 32, 8, m.i32.shl(m.i32.shr_u(m.local.get(I, i32), m.i32.const(6)), m.i32.const(3))), m.i64.extend_u(m.i32.and(m.local.get(I, i32), m.i32.const(63)))), m.i64.const(1n));
  const body: Expr[] = [
    ...word(2).map((e, k) => m.local.set(N[k]!, e)),
    // the base reduced once: base * 1 mod n
    ...mulmod(word(0), one, B),
    ...R.map((l, k) => m.local.set(l, one[k]!)),
    m.local.set(STARTED, m.i32.const(0)),
    m.local.set(I, m.i32.const(255)),
    m.block('done', [
      m.loop('bits', m.block(null, [
        m.br('done', m.i32.lt_s(m.local.get(I, i32), m.i32.const(0))),
        // leading zero bits square 1: skipped
        m.if(m.local.get(STARTED, i32), m.block(null, mulmod(get(R), get(R), R))),
        m.if(m.i64.ne(bit, m.i64.const(0n)), m.block(null, [m.local.set(STARTED, m.i32.const(1)), ...mulmod(get(R), get(B), R)])),
        m.local.set(I, m.i32.sub(m.local.get(I, i32), m.i32.const(1))),
        m.br('bits', m.i32.const(1)),
      ])),
    ]),
    ...R.map((l, k) => m.i64.store(RESULT_ADDR + 8 * k, 8, m.i32.const(0), m.local.get(l, i64))),
  ];
  m.addFunction('modexp', binaryen.none, binaryen.none, L.vars, m.block(null, body));
  m.addFunctionExport('modexp', 'modexp');
}

export function instantiateU256Module(): U256Exports {
  return new WebAssembly.Instance(new WebAssembly.Module(buildU256Module()), {}).exports as unknown as U256Exports;
}

/** The TypeScript source of src/evm/u256-wasm-binary.ts for the current generator. */
export function u256BinarySource(): string {
  const b64 = Buffer.from(buildU256Module()).toString('base64');
  const lines = b64.match(/.{1,100}/g) ?? [];
  return `/**
 * The standalone 256-bit arithmetic module (backends/evm-native/u256-standalone.ts, built with
 * binaryen), as base64. Generated: \`node dist/backends/evm-native/u256-standalone.js --write
 * src/evm/u256-wasm-binary.ts\`; test/evm-u256.test.ts checks it is the generator's current output.
 */
export const U256_WASM_BASE64 =
${lines.map((l) => `  '${l}'`).join(' +\n')};
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--write');
  const file = i > 0 ? process.argv[i + 1] : undefined;
  if (!file) {
    process.stderr.write('usage: u256-standalone.js --write FILE\n');
    process.exit(2);
  }
  writeFileSync(file, u256BinarySource());
  process.stdout.write(`wrote ${file}\n`);
}
