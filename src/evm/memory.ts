/**
 * EVM memory: a byte array that grows in 32-byte words, and the expansion gas rule
 * (3w + w^2/512 for the total, charged by difference).
 */
import { memoryCost } from './gas.js';
import { copyBytes } from './byte-arena.js';

/** Memory above this many bytes is refused as out of gas (it would cost ~2^45 gas; no real limit buys it). */
export const MEMORY_HARD_LIMIT = 2 ** 32;

export class Memory {
  /** Backing store; its length is the capacity, `size` the EVM-visible size. */
  buf: Uint8Array;
  /** Active size in bytes (always a multiple of 32): MSIZE. */
  size = 0;

  constructor(initialCapacity = 4096) {
    this.buf = new Uint8Array(initialCapacity);
  }

  /** Grow the active size to cover `end` bytes (rounded up to a word). Gas is the caller's job. */
  grow(end: number): void {
    const newSize = Math.ceil(end / 32) * 32;
    if (newSize <= this.size) return;
    if (newSize > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < newSize) cap *= 2;
      const nb = new Uint8Array(cap);
      nb.set(this.buf.subarray(0, this.size));
      this.buf = nb;
    }
    this.size = newSize;
  }

  /** A copy of `len` bytes at `offset` (which must already be inside the active size when len > 0). */
  read(offset: number, len: number): Uint8Array {
    if (len === 0) return new Uint8Array(0);
    return copyBytes(this.buf, offset, offset + len);
  }

  /** Write `len` bytes from `src` at `srcOffset`, zero-filling past the end of `src` (the copy opcodes). */
  writePadded(offset: number, src: Uint8Array, srcOffset: number, len: number): void {
    if (len === 0) return;
    const avail = srcOffset >= src.length ? 0 : Math.min(len, src.length - srcOffset);
    if (avail > 0) this.buf.set(src.subarray(srcOffset, srcOffset + avail), offset);
    if (avail < len) this.buf.fill(0, offset + avail, offset + len);
  }
}

/**
 * Gas to expand memory of `currentSize` bytes so that [offset, offset + len) is inside it.
 * Offsets and lengths are numbers; an operand that did not fit (Infinity) or a size above
 * MEMORY_HARD_LIMIT costs Infinity (out of gas). A zero length never expands.
 */
export function memoryExpansionCost(currentSize: number, offset: number, len: number): number {
  if (len === 0) return 0;
  const end = offset + len;
  if (end <= currentSize) return 0;
  if (!(end <= MEMORY_HARD_LIMIT)) return Infinity;
  return memoryCost(Math.ceil(end / 32)) - memoryCost(currentSize / 32);
}
