/**
 * The 256-bit division family, EXP, SIGNEXTEND and BYTE as functions in the module (binaryen IR),
 * so no arithmetic opcode calls out to JavaScript. Words are four i64 limbs (little-endian), the
 * result goes to the r0..r3 globals (u256-wasm.ts).
 *
 * Division is Knuth's algorithm D on 32-bit digits held in i64 (every product of two digits plus
 * two digits fits in 64 bits; WebAssembly has i64.div_u but no 128-by-64 division, so the
 * quotient digit estimate is a native 64-by-32 division), with the digit arrays in a scratch area
 * of linear memory: stored little-endian, four i64 limbs are exactly eight 32-bit digits, and two
 * neighbouring digits load as one i64. Fast paths before it: a zero divisor, a dividend below the
 * divisor, operands within 64 bits (i64.div_u), a power-of-two divisor (a shift and a mask), a
 * divisor within 32 bits (short division). MULMOD forms the whole 512-bit product and reduces it;
 * ADDMOD adds operands already below the modulus with one conditional subtraction (reducing them
 * first otherwise). EXP squares and multiplies with mul256, a power-of-two base is a shift.
 *
 * The same generator builds these functions into every EVM-native module and into the standalone
 * arithmetic module of the interpreter (u256-wasm-module.ts), each with its own scratch address.
 */
import binaryen from 'binaryen';
import { HELPER_MUL, HELPER_SHL, HELPER_SHR, Locals, RESULT_GLOBALS } from './u256-wasm.js';

const i32 = binaryen.i32;
const i64 = binaryen.i64;
type Expr = binaryen.ExpressionRef;

export const HELPER_DIVMOD = 'u256_divmod';
export const HELPER_SDIVMOD = 'u256_sdivmod';
export const HELPER_ADDMOD = 'u256_addmod';
export const HELPER_MULMOD = 'u256_mulmod';
export const HELPER_EXP = 'u256_exp';
export const HELPER_SIGNEXTEND = 'u256_signextend';
export const HELPER_BYTE = 'u256_byte';
/** The mode argument of u256_divmod / u256_sdivmod: which of the two results goes to r0..r3. */
/** Parameter and result types of the exported routines (operands as i64 limbs, low first; indices as i32). */
const HELPER_TYPES: Record<string, { params: number[]; result: number }> = {
  [HELPER_DIVMOD]: { params: [...new Array<number>(8).fill(i64), i32], result: binaryen.none },
  [HELPER_SDIVMOD]: { params: [...new Array<number>(8).fill(i64), i32], result: binaryen.none },
  [HELPER_ADDMOD]: { params: new Array<number>(12).fill(i64), result: binaryen.none },
  [HELPER_MULMOD]: { params: new Array<number>(12).fill(i64), result: binaryen.none },
  [HELPER_EXP]: { params: new Array<number>(8).fill(i64), result: binaryen.none },
  [HELPER_SIGNEXTEND]: { params: [i32, i64, i64, i64, i64], result: binaryen.none },
  [HELPER_BYTE]: { params: [i32, i64, i64, i64, i64], result: i64 },
};

/** A routine's binaryen (params, result) types, to define it or to import it into another module. */
export function helperType(name: string): [number, number] {
  const t = HELPER_TYPES[name];
  if (!t) throw new Error(`u256: no routine ${name}`);
  return [binaryen.createType(t.params), t.result];
}

export const WANT_QUOTIENT = 0;
export const WANT_REMAINDER = 1;

const KNUTH = 'u256_knuth';
const SHORT_DIV = 'u256_short_div';
/** Bytes of scratch memory the functions use from their scratch address. */
export const DIV_SCRATCH_BYTES = 256;

/** Offsets in the scratch area: U the dividend (18 digits), V the divisor (8), Q the quotient (17). */
const U_OFF = 0;
const V_OFF = 80;
const Q_OFF = 128;

const M32 = 0xffffffffn;

export function addU256DivHelpers(m: binaryen.Module, scratch: number): void {
  const U = scratch + U_OFF;
  const V = scratch + V_OFF;
  const Q = scratch + Q_OFF;
  addShortDiv(m, U, Q);
  addKnuth(m, U, V, Q);
  addDivmod(m, U, V, Q);
  addSdivmod(m);
  addAddmod(m);
  addBarrettMu(m, U, V, Q);
  addMulmod(m, U, V);
  addExp(m);
  addSignextend(m);
  addByte(m);
}

// ------------------------------------------------------------------------ expression helpers

const get64 = (m: binaryen.Module, l: number): Expr => m.local.get(l, i64);
const get32 = (m: binaryen.Module, l: number): Expr => m.local.get(l, i32);

/** Number of significant bits of the word in locals w[0..3] (0 for zero), as i32. */
export function bitLength(m: binaryen.Module, w: readonly number[]): Expr {
  const bits = (k: number) => m.i32.sub(m.i32.const(64 * (k + 1)), m.i32.wrap(m.i64.clz(get64(m, w[k]!))));
  // clz(0) = 64, so limb 0 alone gives 0 for zero
  let e: Expr = bits(0);
  for (let k = 1; k < 4; k++) e = m.select(m.i64.ne(get64(m, w[k]!), m.i64.const(0n)), bits(k), e);
  return e;
}

/** a < b, unsigned, over the limbs in locals. */
function lessThan(m: binaryen.Module, a: readonly number[], b: readonly number[]): Expr {
  let e: Expr = m.i64.lt_u(get64(m, a[0]!), get64(m, b[0]!));
  for (let k = 1; k < 4; k++) e = m.i32.or(m.i64.lt_u(get64(m, a[k]!), get64(m, b[k]!)), m.i32.and(m.i64.eq(get64(m, a[k]!), get64(m, b[k]!)), e));
  return e;
}

const isZero = (m: binaryen.Module, w: readonly number[]): Expr =>
  m.i64.eqz(m.i64.or(m.i64.or(get64(m, w[0]!), get64(m, w[1]!)), m.i64.or(get64(m, w[2]!), get64(m, w[3]!))));
const high3Zero = (m: binaryen.Module, w: readonly number[]): Expr => m.i64.eqz(m.i64.or(m.i64.or(get64(m, w[1]!), get64(m, w[2]!)), get64(m, w[3]!)));

