/**
 * JUMPDEST analysis, done once per code array: a bitmap with a 1 where a JUMPDEST opcode starts
 * (bytes inside PUSH data are skipped). Cached per code object.
 */

const cache = new WeakMap<Uint8Array, Uint32Array>();

export function analyzeJumpdests(code: Uint8Array): Uint32Array {
  const bits = new Uint32Array((code.length + 31) >>> 5);
  for (let pc = 0; pc < code.length; pc++) {
    const op = code[pc]!;
    if (op === 0x5b) bits[pc >>> 5] |= 1 << (pc & 31);
    else if (op >= 0x60 && op <= 0x7f) pc += op - 0x5f;
  }
  return bits;
}

/** The (cached) jumpdest bitmap of a code array. */
export function jumpdests(code: Uint8Array): Uint32Array {
  let m = cache.get(code);
  if (!m) {
    m = analyzeJumpdests(code);
    cache.set(code, m);
  }
  return m;
}

/** Whether `dest` (any number; non-integers and out-of-range values are invalid) is a JUMPDEST. */
export function isValidJumpdest(bits: Uint32Array, codeLength: number, dest: number): boolean {
  return dest >= 0 && dest < codeLength && ((bits[dest >>> 5]! >>> (dest & 31)) & 1) === 1;
}
