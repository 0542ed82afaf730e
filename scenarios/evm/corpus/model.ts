/**
 * Pieces the corpus harness contracts and their TypeScript reference models share: the seeded
 * generator, the FNV-style fold of a checksum, and the fixed addresses of the pre-state.
 */
const MOD = 1n << 256n;
const FNV_PRIME = 0x100000001b3n;

/** The harnesses' generator: x = x * 6364136223846793005 + 1442695040888963407 mod 2^256. */
export function lcg(x: bigint): bigint {
  return (x * 6364136223846793005n + 1442695040888963407n) % MOD;
}

/** checksum = checksum * FNV_PRIME ^ v (mod 2^256), over the values in order. */
export function fnvFold(values: readonly bigint[], start = 0n): bigint {
  return values.reduce((c, v) => ((c * FNV_PRIME) % MOD) ^ BigInt.asUintN(256, v), start);
}

/** An address with the given low bits (the harnesses' fixed accounts), lower-case 0x-hex. */
export function fixedAddress(low: number | bigint): string {
  return `0x${BigInt(low).toString(16).padStart(40, '0')}`;
}

/** The token holders of the token workloads: 0x...1000 + k. */
export function holder(k: number): string {
  return fixedAddress(0x1000 + k);
}