/** r0..r3 = the given expressions. */
const setResult = (m: binaryen.Module, es: Expr[]): Expr[] => es.map((e, k) => m.global.set(RESULT_GLOBALS[k]!, e));
const setResultLocals = (m: binaryen.Module, w: readonly number[]): Expr[] => setResult(m, w.map((l) => get64(m, l)));
const setResultSmall = (m: binaryen.Module, e: Expr): Expr[] => setResult(m, [e, m.i64.const(0n), m.i64.const(0n), m.i64.const(0n)]);
const copyResult = (m: binaryen.Module, w: readonly number[]): Expr[] => w.map((l, k) => m.local.set(l, m.global.get(RESULT_GLOBALS[k]!, i64)));

/** Two's complement negation of the limbs in locals `w`, in place (`carry`, `next`: i64 temporaries). */
function negateLocals(m: binaryen.Module, w: readonly number[], carry: number, next: number): Expr[] {
  const out: Expr[] = [m.local.set(carry, m.i64.const(1n))];
  for (let k = 0; k < 4; k++) {
    // ~x + carry; the carry goes on only when x was 0 (its complement all ones)
    if (k < 3) out.push(m.local.set(next, m.i64.extend_u(m.i32.and(m.i64.eqz(get64(m, w[k]!)), m.i64.ne(get64(m, carry), m.i64.const(0n))))));
    out.push(m.local.set(w[k]!, m.i64.add(m.i64.xor(get64(m, w[k]!), m.i64.const(-1n)), get64(m, carry))));
    if (k < 3) out.push(m.local.set(carry, get64(m, next)));
  }
  return out;
}

// ------------------------------------------------------------------------ short division

/**
 * u256_short_div(m, d) -> remainder: U[0..m) / d for a divisor d below 2^32, quotient digits
 * into Q[0..m) (Q above m untouched), one native 64-by-32 division per digit.
 */
function addShortDiv(m: binaryen.Module, U: number, Q: number): void {
  const M = 0, D = 1;
  const L = new Locals(2);
  const REM = L.add(i64), CUR = L.add(i64), QD = L.add(i64), I = L.add(i32);
  const body: Expr[] = [
    m.local.set(REM, m.i64.const(0n)),
    m.local.set(I, get32(m, M)),
    m.block('sd_done', [
      m.loop('sd', m.block(null, [
        m.br('sd_done', m.i32.eqz(get32(m, I))),
        m.local.set(I, m.i32.sub(get32(m, I), m.i32.const(1))),
        m.local.set(CUR, m.i64.or(m.i64.shl(get64(m, REM), m.i64.const(32n)), m.i64.load32_u(U, 4, m.i32.shl(get32(m, I), m.i32.const(2))))),
        m.local.set(QD, m.i64.div_u(get64(m, CUR), get64(m, D))),
        m.i64.store32(Q, 4, m.i32.shl(get32(m, I), m.i32.const(2)), get64(m, QD)),
        m.local.set(REM, m.i64.sub(get64(m, CUR), m.i64.mul(get64(m, QD), get64(m, D)))),
        m.br('sd', m.i32.const(1)),
      ])),
    ]),
    get64(m, REM),
  ];
  m.addFunction(SHORT_DIV, binaryen.createType([i32, i64]), i64, L.vars, m.block(null, body, i64));
}

// ------------------------------------------------------------------------ Knuth's algorithm D

/**
 * u256_knuth(m, n): U[0..m) divided by V[0..n), 2 <= n <= m <= 16, V[n-1] != 0, U[m..18) zero.
 * Leaves the quotient in Q[0..8) (its low eight digits: Q is cleared first) and the remainder in
 * U[0..8), with U above it zero. V is left normalised. (Hacker's Delight's divmnu, in IR.)
 */
