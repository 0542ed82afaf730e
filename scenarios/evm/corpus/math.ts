/**
 * Arithmetic libraries from solady: signed fixed point (SDIV, SMOD, SAR, SIGNEXTEND) checked
 * against a BigInt model, the transcendental functions (no exact reference: checked by the
 * engines' agreement), and LibSort checked against a JavaScript sort.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { WORKLOAD_CONTRACT } from '../call.js';
import { encodeFunctionCall, encodeWords, word } from './abi.js';
import { lcg } from './model.js';
import { deployStep } from './steps.js';
import type { CorpusWorkload } from './types.js';

const SOLADY = 'solady';
const FIXED_POINT = { package: SOLADY, file: 'src/utils/FixedPointMathLib.sol', contract: 'FixedPointMathLib', use: 'source' } as const;
const WAD = 10n ** 18n;
const i256 = (v: bigint) => BigInt.asIntN(256, v);

/** The same steps as SignedMathHarness.run, in BigInt: division truncates toward zero like SDIV, >> floors like SAR. */
function signedModel(n: number, seed: number): bigint {
  let acc = 0n;
  let x = BigInt(seed >>> 0);
  const sMulWad = (a: bigint, b: bigint) => (a * b) / WAD;
  const sDivWad = (a: bigint, b: bigint) => (a * WAD) / b;
  const abs = (v: bigint) => (v < 0n ? -v : v);
  for (let i = 0; i < n; i++) {
    x = lcg(x);
    const a = BigInt.asIntN(128, x >> 64n);
    const b = BigInt.asIntN(64, x >> 192n) | 1n;
    const c = BigInt.asIntN(96, x);
    acc = acc ^ sMulWad(a, b);
    acc = i256(acc + sDivWad(c, b));
    acc = acc ^ a / b ^ a % (c | 1n);
    acc = i256(acc + (a >> BigInt(i % 131)) + ((a >> 1n) + (c >> 1n) + (a & c & 1n)));
    acc = acc ^ abs(a - c) ^ (a > c ? a : c) ^ (b < c ? b : c);
    acc = i256(acc + sMulWad(acc >> 130n, b));
  }
  return acc;
}

/** SortHarness.run: the unsigned words deduplicated and sorted, then the signed ones sorted, hashed together. */
function sortModel(n: number, seed: number): Uint8Array {
  const a: bigint[] = [];
  const b: bigint[] = [];
  let x = BigInt(seed >>> 0);
  for (let i = 0; i < n; i++) {
    x = lcg(x);
    a.push((x >> 128n) % BigInt(Math.floor(n / 2) + 1));
    b.push(BigInt.asIntN(256, x) >> 3n);
  }
  const cmp = (p: bigint, q: bigint) => (p < q ? -1 : p > q ? 1 : 0);
  const unique = [...new Set(a)].sort(cmp);
  return keccak_256(encodeWords([...unique, ...b.sort(cmp)]));
}

const runCall = (n: number, seed: number) => encodeFunctionCall('run(uint256,uint256)', [BigInt(n), BigInt(seed >>> 0)]);

export const MATH_WORKLOADS: readonly CorpusWorkload[] = [
  {
    id: 'solady-signed',
    description: 'solady FixedPointMathLib signed fixed point (sMulWad, sDivWad, rawSDiv, rawSMod, avg, dist, min, max) on int128/int64/int96 operands: SDIV, SMOD, SAR, SIGNEXTEND (n = 2000)',
    origin: [FIXED_POINT],
    check: 'reference',
    file: 'SoladySigned.sol',
    contract: 'SignedMathHarness',
    signature: 'run(uint256,uint256)',
    defaultSizes: [2000],
    maxN: 1e6,
    setup: (ctx) => [deployStep('SignedMathHarness', WORKLOAD_CONTRACT, ctx.artifact('SignedMathHarness').creation)],
    calldata: runCall,
    expected: (n, seed) => word(signedModel(n, seed)),
  },
  {
    id: 'solady-expln',
    description: 'solady FixedPointMathLib lnWad, expWad, powWad, lambertW0Wad, sqrtWad, cbrtWad on n inputs in (0, 100] (n = 300) (approximations: no exact reference)',
    origin: [FIXED_POINT],
    check: 'engines',
    file: 'SoladyExpLn.sol',
    contract: 'ExpLnHarness',
    signature: 'run(uint256,uint256)',
    defaultSizes: [300],
    maxN: 1e6,
    setup: (ctx) => [deployStep('ExpLnHarness', WORKLOAD_CONTRACT, ctx.artifact('ExpLnHarness').creation)],
    calldata: runCall,
  },
  {
    id: 'solady-sort',
    description: 'solady LibSort: n unsigned words with repeats sorted and deduplicated, n signed words sorted (intro-quicksort in assembly) (n = 2000)',
    origin: [{ package: SOLADY, file: 'src/utils/LibSort.sol', contract: 'LibSort', use: 'source' }],
    check: 'reference',
    file: 'SoladySort.sol',
    contract: 'SortHarness',
    signature: 'run(uint256,uint256)',
    defaultSizes: [2000],
    maxN: 1e5,
    setup: (ctx) => [deployStep('SortHarness', WORKLOAD_CONTRACT, ctx.artifact('SortHarness').creation)],
    calldata: runCall,
    expected: sortModel,
  },
];
