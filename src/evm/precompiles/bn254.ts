/**
 * bn254 (alt_bn128) point addition, scalar multiplication and pairing check: the computations of
 * precompiles 0x06, 0x07 and 0x08 (EIP-196, EIP-197), on @noble/curves. The callers charge the gas
 * and pad or truncate the input; these functions return undefined when the call must fail.
 *
 * Encoding: a G1 point is x || y (32-byte big-endian each), a G2 point is
 * x_imaginary || x_real || y_imaginary || y_real; all zeros is the point at infinity. A coordinate
 * >= the field modulus p, or a point not on its curve (G2: not in the order-r subgroup either) is
 * invalid. G1 has cofactor 1, so every point on it is in the subgroup.
 */
import { bn254 } from '@noble/curves/bn254.js';
import { bigintToBytes, bytesToBigint } from '../hex.js';

const { Fp, Fp2, Fp12 } = bn254.fields;
const G1 = bn254.G1.Point;
const G2 = bn254.G2.Point;
type G1Point = typeof G1.BASE;
type G2Point = typeof G2.BASE;

/** The base field's modulus. */
export const BN254_P = Fp.ORDER;
/** The order of G1 and G2 (the scalar field's modulus). */
export const BN254_R = bn254.fields.Fr.ORDER;

/** A coordinate at [off, off + 32), or undefined if it is not below p. */
function coord(b: Uint8Array, off: number): bigint | undefined {
  const v = bytesToBigint(b.subarray(off, off + 32));
  return v < BN254_P ? v : undefined;
}

/** The G1 point encoded in 64 bytes at `off`, or undefined if invalid. */
function decodeG1(b: Uint8Array, off: number): G1Point | undefined {
  const x = coord(b, off);
  const y = coord(b, off + 32);
  if (x === undefined || y === undefined) return undefined;
  if (x === 0n && y === 0n) return G1.ZERO;
  try {
    const p = G1.fromAffine({ x, y }); // throws for y = 0 (never on the curve: G1 has odd order)
    p.assertValidity();
    return p;
  } catch {
    return undefined; // not on the curve
  }
}

/** The G2 point encoded in 128 bytes at `off`, or undefined if invalid (including not in the subgroup). */
function decodeG2(b: Uint8Array, off: number): G2Point | undefined {
  const xi = coord(b, off);
  const xr = coord(b, off + 32);
  const yi = coord(b, off + 64);
  const yr = coord(b, off + 96);
  if (xi === undefined || xr === undefined || yi === undefined || yr === undefined) return undefined;
  if (xi === 0n && xr === 0n && yi === 0n && yr === 0n) return G2.ZERO;
  try {
    const p = G2.fromAffine({ x: Fp2.fromBigTuple([xr, xi]), y: Fp2.fromBigTuple([yr, yi]) }); // throws for y = 0
    p.assertValidity(); // on the twist and in the order-r subgroup
    return p;
  } catch {
    return undefined;
  }
}

function encodeG1(p: G1Point): Uint8Array {
  const out = new Uint8Array(64);
  if (p.is0()) return out;
  const { x, y } = p.toAffine();
  out.set(bigintToBytes(x, 32), 0);
  out.set(bigintToBytes(y, 32), 32);
  return out;
}

/** ECADD on exactly 128 bytes: the sum's 64-byte encoding. */
export function bn254Add(input: Uint8Array): Uint8Array | undefined {
  const a = decodeG1(input, 0);
  const b = a && decodeG1(input, 64);
  if (!a || !b) return undefined;
  return encodeG1(a.add(b));
}

/** ECMUL on exactly 96 bytes (point, then a 256-bit scalar): the product's 64-byte encoding. */
export function bn254Mul(input: Uint8Array): Uint8Array | undefined {
  const p = decodeG1(input, 0);
  if (!p) return undefined;
  // every valid point has order r (or is infinity), so the scalar counts modulo r
  const s = bytesToBigint(input.subarray(64, 96)) % BN254_R;
  if (s === 0n || p.is0()) return new Uint8Array(64);
  return encodeG1(p.multiplyUnsafe(s));
}

/** The pairing check on k * 192 bytes (k >= 0): 32 bytes, 1 if the product of the pairings is 1, else 0. */
export function bn254Pairing(input: Uint8Array): Uint8Array | undefined {
  if (input.length % 192 !== 0) return undefined;
  const pairs: Array<{ g1: G1Point; g2: G2Point }> = [];
  for (let off = 0; off < input.length; off += 192) {
    const g1 = decodeG1(input, off);
    const g2 = g1 && decodeG2(input, off + 64);
    if (!g1 || !g2) return undefined;
    // e(O, Q) = e(P, O) = 1: a pair with infinity contributes nothing (both points are still validated)
    if (!g1.is0() && !g2.is0()) pairs.push({ g1, g2 });
  }
  const out = new Uint8Array(32);
  if (pairs.length === 0 || Fp12.eql(bn254.pairingBatch(pairs), Fp12.ONE)) out[31] = 1;
  return out;
}