function addKnuth(m: binaryen.Module, U: number, V: number, Q: number): void {
  const MM = 0, N = 1;
  const L = new Locals(2);
  const S = L.add(i64), I = L.add(i32), J = L.add(i32), UA = L.add(i32);
  const VTOP = L.add(i64), VNEXT = L.add(i64), NUM = L.add(i64), QHAT = L.add(i64), RHAT = L.add(i64), P = L.add(i64), T = L.add(i64), K = L.add(i64);
  const addr = (base: number, idx: Expr) => m.i32.add(m.i32.const(base), m.i32.shl(idx, m.i32.const(2)));
  const digit = (base: number, idx: Expr) => m.i64.load32_u(0, 4, addr(base, idx));
  /** ((pair at digit idx-1) << s) >> 32: digit idx of the normalised array. */
  const shifted = (base: number, idx: Expr) => m.i64.shr_u(m.i64.shl(m.i64.load(0, 4, addr(base, m.i32.sub(idx, m.i32.const(1)))), get64(m, S)), m.i64.const(32n));
  /** Shift base[0..len) left by s in place, top digit first (digit 0 last). */
  const normalise = (base: number, len: Expr, label: string): Expr[] => [
    m.local.set(I, m.i32.sub(len, m.i32.const(1))),
    m.block(`${label}_done`, [
      m.loop(label, m.block(null, [
        m.br(`${label}_done`, m.i32.le_s(get32(m, I), m.i32.const(0))),
        m.i64.store32(0, 4, addr(base, get32(m, I)), shifted(base, get32(m, I))),
        m.local.set(I, m.i32.sub(get32(m, I), m.i32.const(1))),
        m.br(label, m.i32.const(1)),
      ])),
    ]),
    m.i64.store32(0, 4, m.i32.const(base), m.i64.shl(m.i64.load32_u(0, 4, m.i32.const(base)), get64(m, S))),
  ];
  const UJ = (off: Expr) => m.i32.add(get32(m, UA), m.i32.shl(off, m.i32.const(2))); // &U[j + off]
  const body: Expr[] = [];
  for (let k = 0; k < 4; k++) body.push(m.i64.store(k * 8, 8, m.i32.const(Q), m.i64.const(0n)));
  body.push(m.local.set(S, m.i64.extend_u(m.i32.clz(m.i32.load(0, 4, addr(V, m.i32.sub(get32(m, N), m.i32.const(1))))))));
  body.push(...normalise(V, get32(m, N), 'nv'));
  // U[m] = the bits shifted out of U[m-1]
  body.push(m.i64.store32(0, 4, addr(U, get32(m, MM)), m.i64.shr_u(m.i64.shl(digit(U, m.i32.sub(get32(m, MM), m.i32.const(1))), get64(m, S)), m.i64.const(32n))));
  body.push(...normalise(U, get32(m, MM), 'nu'));
  body.push(m.local.set(VTOP, digit(V, m.i32.sub(get32(m, N), m.i32.const(1)))));
  body.push(m.local.set(VNEXT, digit(V, m.i32.sub(get32(m, N), m.i32.const(2)))));
  const B = () => m.i64.const(1n << 32n);
  const step: Expr[] = [
    m.local.set(UA, addr(U, get32(m, J))),
    // qhat from the top two digits, then corrected with the next one (at most twice)
    m.local.set(NUM, m.i64.load(0, 4, UJ(m.i32.sub(get32(m, N), m.i32.const(1))))),
    m.local.set(QHAT, m.i64.div_u(get64(m, NUM), get64(m, VTOP))),
    m.local.set(RHAT, m.i64.sub(get64(m, NUM), m.i64.mul(get64(m, QHAT), get64(m, VTOP)))),
    m.block('fix_done', [
      m.loop('fix', m.block(null, [
        m.br(
          'fix_done',
          m.i32.and(
            m.i64.lt_u(get64(m, QHAT), B()),
            m.i64.le_u(m.i64.mul(get64(m, QHAT), get64(m, VNEXT)), m.i64.or(m.i64.shl(get64(m, RHAT), m.i64.const(32n)), m.i64.load32_u(0, 4, UJ(m.i32.sub(get32(m, N), m.i32.const(2)))))),
          ),
        ),
        m.local.set(QHAT, m.i64.sub(get64(m, QHAT), m.i64.const(1n))),
        m.local.set(RHAT, m.i64.add(get64(m, RHAT), get64(m, VTOP))),
        m.br('fix', m.i64.lt_u(get64(m, RHAT), B())),
      ])),
    ]),
    // U[j..j+n] -= qhat * V; k is the signed borrow
    m.local.set(K, m.i64.const(0n)),
    m.local.set(I, m.i32.const(0)),
    m.loop('ms', m.block(null, [
      m.local.set(P, m.i64.mul(get64(m, QHAT), digit(V, get32(m, I)))),
      m.local.set(T, m.i64.sub(m.i64.sub(m.i64.load32_u(0, 4, UJ(get32(m, I))), get64(m, K)), m.i64.and(get64(m, P), m.i64.const(M32)))),
      m.i64.store32(0, 4, UJ(get32(m, I)), get64(m, T)),
      m.local.set(K, m.i64.sub(m.i64.shr_u(get64(m, P), m.i64.const(32n)), m.i64.shr_s(get64(m, T), m.i64.const(32n)))),
      m.local.set(I, m.i32.add(get32(m, I), m.i32.const(1))),
      m.br('ms', m.i32.lt_u(get32(m, I), get32(m, N))),
    ])),
    m.local.set(T, m.i64.sub(m.i64.load32_u(0, 4, UJ(get32(m, N))), get64(m, K))),
    m.i64.store32(0, 4, UJ(get32(m, N)), get64(m, T)),
    // qhat one too large (rare): add the divisor back
    m.if(
      m.i64.lt_s(get64(m, T), m.i64.const(0n)),
      m.block(null, [
        m.local.set(QHAT, m.i64.sub(get64(m, QHAT), m.i64.const(1n))),
        m.local.set(K, m.i64.const(0n)),
        m.local.set(I, m.i32.const(0)),
        m.loop('ab', m.block(null, [
          m.local.set(T, m.i64.add(m.i64.add(m.i64.load32_u(0, 4, UJ(get32(m, I))), digit(V, get32(m, I))), get64(m, K))),
          m.i64.store32(0, 4, UJ(get32(m, I)), get64(m, T)),
          m.local.set(K, m.i64.shr_u(get64(m, T), m.i64.const(32n))),
          m.local.set(I, m.i32.add(get32(m, I), m.i32.const(1))),
          m.br('ab', m.i32.lt_u(get32(m, I), get32(m, N))),
        ])),
        m.i64.store32(0, 4, UJ(get32(m, N)), m.i64.add(m.i64.load32_u(0, 4, UJ(get32(m, N))), get64(m, K))),
      ]),
    ),
    m.i64.store32(0, 4, addr(Q, get32(m, J)), get64(m, QHAT)),
    m.local.set(J, m.i32.sub(get32(m, J), m.i32.const(1))),
    m.br('steps', m.i32.ge_s(get32(m, J), m.i32.const(0))),
  ];
  body.push(m.local.set(J, m.i32.sub(get32(m, MM), get32(m, N))));
  body.push(m.loop('steps', m.block(null, step)));
  // the remainder is U[0..n) (U[n..m] became zero): shift it back, ascending (digit i+1 is read before it is written)
  for (let i = 0; i < 8; i++) body.push(m.i64.store32(U + 4 * i, 4, m.i32.const(0), m.i64.shr_u(m.i64.load(U + 4 * i, 4, m.i32.const(0)), get64(m, S))));
  m.addFunction(KNUTH, binaryen.createType([i32, i32]), binaryen.none, L.vars, m.block(null, body));
}

// ------------------------------------------------------------------------ DIV / MOD

/**
 * u256_divmod(a0..a3, b0..b3, mode): a / b (mode 0) or a mod b (mode 1) into r0..r3; 0 when b = 0.
 */
