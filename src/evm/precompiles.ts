/**
 * Precompiled contracts per fork. Implemented: ecrecover (1), sha256 (2), ripemd160 (3),
 * identity (4) from Frontier; modexp (5) from Byzantium (EIP-198 gas, EIP-2565 from Berlin);
 * bn254 add / mul / pairing check (6-8) from Byzantium (EIP-196, EIP-197; Byzantium gas, EIP-1108
 * gas from Istanbul; on @noble/curves, in precompiles/bn254.ts); blake2f (9) from Istanbul
 * (EIP-152, our own compression function with any round count, in precompiles/blake2f.ts).
 * Known but not implemented yet (calling them throws EvmUnsupportedError, never a wrong answer):
 * KZG point evaluation (0x0a, Cancun), BLS12-381 (0x0b-0x11, Prague).
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Address } from './address.js';
import { type Fork, isForkAtLeast } from './fork.js';
import { bytesToBigint, bigintToBytes } from './hex.js';
import { keccak256 } from './keccak.js';
import { modexp256 } from './u256.js';
import { blake2f, blake2fRounds } from './precompiles/blake2f.js';
import { bn254Add, bn254Mul, bn254Pairing } from './precompiles/bn254.js';

export interface PrecompileResult {
  /** False: the call fails and all its gas is consumed. */
  ok: boolean;
  gasUsed: number;
  output: Uint8Array;
}

export type Precompile = (input: Uint8Array, gas: number, fork: Fork) => PrecompileResult;

export class EvmUnsupportedError extends Error {
  override name = 'EvmUnsupportedError';
}

const words = (n: number) => Math.ceil(n / 32);
const OOG: PrecompileResult = { ok: false, gasUsed: 0, output: new Uint8Array(0) };
/** Invalid input: the call fails like an out-of-gas one (all its gas is consumed). */
const FAILURE = OOG;

function priced(cost: number, gas: number, out: () => Uint8Array): PrecompileResult {
  if (cost > gas) return OOG;
  return { ok: true, gasUsed: cost, output: out() };
}

/** Input bytes [off, off + len) with zero padding past the end. */
function slice(input: Uint8Array, off: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  if (off < input.length) out.set(input.subarray(off, Math.min(input.length, off + len)));
  return out;
}

const SECP_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const ecrecover: Precompile = (input, gas) =>
  priced(3000, gas, () => {
    const d = slice(input, 0, 128);
    const hash = d.subarray(0, 32);
    const v = bytesToBigint(d.subarray(32, 64));
    const r = bytesToBigint(d.subarray(64, 96));
    const s = bytesToBigint(d.subarray(96, 128));
    if ((v !== 27n && v !== 28n) || r === 0n || s === 0n || r >= SECP_N || s >= SECP_N) return new Uint8Array(0);
    try {
      const sig = new secp256k1.Signature(r, s, Number(v - 27n));
      const pub = sig.recoverPublicKey(hash).toBytes(false);
      const out = new Uint8Array(32);
      out.set(keccak256(pub.subarray(1)).subarray(12), 12);
      return out;
    } catch {
      return new Uint8Array(0);
    }
  });

const sha256Pc: Precompile = (input, gas) => priced(60 + 12 * words(input.length), gas, () => sha256(input));

const ripemdPc: Precompile = (input, gas) =>
  priced(600 + 120 * words(input.length), gas, () => {
    const out = new Uint8Array(32);
    out.set(ripemd160(input), 12);
    return out;
  });

const identity: Precompile = (input, gas) => priced(15 + 3 * words(input.length), gas, () => input.slice());

