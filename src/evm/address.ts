/** Addresses: `0x` + 40 lowercase hex characters everywhere in the core. Conversions and CREATE/CREATE2 addresses. */
import { bytesToHex, hexToBytes, strip0x } from './hex.js';
import { keccak256 } from './keccak.js';
import { rlpEncode, rlpInt } from './rlp.js';

export type Address = string;

export const ZERO_ADDRESS: Address = '0x' + '0'.repeat(40);

/** Normalise an address given as hex (with or without 0x, any case, up to 20 bytes: left-padded). */
export function toAddress(v: string | bigint): Address {
  if (typeof v === 'bigint') return '0x' + (v & ((1n << 160n) - 1n)).toString(16).padStart(40, '0');
  const h = strip0x(v.trim()).toLowerCase();
  if (!/^[0-9a-f]{0,40}$/.test(h)) throw new RangeError(`not an address: ${v}`);
  return '0x' + h.padStart(40, '0');
}

export function addressToBytes(a: Address): Uint8Array {
  return hexToBytes(a);
}

export function bytesToAddress(b: Uint8Array): Address {
  return bytesToHex(b.length === 20 ? b : b.subarray(b.length - 20));
}

/**
 * Addresses recently made from stack words, direct-mapped by their low limb: a contract calls the
 * same few addresses over and over, and formatting one costs five number-to-hex conversions.
 */
const ADDRESS_CACHE_SLOTS = 256;
const cachedLimbs = new Uint32Array(ADDRESS_CACHE_SLOTS * 5);
const cachedAddresses: Array<Address | undefined> = new Array<Address | undefined>(ADDRESS_CACHE_SLOTS).fill(undefined);

/** The low 160 bits of a stack word (8 LE limbs at offset a) as an address. */
export function wordToAddress(w: Uint32Array, a: number): Address {
  const l0 = w[a]!, l1 = w[a + 1]!, l2 = w[a + 2]!, l3 = w[a + 3]!, l4 = w[a + 4]!;
  const slot = (l0 ^ (l0 >>> 8) ^ (l0 >>> 16)) & (ADDRESS_CACHE_SLOTS - 1);
  const c = slot * 5;
  const hit = cachedAddresses[slot];
  if (hit !== undefined && cachedLimbs[c] === l0 && cachedLimbs[c + 1] === l1 && cachedLimbs[c + 2] === l2 && cachedLimbs[c + 3] === l3 && cachedLimbs[c + 4] === l4) return hit;
  const addr = '0x' + hex8(l4) + hex8(l3) + hex8(l2) + hex8(l1) + hex8(l0);
  cachedLimbs[c] = l0;
  cachedLimbs[c + 1] = l1;
  cachedLimbs[c + 2] = l2;
  cachedLimbs[c + 3] = l3;
  cachedLimbs[c + 4] = l4;
  cachedAddresses[slot] = addr;
  return addr;
}
function hex8(v: number): string {
  return v.toString(16).padStart(8, '0');
}

/** Write an address into a stack word. */
export function addressToWord(addr: Address, w: Uint32Array, r: number): void {
  const h = addr.slice(2);
  for (let i = 0; i < 5; i++) w[r + i] = parseInt(h.substr(32 - i * 8, 8), 16);
  w[r + 5] = 0;
  w[r + 6] = 0;
  w[r + 7] = 0;
}

/** CREATE: keccak256(rlp([sender, nonce]))[12:]. */
export function createAddress(sender: Address, nonce: bigint): Address {
  return bytesToAddress(keccak256(rlpEncode([addressToBytes(sender), rlpInt(nonce)])).subarray(12));
}

/** CREATE2 (EIP-1014): keccak256(0xff ++ sender ++ salt ++ keccak256(initcode))[12:]. */
export function create2Address(sender: Address, salt: Uint8Array, initcode: Uint8Array): Address {
  const buf = new Uint8Array(1 + 20 + 32 + 32);
  buf[0] = 0xff;
  buf.set(addressToBytes(sender), 1);
  buf.set(salt, 21);
  buf.set(keccak256(initcode), 53);
  return bytesToAddress(keccak256(buf).subarray(12));
}