function addDivmod(m: binaryen.Module, U: number, V: number, Q: number): void {
  const MODE = 8;
  const a = [0, 1, 2, 3];
  const b = [4, 5, 6, 7];
  const L = new Locals(9);
  const SH = L.add(i32), T = L.add(i64), MD = L.add(i32), ND = L.add(i32);
  const wantRem = () => m.i32.ne(get32(m, MODE), m.i32.const(0));
  const body: Expr[] = [];
  // b = 0: 0; a < b: 0 or a
  body.push(m.if(isZero(m, b), m.block(null, [...setResultSmall(m, m.i64.const(0n)), m.return()])));
  body.push(m.if(lessThan(m, a, b), m.block(null, [m.if(wantRem(), m.block(null, setResultLocals(m, a)), m.block(null, setResultSmall(m, m.i64.const(0n)))), m.return()])));
  // both within 64 bits: one native division
  body.push(
    m.if(
      m.i32.and(high3Zero(m, a), high3Zero(m, b)),
      m.block(null, [...setResultSmall(m, m.if(wantRem(), m.i64.rem_u(get64(m, a[0]!), get64(m, b[0]!)), m.i64.div_u(get64(m, a[0]!), get64(m, b[0]!)))), m.return()]),
    ),
  );
  // a power of two: a shift (quotient) or a mask (remainder)
  const popcount = m.i64.add(m.i64.add(m.i64.popcnt(get64(m, b[0]!)), m.i64.popcnt(get64(m, b[1]!))), m.i64.add(m.i64.popcnt(get64(m, b[2]!)), m.i64.popcnt(get64(m, b[3]!))));
  const pow2: Expr[] = [m.local.set(SH, m.i32.sub(bitLength(m, b), m.i32.const(1)))];
  // mask: b - 1, limb by limb (b's one bit is in one limb: below it all ones, above it zero)
  const maskLimb = (k: number) => m.select(m.i64.eqz(get64(m, b[k]!)), m.select(m.i32.gt_u(m.i32.const(64 * k), get32(m, SH)), m.i64.const(0n), m.i64.const(-1n)), m.i64.sub(get64(m, b[k]!), m.i64.const(1n)));
  pow2.push(
    m.if(
      wantRem(),
      m.block(null, setResult(m, a.map((l, k) => m.i64.and(get64(m, l), maskLimb(k))))),
      m.call(HELPER_SHR, [get32(m, SH), ...a.map((l) => get64(m, l))], binaryen.none),
    ),
    m.return(),
  );
  body.push(m.if(m.i64.eq(popcount, m.i64.const(1n)), m.block(null, pow2)));
  // the digits into scratch memory: a into U (zero above), b into V
  for (let k = 0; k < 4; k++) body.push(m.i64.store(U + 8 * k, 8, m.i32.const(0), get64(m, a[k]!)));
  for (let k = 4; k < 9; k++) body.push(m.i64.store(U + 8 * k, 8, m.i32.const(0), m.i64.const(0n)));
  for (let k = 0; k < 4; k++) body.push(m.i64.store(V + 8 * k, 8, m.i32.const(0), get64(m, b[k]!)));
  body.push(m.local.set(MD, m.i32.shr_u(m.i32.add(bitLength(m, a), m.i32.const(31)), m.i32.const(5))));
  body.push(m.local.set(ND, m.i32.shr_u(m.i32.add(bitLength(m, b), m.i32.const(31)), m.i32.const(5))));
  const readBack = (base: number): Expr[] => setResult(m, [0, 1, 2, 3].map((k) => m.i64.load(base + 8 * k, 8, m.i32.const(0))));
  // a divisor within 32 bits: short division
  body.push(
    m.if(
      m.i32.eq(get32(m, ND), m.i32.const(1)),
      m.block(null, [
        for8Zero(m, Q),
        m.local.set(T, m.call(SHORT_DIV, [get32(m, MD), get64(m, b[0]!)], i64)),
        m.if(wantRem(), m.block(null, setResultSmall(m, get64(m, T))), m.block(null, readBack(Q))),
        m.return(),
      ]),
    ),
  );
  body.push(m.call(KNUTH, [get32(m, MD), get32(m, ND)], binaryen.none));
  body.push(m.if(wantRem(), m.block(null, readBack(U)), m.block(null, readBack(Q))));
  m.addFunction(HELPER_DIVMOD, ...helperType(HELPER_DIVMOD), L.vars, m.block(null, body));
}

/** Clear 8 digits (32 bytes) at `base`. */
function for8Zero(m: binaryen.Module, base: number): Expr {
  return m.block(null, [0, 1, 2, 3].map((k) => m.i64.store(base + 8 * k, 8, m.i32.const(0), m.i64.const(0n))));
}

/**
 * u256_sdivmod(a0..a3, b0..b3, mode): SDIV (mode 0, truncating toward zero) or SMOD (mode 1, the
 * sign of the dividend) on the magnitudes; 0 when b = 0; -2^255 / -1 = -2^255 (wraps).
 */
function addSdivmod(m: binaryen.Module): void {
  const MODE = 8;
  const a = [0, 1, 2, 3];
  const b = [4, 5, 6, 7];
  const L = new Locals(9);
  const NA = L.add(i32), NB = L.add(i32), C = L.add(i64), NX = L.add(i64);
  const r = [L.add(i64), L.add(i64), L.add(i64), L.add(i64)];
  const body: Expr[] = [
    m.local.set(NA, m.i64.lt_s(get64(m, a[3]!), m.i64.const(0n))),
    m.local.set(NB, m.i64.lt_s(get64(m, b[3]!), m.i64.const(0n))),
    m.if(get32(m, NA), m.block(null, negateLocals(m, a, C, NX))),
    m.if(get32(m, NB), m.block(null, negateLocals(m, b, C, NX))),
    m.call(HELPER_DIVMOD, [...a, ...b].map((l) => get64(m, l)).concat([get32(m, MODE)]), binaryen.none),
    ...copyResult(m, r),
    // the quotient is negative when the signs differ, the remainder when the dividend is
    m.if(m.select(get32(m, MODE), get32(m, NA), m.i32.xor(get32(m, NA), get32(m, NB))), m.block(null, negateLocals(m, r, C, NX))),
    ...setResultLocals(m, r),
  ];
  m.addFunction(HELPER_SDIVMOD, ...helperType(HELPER_SDIVMOD), L.vars, m.block(null, body));
}

// ------------------------------------------------------------------------ ADDMOD / MULMOD

