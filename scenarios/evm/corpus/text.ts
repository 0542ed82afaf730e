/**
 * Byte and string code: solady's LibString (decimal, hexadecimal, EIP-55, replace, upper case)
 * and Base64 from solady and OpenZeppelin, checked against JavaScript's own string functions,
 * Node's base64 and an EIP-55 checksum computed with @noble/hashes.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { concatBytes } from '../../../src/evm/hex.js';
import { WORKLOAD_CONTRACT } from '../call.js';
import { sha256Message } from '../workloads.js';
import { encodeFunctionCall } from './abi.js';
import { lcg } from './model.js';
import { deployStep } from './steps.js';
import type { CorpusWorkload } from './types.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** EIP-55: a letter of the lower-case hex address is upper case where the keccak256 of that text has a nibble >= 8. */
export function checksumAddress(a: bigint): string {
  const hex = a.toString(16).padStart(40, '0');
  const hash = keccak_256(utf8(hex));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    out += nibble >= 8 ? hex[i]!.toUpperCase() : hex[i]!;
  }
  return out;
}

/** StringsHarness.run with JavaScript's number formatting. */
function stringsModel(n: number, seed: number): Uint8Array {
  let h = new Uint8Array(32);
  let x = BigInt(seed >>> 0);
  for (let i = 0; i < n; i++) {
    x = lcg(x);
    const d = (x >> BigInt(i % 256)).toString();
    const neg = x >> 130n;
    const hx = `0x${x.toString(16).padStart(64, '0')}`;
    const numbers = d + (neg === 0n ? '0' : `-${neg}`) + d.replaceAll('1', 'one');
    const hexes = hx + `0x${(x >> 200n).toString(16)}` + checksumAddress(x & ((1n << 160n) - 1n)) + hx.toUpperCase();
    h = keccak_256(concatBytes(h, utf8(numbers), utf8(hexes)));
  }
  return h;
}

/** Base64Harness.run: standard base64 (padded), base64url (unpadded), and the message twice (both decodes). */
function base64Model(n: number, seed: number): Uint8Array {
  const m = Buffer.from(sha256Message(seed >>> 0, n));
  return keccak_256(concatBytes(utf8(m.toString('base64')), utf8(m.toString('base64url')), m, m));
}

export const TEXT_WORKLOADS: readonly CorpusWorkload[] = [
  {
    id: 'solady-string',
    description: 'solady LibString: decimal (unsigned, signed), padded and minimal hex, EIP-55 checksummed addresses, replace and upper case of n generated words, all hashed (n = 200)',
    origin: [{ package: 'solady', file: 'src/utils/LibString.sol', contract: 'LibString', use: 'source' }],
    check: 'reference',
    file: 'SoladyStrings.sol',
    contract: 'StringsHarness',
    signature: 'run(uint256,uint256)',
    defaultSizes: [200],
    maxN: 1e5,
    setup: (ctx) => [deployStep('StringsHarness', WORKLOAD_CONTRACT, ctx.artifact('StringsHarness').creation)],
    calldata: (n, seed) => encodeFunctionCall('run(uint256,uint256)', [BigInt(n), BigInt(seed >>> 0)]),
    expected: stringsModel,
  },
  {
    id: 'base64',
    description: 'Base64 of an n-byte message both ways with two libraries: solady encode/decode (standard, padded) and OpenZeppelin encodeURL/decode (URL-safe, unpadded) (n = 8192 bytes)',
    origin: [
      { package: 'solady', file: 'src/utils/Base64.sol', contract: 'Base64', use: 'source' },
      { package: '@openzeppelin/contracts', file: 'utils/Base64.sol', contract: 'Base64', use: 'source' },
    ],
    check: 'reference',
    file: 'Base64s.sol',
    contract: 'Base64Harness',
    signature: 'run(uint32,uint256)',
    defaultSizes: [8192],
    maxN: 1e5,
    setup: (ctx) => [deployStep('Base64Harness', WORKLOAD_CONTRACT, ctx.artifact('Base64Harness').creation)],
    calldata: (n, seed) => encodeFunctionCall('run(uint32,uint256)', [BigInt(seed >>> 0), BigInt(n)]),
    expected: base64Model,
  },
];
