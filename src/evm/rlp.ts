/** RLP encoding (yellow paper appendix B): byte strings and nested lists. */

export type RlpInput = Uint8Array | RlpInput[];

function encodeLength(len: number, offset: number): Uint8Array {
  if (len < 56) return Uint8Array.of(offset + len);
  const bytes: number[] = [];
  for (let l = len; l > 0; l = Math.floor(l / 256)) bytes.unshift(l % 256);
  return Uint8Array.of(offset + 55 + bytes.length, ...bytes);
}

export function rlpEncode(input: RlpInput): Uint8Array {
  if (input instanceof Uint8Array) {
    if (input.length === 1 && input[0]! < 0x80) return input;
    const head = encodeLength(input.length, 0x80);
    const out = new Uint8Array(head.length + input.length);
    out.set(head);
    out.set(input, head.length);
    return out;
  }
  const items = input.map(rlpEncode);
  let n = 0;
  for (const it of items) n += it.length;
  const head = encodeLength(n, 0xc0);
  const out = new Uint8Array(head.length + n);
  out.set(head);
  let o = head.length;
  for (const it of items) {
    out.set(it, o);
    o += it.length;
  }
  return out;
}

/** Minimal big-endian bytes of a non-negative integer (0 is the empty string), as RLP wants. */
export function rlpInt(v: bigint | number): Uint8Array {
  let x = BigInt(v);
  const bytes: number[] = [];
  while (x > 0n) {
    bytes.unshift(Number(x & 0xffn));
    x >>= 8n;
  }
  return Uint8Array.from(bytes);
}