/** u256_addmod(a0..a3, b0..b3, n0..n3): (a + b) mod n over 257 bits into r0..r3; 0 when n = 0. */
function addAddmod(m: binaryen.Module): void {
  const a = [0, 1, 2, 3];
  const b = [4, 5, 6, 7];
  const n = [8, 9, 10, 11];
  const L = new Locals(12);
  const s = [L.add(i64), L.add(i64), L.add(i64), L.add(i64)];
  const C = L.add(i64), T = L.add(i64), OVER = L.add(i32), B1 = L.add(i32);
  const reduce = (w: number[]): Expr =>
    m.if(m.i32.eqz(lessThan(m, w, n)), m.block(null, [m.call(HELPER_DIVMOD, [...w, ...n].map((l) => get64(m, l)).concat([m.i32.const(WANT_REMAINDER)]), binaryen.none), ...copyResult(m, w)]));
  const body: Expr[] = [m.if(isZero(m, n), m.block(null, [...setResultSmall(m, m.i64.const(0n)), m.return()])), reduce(a), reduce(b)];
  // s = a + b, carry out in C
  body.push(m.local.set(C, m.i64.const(0n)));
  for (let k = 0; k < 4; k++) {
    body.push(m.local.set(T, m.i64.add(get64(m, a[k]!), get64(m, b[k]!))));
    const c1 = m.i64.lt_u(get64(m, T), get64(m, a[k]!));
    body.push(m.local.set(s[k]!, m.i64.add(get64(m, T), get64(m, C))));
    body.push(m.local.set(C, m.i64.extend_u(m.i32.or(c1, m.i64.lt_u(get64(m, s[k]!), get64(m, T))))));
  }
  // a, b < n, so a + b < 2n: subtract n once when the sum reached it (or carried past 2^256)
  body.push(m.local.set(OVER, m.i32.or(m.i64.ne(get64(m, C), m.i64.const(0n)), m.i32.eqz(lessThan(m, s, n)))));
  const sub: Expr[] = [m.local.set(C, m.i64.const(0n))];
  for (let k = 0; k < 4; k++) {
    // s_k - n_k - borrow, the borrow out from either step
    sub.push(m.local.set(T, m.i64.sub(get64(m, s[k]!), get64(m, n[k]!))));
    sub.push(m.local.set(B1, m.i64.lt_u(get64(m, s[k]!), get64(m, n[k]!))));
    sub.push(m.local.set(s[k]!, m.i64.sub(get64(m, T), get64(m, C))));
    sub.push(m.local.set(C, m.i64.extend_u(m.i32.or(get32(m, B1), m.i64.lt_u(get64(m, T), get64(m, C))))));
  }
  body.push(m.if(get32(m, OVER), m.block(null, sub)));
  body.push(...setResultLocals(m, s));
  m.addFunction(HELPER_ADDMOD, ...helperType(HELPER_ADDMOD), L.vars, m.block(null, body));
}

/** u256_mulmod(a0..a3, b0..b3, n0..n3): (a * b) mod n over the 512-bit product into r0..r3; 0 when n = 0. */
function addMulmod(m: binaryen.Module, U: number, V: number): void {
  const a = [0, 1, 2, 3];
  const b = [4, 5, 6, 7];
  const n = [8, 9, 10, 11];
  const L = new Locals(12);
  const MD = L.add(i32), ND = L.add(i32), T = L.add(i64), CARRY = L.add(i64);
  const x: number[] = [];
  const y: number[] = [];
  const r: number[] = [];
  for (let k = 0; k < 8; k++) x.push(L.add(i64));
  for (let k = 0; k < 8; k++) y.push(L.add(i64));
  for (let k = 0; k < 16; k++) r.push(L.add(i64));
  const lo32 = (e: Expr) => m.i64.and(e, m.i64.const(M32));
  const body: Expr[] = [m.if(isZero(m, n), m.block(null, [...setResultSmall(m, m.i64.const(0n)), m.return()]))];
  // all three within 32 bits: the product fits in 64
  const above32 = (w: number[]) => m.i64.or(m.i64.shr_u(get64(m, w[0]!), m.i64.const(32n)), m.i64.or(m.i64.or(get64(m, w[1]!), get64(m, w[2]!)), get64(m, w[3]!)));
  const small = m.i64.eqz(m.i64.or(above32(a), above32(b)));
  body.push(m.if(m.i32.and(small, high3Zero(m, n)), m.block(null, [...setResultSmall(m, m.i64.rem_u(m.i64.mul(get64(m, a[0]!), get64(m, b[0]!)), get64(m, n[0]!))), m.return()])));
  // the 512-bit product, schoolbook over 32-bit digits (each step x*y + r + carry < 2^64)
  for (let k = 0; k < 4; k++) {
    body.push(m.local.set(x[2 * k]!, lo32(get64(m, a[k]!))), m.local.set(x[2 * k + 1]!, m.i64.shr_u(get64(m, a[k]!), m.i64.const(32n))));
    body.push(m.local.set(y[2 * k]!, lo32(get64(m, b[k]!))), m.local.set(y[2 * k + 1]!, m.i64.shr_u(get64(m, b[k]!), m.i64.const(32n))));
  }
  for (let k = 0; k < 16; k++) body.push(m.local.set(r[k]!, m.i64.const(0n)));
  for (let i = 0; i < 8; i++) {
    body.push(m.local.set(CARRY, m.i64.const(0n)));
    for (let j = 0; j < 8; j++) {
      body.push(m.local.set(T, m.i64.add(m.i64.add(m.i64.mul(get64(m, x[i]!), get64(m, y[j]!)), get64(m, r[i + j]!)), get64(m, CARRY))));
      body.push(m.local.set(r[i + j]!, lo32(get64(m, T))));
      body.push(m.local.set(CARRY, m.i64.shr_u(get64(m, T), m.i64.const(32n))));
    }
    body.push(m.local.set(r[i + 8]!, get64(m, CARRY)));
  }
  // a modulus of eight digits (at least 2^224: the field primes): the whole reduction on locals
  // a modulus above 2^224 (the field primes): Barrett reduction with the modulus's reciprocal,
  // computed once per modulus (the last one is kept in globals)
  const above224 = m.i32.or(m.i64.gt_u(get64(m, n[3]!), m.i64.const(1n << 32n)), m.i32.and(m.i64.eq(get64(m, n[3]!), m.i64.const(1n << 32n)), m.i64.ne(m.i64.or(m.i64.or(get64(m, n[0]!), get64(m, n[1]!)), get64(m, n[2]!)), m.i64.const(0n))));
  const sameModulus = n.map((l, k) => m.i64.eq(get64(m, l), m.global.get(MU_N[k]!, i64))).reduce((x, y) => m.i32.and(x, y));
  body.push(
    m.if(
      above224,
      m.block(null, [m.if(m.i32.eqz(sameModulus), m.call(BARRETT_MU, n.map((l) => get64(m, l)), binaryen.none)), ...barrett(m, L, r, n), m.return()]),
    ),
  );
  for (let k = 0; k < 16; k++) body.push(m.i64.store32(U + 4 * k, 4, m.i32.const(0), get64(m, r[k]!)));
  body.push(m.i64.store(U + 64, 8, m.i32.const(0), m.i64.const(0n)));
  for (let k = 0; k < 4; k++) body.push(m.i64.store(V + 8 * k, 8, m.i32.const(0), get64(m, n[k]!)));
  // significant digits of the product (scanning down from 16) and of the modulus
  body.push(m.local.set(MD, m.i32.const(16)));
  body.push(
    m.block('md_done', [
      m.loop('md', m.block(null, [
        m.br('md_done', m.i32.eqz(get32(m, MD))),
        m.br('md_done', m.i32.ne(m.i32.load(U - 4, 4, m.i32.shl(get32(m, MD), m.i32.const(2))), m.i32.const(0))),
        m.local.set(MD, m.i32.sub(get32(m, MD), m.i32.const(1))),
        m.br('md', m.i32.const(1)),
      ])),
    ]),
  );
  body.push(m.local.set(ND, m.i32.shr_u(m.i32.add(bitLength(m, n), m.i32.const(31)), m.i32.const(5))));
  const readU = () => setResult(m, [0, 1, 2, 3].map((k) => m.i64.load(U + 8 * k, 8, m.i32.const(0))));
  body.push(
    m.if(
      m.i32.eq(get32(m, ND), m.i32.const(1)),
      // a modulus within 32 bits: short division (its quotient goes to Q, unused)
      m.block(null, setResultSmall(m, m.call(SHORT_DIV, [get32(m, MD), get64(m, n[0]!)], i64))),
      m.block(null, [m.if(m.i32.ge_u(get32(m, MD), get32(m, ND)), m.call(KNUTH, [get32(m, MD), get32(m, ND)], binaryen.none)), ...readU()]),
    ),
  );
  m.addFunction(HELPER_MULMOD, ...helperType(HELPER_MULMOD), L.vars, m.block(null, body));
}

