/**
 * 256-bit helpers emitted into every EVM-native module, as binaryen IR: a word is four i64 limbs
 * (little-endian, limb 0 least significant), the helpers take them as parameters and leave the
 * result in four globals (r0..r3), which the caller copies into its own locals.
 *
 * Out of line: MUL (schoolbook over 32-bit halves, 36 products), SHL and SHR (limb move then bit
 * shift; SAR is SHR of the complement for negative words). ADD / SUB / compares / bitwise are
 * emitted inline by the compiler (compile.ts).
 */
import binaryen from 'binaryen';

const i32 = binaryen.i32;
const i64 = binaryen.i64;

export const RESULT_GLOBALS = ['r0', 'r1', 'r2', 'r3'] as const;
export const HELPER_MUL = 'mul256';
export const HELPER_SHL = 'shl256';
export const HELPER_SHR = 'shr256';

/** A tiny local allocator for one helper function (locals are numbered after its `params`). */
export class Locals {
  readonly vars: number[] = [];
  constructor(private readonly params: number) {}
  add(type: number): number {
    this.vars.push(type);
    return this.params + this.vars.length - 1;
  }
}

/** Byte-swap the i64 in local `t` in place (EVM memory and digests are big-endian, the limbs little-endian). */
export function bswapLocal(m: binaryen.Module, t: number): binaryen.ExpressionRef[] {
  const swap = (bits: bigint, mask: bigint) =>
    m.local.set(t, m.i64.or(m.i64.and(m.i64.shr_u(m.local.get(t, i64), m.i64.const(bits)), m.i64.const(mask)), m.i64.shl(m.i64.and(m.local.get(t, i64), m.i64.const(mask)), m.i64.const(bits))));
  return [swap(8n, 0x00ff00ff00ff00ffn), swap(16n, 0x0000ffff0000ffffn), m.local.set(t, m.i64.rotl(m.local.get(t, i64), m.i64.const(32n)))];
}

export function addU256Helpers(m: binaryen.Module): void {
  for (const g of RESULT_GLOBALS) m.addGlobal(g, i64, true, m.i64.const(0n));
  addMul(m);
  addShift(m, 'left');
  addShift(m, 'right');
}

/**
 * mul256(a0..a3, b0..b3): the low 256 bits of a*b into r0..r3. When one factor fits in 64 bits
 * (a loop counter, a small constant) only its two 32-bit digits take part: 15 products instead of 36.
 */
function addMul(m: binaryen.Module): void {
  const L = new Locals(8);
  const mask = () => m.i64.const(0xffffffffn); // 0x00000000ffffffff as (low, high)
  const lo32 = (e: binaryen.ExpressionRef) => m.i64.and(e, mask());
  // 32-bit digits of a and b
  const x: number[] = [];
  const y: number[] = [];
  const body: binaryen.ExpressionRef[] = [];
  for (let k = 0; k < 4; k++) {
    const xl = L.add(i64), xh = L.add(i64), yl = L.add(i64), yh = L.add(i64);
    body.push(m.local.set(xl, lo32(m.local.get(k, i64))));
    body.push(m.local.set(xh, m.i64.shr_u(m.local.get(k, i64), m.i64.const(32n))));
    body.push(m.local.set(yl, lo32(m.local.get(4 + k, i64))));
    body.push(m.local.set(yh, m.i64.shr_u(m.local.get(4 + k, i64), m.i64.const(32n))));
    x.push(xl, xh);
    y.push(yl, yh);
  }
  const r: number[] = [];
  for (let k = 0; k < 8; k++) r.push(L.add(i64));
  const t = L.add(i64);
  const carry = L.add(i64);
  /** Schoolbook product of the first `xDigits` digits of xs with all of ys, into r. */
  const product = (xs: number[], ys: number[], xDigits: number): binaryen.ExpressionRef => {
    const out: binaryen.ExpressionRef[] = [];
    for (let k = 0; k < 8; k++) out.push(m.local.set(r[k]!, m.i64.const(0n)));
    for (let i = 0; i < xDigits; i++) {
      out.push(m.local.set(carry, m.i64.const(0n)));
      for (let j = 0; i + j < 8; j++) {
        // t = x[i]*y[j] + r[i+j] + carry < 2^64
        out.push(m.local.set(t, m.i64.add(m.i64.add(m.i64.mul(m.local.get(xs[i]!, i64), m.local.get(ys[j]!, i64)), m.local.get(r[i + j]!, i64)), m.local.get(carry, i64))));
        out.push(m.local.set(r[i + j]!, lo32(m.local.get(t, i64))));
        out.push(m.local.set(carry, m.i64.shr_u(m.local.get(t, i64), m.i64.const(32n))));
      }
    }
    return m.block(null, out);
  };
  const high3Zero = (first: number) => m.i64.eqz(m.i64.or(m.i64.or(m.local.get(first + 1, i64), m.local.get(first + 2, i64)), m.local.get(first + 3, i64)));
  body.push(m.if(high3Zero(4), product(y, x, 2), m.if(high3Zero(0), product(x, y, 2), product(x, y, 8))));
  for (let k = 0; k < 4; k++) {
    body.push(m.global.set(RESULT_GLOBALS[k]!, m.i64.or(m.local.get(r[2 * k]!, i64), m.i64.shl(m.local.get(r[2 * k + 1]!, i64), m.i64.const(32n)))));
  }
  m.addFunction(HELPER_MUL, binaryen.createType([i64, i64, i64, i64, i64, i64, i64, i64]), binaryen.none, L.vars, m.block(null, body));
}

