/**
 * Constant folding for the compiler: a pure opcode whose operands are all constants on the
 * virtual stack becomes a constant, at no run-time cost and without its code in the module.
 * solc's legacy output is full of them (the division-by-zero check of `x / 7` is `PUSH1 7 ISZERO`,
 * address masks are `PUSH1 1 PUSH1 0xa0 SHL SUB`, selectors are shifted constants). Gas is not
 * affected: these opcodes' cost is static, charged with their block. EXP is left out (its gas
 * depends on the exponent; compile.ts handles a constant exponent itself).
 */
const M256 = (1n << 256n) - 1n;
const signed = (x: bigint) => BigInt.asIntN(256, x);
const unsigned = (x: bigint) => BigInt.asUintN(256, x);
const bool = (b: boolean) => (b ? 1n : 0n);

/** Opcode -> its number of operands, for the opcodes `foldConstant` knows. */
export const FOLDABLE_INPUTS: ReadonlyMap<number, number> = new Map([
  [0x01, 2], [0x02, 2], [0x03, 2], [0x04, 2], [0x05, 2], [0x06, 2], [0x07, 2], [0x08, 3], [0x09, 3], [0x0b, 2],
  [0x10, 2], [0x11, 2], [0x12, 2], [0x13, 2], [0x14, 2], [0x15, 1], [0x16, 2], [0x17, 2], [0x18, 2], [0x19, 1],
  [0x1a, 2], [0x1b, 2], [0x1c, 2], [0x1d, 2],
]);

/** The result of `op` on `x` (x[0] the top of the stack), exactly as the EVM defines it. */
export function foldConstant(op: number, x: readonly bigint[]): bigint {
  const a = x[0]!;
  const b = x[1]!;
  switch (op) {
    case 0x01:
      return (a + b) & M256;
    case 0x02:
      return (a * b) & M256;
    case 0x03:
      return unsigned(a - b);
    case 0x04:
      return b === 0n ? 0n : a / b;
    case 0x05:
      return b === 0n ? 0n : unsigned(signed(a) / signed(b));
    case 0x06:
      return b === 0n ? 0n : a % b;
    case 0x07:
      return b === 0n ? 0n : unsigned(signed(a) % signed(b));
    case 0x08:
      return x[2] === 0n ? 0n : (a + b) % x[2]!;
    case 0x09:
      return x[2] === 0n ? 0n : (a * b) % x[2]!;
    case 0x0b: {
      // SIGNEXTEND(k, value): extend from byte k (counted from the low end)
      if (a >= 31n) return b;
      const bits = 8n * (a + 1n);
      return unsigned(BigInt.asIntN(Number(bits), b));
    }
    case 0x10:
      return bool(a < b);
    case 0x11:
      return bool(a > b);
    case 0x12:
      return bool(signed(a) < signed(b));
    case 0x13:
      return bool(signed(a) > signed(b));
    case 0x14:
      return bool(a === b);
    case 0x15:
      return bool(a === 0n);
    case 0x16:
      return a & b;
    case 0x17:
      return a | b;
    case 0x18:
      return a ^ b;
    case 0x19:
      return M256 ^ a;
    case 0x1a:
      return a < 32n ? (b >> (8n * (31n - a))) & 0xffn : 0n;
    case 0x1b:
      return a >= 256n ? 0n : (b << a) & M256;
    case 0x1c:
      return a >= 256n ? 0n : b >> a;
    case 0x1d:
      return a >= 256n ? (signed(b) < 0n ? M256 : 0n) : unsigned(signed(b) >> a);
    default:
      throw new Error(`evm-native: no constant folding for opcode 0x${op.toString(16)}`);
  }
}