/** The modulus whose Barrett reciprocal is in MU (all zero: none yet). */
const MU_N = ['mu_n0', 'mu_n1', 'mu_n2', 'mu_n3'];
/** floor(2^512 / n) for the modulus in MU_N, as nine 32-bit digits (below 2^288 for n > 2^224). */
const MU = Array.from({ length: 9 }, (_, k) => `mu${k}`);
const BARRETT_MU = 'u256_barrett_mu';

/** u256_barrett_mu(n0..n3): MU = floor(2^512 / n) by the division routine, MU_N = n (n > 2^224). */
function addBarrettMu(m: binaryen.Module, U: number, V: number, Q: number): void {
  for (const g of [...MU_N, ...MU]) m.addGlobal(g, i64, true, m.i64.const(0n));
  const body: Expr[] = [];
  // U = 2^512: digit 16 is 1 (digits 17 and up zero)
  for (let k = 0; k < 8; k++) body.push(m.i64.store(U + 8 * k, 8, m.i32.const(0), m.i64.const(0n)));
  body.push(m.i64.store(U + 64, 8, m.i32.const(0), m.i64.const(1n)));
  for (let k = 0; k < 4; k++) body.push(m.i64.store(V + 8 * k, 8, m.i32.const(0), m.local.get(k, i64)));
  body.push(m.call(KNUTH, [m.i32.const(17), m.i32.const(8)], binaryen.none));
  MU.forEach((g, k) => body.push(m.global.set(g, m.i64.load32_u(Q + 4 * k, 4, m.i32.const(0)))));
  MU_N.forEach((g, k) => body.push(m.global.set(g, m.local.get(k, i64))));
  m.addFunction(BARRETT_MU, binaryen.createType([i64, i64, i64, i64]), binaryen.none, [], m.block(null, body));
}

/**
 * The remainder of the 512-bit product x in the 32-bit digit locals r[0..16) by the modulus in
 * limb locals n[0..4) (n > 2^224, eight digits, k = 8, base b = 2^32), into r0..r3: Barrett's
 * reduction (Handbook of Applied Cryptography 14.42) with mu = floor(b^16 / n) from MU:
 * q = floor(floor(x / b^7) * mu / b^9), r = (x - q*n) mod b^9, then r -= n while r >= n (at most
 * three times). Only multiplications: no division on the path, and rows of products the CPU overlaps.
 */