function bitLen(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

const modexp: Precompile = (input, gas, fork) => {
  const bLen = bytesToBigint(slice(input, 0, 32));
  const eLen = bytesToBigint(slice(input, 32, 32));
  const mLen = bytesToBigint(slice(input, 64, 32));
  // The price comes first, from the lengths alone (each up to 2^256 - 1): huge lengths are not a
  // failure by themselves. With base and modulus empty the price is 0 (EIP-198) or 200 (EIP-2565)
  // whatever the exponent's length.
  const eStart = 96n + bLen;
  const eHead = eStart >= BigInt(input.length) ? 0n : bytesToBigint(slice(input, Number(eStart), eLen < 32n ? Number(eLen) : 32));
  const adjExpLen = (eLen > 32n ? 8n * (eLen - 32n) : 0n) + BigInt(Math.max(bitLen(eHead) - 1, 0));
  const iterations = adjExpLen < 1n ? 1n : adjExpLen;
  const x = bLen > mLen ? bLen : mLen;
  let cost: bigint;
  if (isForkAtLeast(fork, 'berlin')) {
    const w = (x + 7n) / 8n;
    cost = (w * w * iterations) / 3n;
    if (cost < 200n) cost = 200n;
  } else {
    const c = x <= 64n ? x * x : x <= 1024n ? (x * x) / 4n + 96n * x - 3072n : (x * x) / 16n + 480n * x - 199680n;
    cost = (c * iterations) / 20n;
  }
  if (cost > BigInt(gas)) return OOG;
  const gasUsed = Number(cost);
  if (mLen === 0n) return { ok: true, gasUsed, output: new Uint8Array(0) };
  // Paid for, with a non-empty modulus: every length is now bounded by the gas (the price grows
  // with the square of max(base, modulus) and linearly with the exponent's length).
  const bl = Number(bLen);
  const el = Number(eLen);
  const ml = Number(mLen);
  const base = bytesToBigint(slice(input, 96, bl));
  const exponent = bytesToBigint(slice(input, 96 + bl, el));
  const m = bytesToBigint(slice(input, 96 + bl + el, ml));
  let result = 0n;
  if (m > 1n) {
    // operands within 256 bits: the WebAssembly routine; beyond (or without WebAssembly): BigInt
    const fast = modexp256(base, exponent, m);
    if (fast !== undefined) result = fast;
    else {
      result = 1n;
      let b = base % m;
      let e = exponent;
      while (e > 0n) {
        if (e & 1n) result = (result * b) % m;
        b = (b * b) % m;
        e >>= 1n;
      }
    }
  }
  return { ok: true, gasUsed, output: bigintToBytes(result, ml) };
};

/** Charge `cost`, then run `out`: undefined from it is a failure (all gas consumed). */
function pricedOrFail(cost: number, gas: number, out: () => Uint8Array | undefined): PrecompileResult {
  if (cost > gas) return OOG;
  const output = out();
  return output ? { ok: true, gasUsed: cost, output } : FAILURE;
}

// EIP-196 / EIP-197 prices, lowered by EIP-1108 from Istanbul.
const bnAdd: Precompile = (input, gas, fork) => pricedOrFail(isForkAtLeast(fork, 'istanbul') ? 150 : 500, gas, () => bn254Add(slice(input, 0, 128)));

const bnMul: Precompile = (input, gas, fork) => pricedOrFail(isForkAtLeast(fork, 'istanbul') ? 6000 : 40000, gas, () => bn254Mul(slice(input, 0, 96)));

const bnPairing: Precompile = (input, gas, fork) => {
  if (input.length % 192 !== 0) return FAILURE;
  const k = input.length / 192;
  const cost = isForkAtLeast(fork, 'istanbul') ? 45000 + 34000 * k : 100000 + 80000 * k;
  return pricedOrFail(cost, gas, () => bn254Pairing(input));
};

// EIP-152: 1 gas per round; a length other than 213 or a final flag other than 0 / 1 fails.
const blake2fPc: Precompile = (input, gas) => pricedOrFail(blake2fRounds(input), gas, () => blake2f(input));

function unsupported(name: string): Precompile {
  return () => {
    throw new EvmUnsupportedError(`precompile ${name} is not implemented yet`);
  };
}

interface Entry {
  address: number;
  since: Fork;
  fn: Precompile;
}

const ENTRIES: Entry[] = [
  { address: 1, since: 'frontier', fn: ecrecover },
  { address: 2, since: 'frontier', fn: sha256Pc },
  { address: 3, since: 'frontier', fn: ripemdPc },
  { address: 4, since: 'frontier', fn: identity },
  { address: 5, since: 'byzantium', fn: modexp },
  { address: 6, since: 'byzantium', fn: bnAdd },
  { address: 7, since: 'byzantium', fn: bnMul },
  { address: 8, since: 'byzantium', fn: bnPairing },
  { address: 9, since: 'istanbul', fn: blake2fPc },
  { address: 0x0a, since: 'cancun', fn: unsupported('KZG point evaluation') },
  ...[0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11].map((address) => ({ address, since: 'prague' as Fork, fn: unsupported('BLS12-381') })),
];

const addr = (n: number): Address => '0x' + n.toString(16).padStart(40, '0');

const tables = new Map<Fork, Map<Address, Precompile>>();

/** The precompiles active in a fork, by address. */
export function precompiles(fork: Fork): Map<Address, Precompile> {
  let m = tables.get(fork);
  if (!m) {
    m = new Map();
    for (const e of ENTRIES) if (isForkAtLeast(fork, e.since)) m.set(addr(e.address), e.fn);
    tables.set(fork, m);
  }
  return m;
}