/**
 * shl256 / shr256(n: i32 in 0..256, x0..x3): x shifted by n bits (n = 256 gives 0) into r0..r3.
 * Limb move by q = n >> 6 (selects), then a bit shift by b = n & 63 with the neighbour's bits
 * (masked off when b = 0: wasm shifts are modulo 64).
 */
function addShift(m: binaryen.Module, dir: 'left' | 'right'): void {
  const L = new Locals(5);
  const n = 0;
  const xs = [1, 2, 3, 4];
  const q = L.add(i32);
  const b = L.add(i32);
  const y = [L.add(i64), L.add(i64), L.add(i64), L.add(i64)];
  const body: binaryen.ExpressionRef[] = [];
  const zero = () => m.i64.const(0n);
  body.push(m.local.set(q, m.i32.shr_u(m.local.get(n, i32), m.i32.const(6))));
  body.push(m.local.set(b, m.i32.and(m.local.get(n, i32), m.i32.const(63))));
  // y_k = x_{k+q} (right) or x_{k-q} (left), 0 outside (q = 4 empties the word)
  const src = (k: number, qq: number) => (dir === 'right' ? k + qq : k - qq);
  for (let k = 0; k < 4; k++) {
    let e: binaryen.ExpressionRef = zero();
    for (let qq = 3; qq >= 0; qq--) {
      const s = src(k, qq);
      const v = s >= 0 && s < 4 ? m.local.get(xs[s]!, i64) : zero();
      e = m.select(m.i32.eq(m.local.get(q, i32), m.i32.const(qq)), v, e);
    }
    body.push(m.local.set(y[k]!, e));
  }
  const b64 = () => m.i64.extend_u(m.local.get(b, i32));
  const inv = () => m.i64.extend_u(m.i32.sub(m.i32.const(64), m.local.get(b, i32)));
  const bNonZero = () => m.i32.ne(m.local.get(b, i32), m.i32.const(0));
  for (let k = 0; k < 4; k++) {
    const yk = () => m.local.get(y[k]!, i64);
    const nb = dir === 'right' ? k + 1 : k - 1; // the neighbour whose bits move in
    const main = dir === 'right' ? m.i64.shr_u(yk(), b64()) : m.i64.shl(yk(), b64());
    let e = main;
    if (nb >= 0 && nb < 4) {
      const spill = dir === 'right' ? m.i64.shl(m.local.get(y[nb]!, i64), inv()) : m.i64.shr_u(m.local.get(y[nb]!, i64), inv());
      e = m.i64.or(main, m.select(bNonZero(), spill, zero()));
    }
    body.push(m.global.set(RESULT_GLOBALS[k]!, e));
  }
  m.addFunction(dir === 'left' ? HELPER_SHL : HELPER_SHR, binaryen.createType([i32, i64, i64, i64, i64]), binaryen.none, L.vars, m.block(null, body));
}