function barrett(m: binaryen.Module, L: Locals, x: number[], n: number[]): Expr[] {
  const g = (l: number) => get64(m, l);
  const c = (v: bigint) => m.i64.const(v);
  const lo = (e: Expr) => m.i64.and(e, c(M32));
  const T = L.add(i64), CARRY = L.add(i64);
  const mu = MU.map(() => L.add(i64));
  const nd = Array.from({ length: 8 }, () => L.add(i64));
  const w = Array.from({ length: 18 }, () => L.add(i64)); // q1 * mu
  const z = Array.from({ length: 9 }, () => L.add(i64)); // (q3 * n) mod b^9
  const rr = Array.from({ length: 5 }, () => L.add(i64)); // r as limbs (rr[4]: digit 8)
  const out: Expr[] = [];
  MU.forEach((gl, k) => out.push(m.local.set(mu[k]!, m.global.get(gl, i64))));
  for (let k = 0; k < 4; k++) out.push(m.local.set(nd[2 * k]!, lo(g(n[k]!))), m.local.set(nd[2 * k + 1]!, m.i64.shr_u(g(n[k]!), c(32n))));
  /** acc = xs (digits) * ys (digits), row by row, only the columns in [from, to) (products outside dropped). */
  const product = (acc: number[], xs: number[], ys: number[], from: number, to: number): void => {
    for (const l of acc) out.push(m.local.set(l, c(0n)));
    for (let i = 0; i < xs.length; i++) {
      out.push(m.local.set(CARRY, c(0n)));
      for (let j = Math.max(0, from - i); j < ys.length && i + j < to; j++) {
        out.push(m.local.set(T, m.i64.add(m.i64.add(m.i64.mul(g(xs[i]!), g(ys[j]!)), g(acc[i + j]!)), g(CARRY))));
        out.push(m.local.set(acc[i + j]!, lo(g(T))));
        out.push(m.local.set(CARRY, m.i64.shr_u(g(T), c(32n))));
      }
      if (i + ys.length < to) out.push(m.local.set(acc[i + ys.length]!, g(CARRY)));
    }
  };
  // q2 = q1 * mu with q1 = x[7..16); q3 = q2[9..18). The columns below 7 are left out (HAC
  // 14.44): together they are below 8 * b^8, so q3 comes out at most one short (one more subtraction)
  product(w, x.slice(7, 16), mu, 7, 18);
  const q3 = w.slice(9, 18);
  // r2 = (q3 * n) mod b^9
  product(z, q3, nd, 0, 9);
  // r = x[0..9) - r2, mod b^9
  out.push(m.local.set(CARRY, c(0n)));
  const rd: number[] = [];
  for (let k = 0; k < 9; k++) {
    // digit by digit on 64-bit signed values: t = x - z - borrow in (-2^33, 2^32)
    out.push(m.local.set(T, m.i64.sub(m.i64.sub(g(x[k]!), g(z[k]!)), g(CARRY))));
    out.push(m.local.set(z[k]!, lo(g(T))));
    out.push(m.local.set(CARRY, m.i64.and(m.i64.shr_u(g(T), c(63n)), c(1n))));
    rd.push(z[k]!);
  }
  for (let k = 0; k < 4; k++) out.push(m.local.set(rr[k]!, m.i64.or(g(rd[2 * k]!), m.i64.shl(g(rd[2 * k + 1]!), c(32n)))));
  out.push(m.local.set(rr[4]!, g(rd[8]!)));
  // r < 4n: subtract n while r >= n (r's ninth digit set, or its low 256 bits not below n)
  const limbs = rr.slice(0, 4);
  const B1 = L.add(i32);
  const subN: Expr[] = [m.local.set(CARRY, c(0n))];
  for (let k = 0; k < 4; k++) {
    subN.push(m.local.set(T, m.i64.sub(g(limbs[k]!), g(n[k]!))));
    subN.push(m.local.set(B1, m.i64.lt_u(g(limbs[k]!), g(n[k]!))));
    subN.push(m.local.set(limbs[k]!, m.i64.sub(g(T), g(CARRY))));
    subN.push(m.local.set(CARRY, m.i64.extend_u(m.i32.or(get32(m, B1), m.i64.lt_u(g(T), g(CARRY))))));
  }
  subN.push(m.local.set(rr[4]!, m.i64.sub(g(rr[4]!), g(CARRY))));
  out.push(
    m.block('red_done', [
      m.loop('red', m.block(null, [
        m.br('red_done', m.i32.and(m.i64.eqz(g(rr[4]!)), lessThan(m, limbs, n))),
        ...subN,
        m.br('red', m.i32.const(1)),
      ])),
    ]),
  );
  out.push(...setResultLocals(m, limbs));
  return out;
}

// ------------------------------------------------------------------------ EXP

/**
 * u256_exp(b0..b3, e0..e3): b ** e mod 2^256 into r0..r3. Square and multiply from the top bit of
 * e (mul256 takes its fast path while the accumulator is small); 0 and 1 as bases return at once,
 * a power of two within 64 bits is a shift.
 */
function addExp(m: binaryen.Module): void {
  const base = [0, 1, 2, 3];
  const e = [4, 5, 6, 7];
  const L = new Locals(8);
  const BIT = L.add(i32), SH = L.add(i64), LIMB = L.add(i64);
  const acc = [L.add(i64), L.add(i64), L.add(i64), L.add(i64)];
  const body: Expr[] = [
    m.local.set(BIT, bitLength(m, e)),
    m.if(m.i32.eqz(get32(m, BIT)), m.block(null, [...setResultSmall(m, m.i64.const(1n)), m.return()])),
    m.if(m.i32.and(high3Zero(m, base), m.i64.le_u(get64(m, base[0]!), m.i64.const(1n))), m.block(null, [...setResultLocals(m, base), m.return()])),
  ];
  // 2^k: a shift by e*k, 0 once that reaches 256 (e >= 256 always does, k >= 1)
  body.push(
    m.if(
      m.i32.and(high3Zero(m, base), m.i64.eq(m.i64.popcnt(get64(m, base[0]!)), m.i64.const(1n))),
      m.block(null, [
        m.local.set(SH, m.select(m.i32.and(high3Zero(m, e), m.i64.lt_u(get64(m, e[0]!), m.i64.const(256n))), m.i64.mul(get64(m, e[0]!), m.i64.ctz(get64(m, base[0]!))), m.i64.const(256n))),
        m.if(
          m.i64.ge_u(get64(m, SH), m.i64.const(256n)),
          m.block(null, setResultSmall(m, m.i64.const(0n))),
          m.call(HELPER_SHL, [m.i32.wrap(get64(m, SH)), m.i64.const(1n), m.i64.const(0n), m.i64.const(0n), m.i64.const(0n)], binaryen.none),
        ),
        m.return(),
      ]),
    ),
  );
  // acc = base (the top bit), then for each lower bit: square, and multiply when it is set
  for (let k = 0; k < 4; k++) body.push(m.local.set(acc[k]!, get64(m, base[k]!)));
  body.push(m.local.set(BIT, m.i32.sub(get32(m, BIT), m.i32.const(1))));
  const limbOf = (idx: Expr) => {
    let s: Expr = get64(m, e[0]!);
    for (let k = 1; k < 4; k++) s = m.select(m.i32.eq(idx, m.i32.const(k)), get64(m, e[k]!), s);
    return s;
  };
  const mulInto = (other: number[]): Expr[] => [m.call(HELPER_MUL, [...acc, ...other].map((l) => get64(m, l)), binaryen.none), ...copyResult(m, acc)];
  body.push(
    m.block('bits_done', [
      m.loop('bits', m.block(null, [
        m.br('bits_done', m.i32.eqz(get32(m, BIT))),
        m.local.set(BIT, m.i32.sub(get32(m, BIT), m.i32.const(1))),
        ...mulInto(acc),
        m.local.set(LIMB, limbOf(m.i32.shr_u(get32(m, BIT), m.i32.const(6)))),
        m.if(m.i64.ne(m.i64.and(m.i64.shr_u(get64(m, LIMB), m.i64.extend_u(m.i32.and(get32(m, BIT), m.i32.const(63)))), m.i64.const(1n)), m.i64.const(0n)), m.block(null, mulInto(base))),
        m.br('bits', m.i32.const(1)),
      ])),
    ]),
  );
  body.push(...setResultLocals(m, acc));
  m.addFunction(HELPER_EXP, ...helperType(HELPER_EXP), L.vars, m.block(null, body));
}

