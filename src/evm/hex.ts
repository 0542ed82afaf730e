/** Hex <-> bytes/bigint helpers shared by the EVM core. Accepts input with or without `0x`. */

const HEX = '0123456789abcdef';
const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, i) => HEX[i >> 4]! + HEX[i & 15]!);

export function strip0x(s: string): string {
  return s.startsWith('0x') || s.startsWith('0X') ? s.slice(2) : s;
}

/** Bytes of a hex string (`0x` optional; an odd length is padded with a leading zero). */
export function hexToBytes(hex: string): Uint8Array {
  let h = strip0x(hex.trim());
  if (h.length % 2 === 1) h = '0' + h;
  if (!/^[0-9a-fA-F]*$/.test(h)) throw new RangeError(`not a hex string: ${hex.length > 40 ? hex.slice(0, 40) + '...' : hex}`);
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(i * 2, 2), 16);
  return out;
}

/** `0x`-prefixed lowercase hex of bytes. */
export function bytesToHex(b: Uint8Array): string {
  let s = '0x';
  for (let i = 0; i < b.length; i++) s += BYTE_HEX[b[i]!]!;
  return s;
}

/** A bigint from a `0x` hex or decimal string (leading zeros allowed; `0x` alone is 0). */
export function parseQuantity(v: string | number | bigint): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  const s = v.trim();
  if (s === '0x' || s === '0X' || s === '') return 0n;
  return BigInt(s);
}

export function bigintToHex(v: bigint): string {
  return '0x' + v.toString(16);
}

/** Big-endian bytes of a non-negative bigint, padded to `len` bytes (or minimal when len is omitted). */
export function bigintToBytes(v: bigint, len?: number): Uint8Array {
  let h = v.toString(16);
  if (h.length % 2) h = '0' + h;
  if (v === 0n) h = '';
  const raw = hexToBytes(h);
  if (len === undefined || raw.length === len) return raw;
  if (raw.length > len) throw new RangeError(`value does not fit in ${len} bytes`);
  const out = new Uint8Array(len);
  out.set(raw, len - raw.length);
  return out;
}

export function bytesToBigint(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  return BigInt(bytesToHex(b));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