// ------------------------------------------------------------------------ SIGNEXTEND / BYTE

/**
 * The index operand of SIGNEXTEND / BYTE as an i32 clamped to 32 (any word of 32 or more: both
 * treat those alike), from its limbs.
 */
export function clampIndex(m: binaryen.Module, limb: (k: number) => Expr): Expr {
  return m.select(m.i32.and(m.i64.eqz(m.i64.or(m.i64.or(limb(1), limb(2)), limb(3))), m.i64.lt_u(limb(0), m.i64.const(32n))), m.i32.wrap(limb(0)), m.i32.const(32));
}

/**
 * The limb expressions of SIGNEXTEND(k, x) for k known at compile time: the sign of byte k
 * copied into every bit above it (k >= 31: x unchanged).
 */
export function signextendConst(m: binaryen.Module, k: number, x: (limb: number) => Expr, tmp: number): { pre: Expr[]; limbs: Expr[] } {
  if (k >= 31) return { pre: [], limbs: [0, 1, 2, 3].map(x) };
  const bit = 8 * k + 7;
  const li = bit >> 6;
  const up = BigInt(63 - (bit & 63));
  const pre = [m.local.set(tmp, m.i64.shr_s(m.i64.shl(x(li), m.i64.const(up)), m.i64.const(up)))];
  const limbs = [0, 1, 2, 3].map((j) => (j < li ? x(j) : j === li ? m.local.get(tmp, i64) : m.i64.shr_s(m.local.get(tmp, i64), m.i64.const(63n))));
  return { pre, limbs };
}

/** u256_signextend(k: i32 clamped to 32, x0..x3) into r0..r3. */
function addSignextend(m: binaryen.Module): void {
  const K = 0;
  const x = [1, 2, 3, 4];
  const L = new Locals(5);
  const LI = L.add(i32), UP = L.add(i64), EXT = L.add(i64), SIGN = L.add(i64);
  const body: Expr[] = [
    m.if(m.i32.ge_u(get32(m, K), m.i32.const(31)), m.block(null, [...setResultLocals(m, x), m.return()])),
    // bit 8k+7 is the sign: in limb li at position p; shift it to the top and back (arithmetic)
    m.local.set(LI, m.i32.shr_u(m.i32.add(m.i32.shl(get32(m, K), m.i32.const(3)), m.i32.const(7)), m.i32.const(6))),
    m.local.set(UP, m.i64.extend_u(m.i32.sub(m.i32.const(63), m.i32.and(m.i32.add(m.i32.shl(get32(m, K), m.i32.const(3)), m.i32.const(7)), m.i32.const(63))))),
  ];
  let sel: Expr = get64(m, x[0]!);
  for (let k = 1; k < 4; k++) sel = m.select(m.i32.eq(get32(m, LI), m.i32.const(k)), get64(m, x[k]!), sel);
  body.push(m.local.set(EXT, m.i64.shr_s(m.i64.shl(sel, get64(m, UP)), get64(m, UP))));
  body.push(m.local.set(SIGN, m.i64.shr_s(get64(m, EXT), m.i64.const(63n))));
  body.push(
    ...setResult(
      m,
      [0, 1, 2, 3].map((j) => m.select(m.i32.lt_u(m.i32.const(j), get32(m, LI)), get64(m, x[j]!), m.select(m.i32.eq(m.i32.const(j), get32(m, LI)), get64(m, EXT), get64(m, SIGN)))),
    ),
  );
  m.addFunction(HELPER_SIGNEXTEND, ...helperType(HELPER_SIGNEXTEND), L.vars, m.block(null, body));
}

/** u256_byte(i: i32 clamped to 32, x0..x3) -> byte i of x from the most significant (0 when i >= 32), as i64. */
function addByte(m: binaryen.Module): void {
  const I = 0;
  const x = [1, 2, 3, 4];
  const L = new Locals(5);
  const LI = L.add(i32);
  // byte i sits in limb 3 - i/8, at bit 8 * (7 - i%8)
  let sel: Expr = get64(m, x[0]!);
  for (let k = 1; k < 4; k++) sel = m.select(m.i32.eq(get32(m, LI), m.i32.const(k)), get64(m, x[k]!), sel);
  const shift = m.i64.extend_u(m.i32.shl(m.i32.sub(m.i32.const(7), m.i32.and(get32(m, I), m.i32.const(7))), m.i32.const(3)));
  const body = m.block(
    null,
    [
      m.if(m.i32.ge_u(get32(m, I), m.i32.const(32)), m.return(m.i64.const(0n))),
      m.local.set(LI, m.i32.sub(m.i32.const(3), m.i32.shr_u(get32(m, I), m.i32.const(3)))),
      m.i64.and(m.i64.shr_u(sel, shift), m.i64.const(0xffn)),
    ],
    i64,
  );
  m.addFunction(HELPER_BYTE, ...helperType(HELPER_BYTE), L.vars, body);
}
