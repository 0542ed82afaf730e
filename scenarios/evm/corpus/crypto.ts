/**
 * Cryptography in EVM code written by others: secp256r1 verification and key recovery in pure
 * Solidity (OpenZeppelin's P256), scalar multiplication by published Solidity 0.5 bytecode
 * (elliptic-solidity), SHA-1 in inline assembly (ENS), a keccak256 chain (solady) and Merkle
 * proofs (OpenZeppelin). Each answer comes from @noble (curves, hashes).
 */
import { p256 } from '@noble/curves/nist.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bigintToBytes, bytesToBigint, concatBytes } from '../../../src/evm/hex.js';
import { WORKLOAD_CONTRACT } from '../call.js';
import { sha256Message } from '../workloads.js';
import { encodeFunctionCall, encodeWords, word } from './abi.js';
import { fixedAddress, lcg } from './model.js';
import { deployStep, publishedCreationCode } from './steps.js';
import type { CorpusWorkload } from './types.js';

const OZ = '@openzeppelin/contracts';
const N = p256.Point.Fn.ORDER;
const HALF_N = N >> 1n;
/** Where elliptic-solidity's EllipticCurve contract is deployed. */
const CURVE = fixedAddress(0xc0003);
const ELLIPTIC_SOLIDITY = 'elliptic-solidity';
const ELLIPTIC_ARTIFACT = 'build/contracts/EllipticCurve.json';
/** Depth of the Merkle tree the proofs are drawn from (2^depth leaves). */
const MERKLE_DEPTH = 10;

const utf8 = (s: string) => new TextEncoder().encode(s);
const wordOf = (b: Uint8Array) => bytesToBigint(b);

interface SignedMessage {
  h: bigint;
  r: bigint;
  s: bigint;
  /** Recovery bit of (r, s) with s in the lower half. */
  v: number;
  qx: bigint;
  qy: bigint;
}

/** Signature i of a seed: a key and message derived from (seed, i), signed with low s (RFC 6979, deterministic). */
function signedMessage(seed: number, i: number): SignedMessage {
  const sk = bigintToBytes((wordOf(sha256(utf8(`p256 key ${seed} ${i}`))) % (N - 1n)) + 1n, 32);
  const hash = sha256(utf8(`p256 message ${seed} ${i}`));
  const sig = p256.Signature.fromBytes(p256.sign(hash, sk, { prehash: false, format: 'recovered' }), 'recovered');
  const high = sig.s > HALF_N;
  const q = p256.Point.fromBytes(p256.getPublicKey(sk, false));
  return { h: wordOf(hash), r: sig.r, s: high ? N - sig.s : sig.s, v: high ? 1 - sig.recovery! : sig.recovery!, qx: q.x, qy: q.y };
}

/**
 * The words verifyAll gets: (h, r, s, qx, qy) per signature; every fourth has its message changed
 * and every fourth (offset 3) its s flipped to the upper half, which P256 rejects as malleable.
 */
function verifyInputs(n: number, seed: number): bigint[][] {
  return Array.from({ length: n }, (_, i) => {
    const m = signedMessage(seed, i);
    if (i % 4 === 2) return [m.h ^ 1n, m.r, m.s, m.qx, m.qy];
    if (i % 4 === 3) return [m.h, m.r, N - m.s, m.qx, m.qy];
    return [m.h, m.r, m.s, m.qx, m.qy];
  });
}

function verifyExpected(n: number, seed: number): bigint {
  let bits = 0n;
  verifyInputs(n, seed).forEach(([h, r, s, qx, qy], i) => {
    const sig = new p256.Signature(r!, s!).toBytes('compact');
    const pub = p256.Point.fromAffine({ x: qx!, y: qy! }).toBytes(false);
    if (p256.verify(sig, bigintToBytes(h!, 32), pub, { prehash: false, lowS: true })) bits |= 1n << BigInt(i);
  });
  return bits;
}

/** (h, v, r, s) per signature; every third has the other recovery bit (a different, valid key comes back). */
function recoverInputs(n: number, seed: number): bigint[][] {
  return Array.from({ length: n }, (_, i) => {
    const m = signedMessage(seed, i);
    return [m.h, BigInt(i % 3 === 2 ? 1 - m.v : m.v), m.r, m.s];
  });
}

function recoverExpected(n: number, seed: number): Uint8Array {
  const keys = recoverInputs(n, seed).map(([h, v, r, s]) => {
    const q = new p256.Signature(r!, s!, Number(v)).recoverPublicKey(bigintToBytes(h!, 32));
    return encodeWords([q.x, q.y]);
  });
  return keccak_256(concatBytes(...keys));
}

/** k_i * (k_{i-1} * ... G): the point EcMulDriver.run returns. */
function scalarChain(n: number, seed: number): bigint[] {
  let p = p256.Point.BASE;
  let k = BigInt(seed >>> 0);
  for (let i = 0; i < n; i++) {
    k = lcg(k);
    p = p.multiply(k % N);
  }
  const a = p.toAffine();
  return [a.x, a.y];
}

function keccakChain(n: number, seed: number): Uint8Array {
  let h = bigintToBytes(BigInt(seed >>> 0), 32);
  for (let i = 0; i < n; i++) h = keccak_256(concatBytes(h, bigintToBytes(BigInt(i), 32)));
  return h;
}

/** OpenZeppelin's node hash: keccak256 of the two children, the smaller first. */
function commutativeKeccak(a: Uint8Array, b: Uint8Array): Uint8Array {
  return wordOf(a) < wordOf(b) ? keccak_256(concatBytes(a, b)) : keccak_256(concatBytes(b, a));
}

interface MerkleCase {
  root: bigint;
  leaves: bigint[];
  proofs: bigint[];
}

/** n proofs from a tree of 2^MERKLE_DEPTH leaves derived from the seed; every seventh leaf is altered (its proof fails). */
function merkleCase(n: number, seed: number): MerkleCase {
  const size = 1 << MERKLE_DEPTH;
  const levels: Uint8Array[][] = [Array.from({ length: size }, (_, j) => keccak_256(encodeWords([BigInt(seed >>> 0), BigInt(j)])))];
  while (levels[levels.length - 1]!.length > 1) {
    const below = levels[levels.length - 1]!;
    levels.push(Array.from({ length: below.length / 2 }, (_, j) => commutativeKeccak(below[2 * j]!, below[2 * j + 1]!)));
  }
  const leaves: bigint[] = [];
  const proofs: bigint[] = [];
  for (let i = 0; i < n; i++) {
    let j = (i * 389 + seed) % size;
    const leaf = wordOf(levels[0]![j]!);
    leaves.push(i % 7 === 6 ? leaf ^ 1n : leaf);
    for (let d = 0; d < MERKLE_DEPTH; d++, j >>= 1) proofs.push(wordOf(levels[d]![j ^ 1]!));
  }
  return { root: wordOf(levels[MERKLE_DEPTH]![0]!), leaves, proofs };
}

function merkleExpected(n: number, seed: number): Uint8Array {
  const c = merkleCase(n, seed);
  let valid = 0n;
  let roots = new Uint8Array(32);
  c.leaves.forEach((leaf, i) => {
    let h = bigintToBytes(leaf, 32);
    for (let d = 0; d < MERKLE_DEPTH; d++) h = commutativeKeccak(h, bigintToBytes(c.proofs[i * MERKLE_DEPTH + d]!, 32));
    if (wordOf(h) === c.root) valid++;
    roots = keccak_256(concatBytes(roots, h));
  });
  return concatBytes(word(valid), roots);
}

const seedAndSize = (sig: string) => (n: number, seed: number) => encodeFunctionCall(sig, [BigInt(seed >>> 0), BigInt(n)]);

export const CRYPTO_WORKLOADS: readonly CorpusWorkload[] = [
  {
    id: 'oz-p256',
    description: 'OpenZeppelin P256.verifySolidity: n secp256r1 signatures verified in pure Solidity (MULMOD/ADDMOD over the 256-bit prime, Shamir\'s trick), a quarter with altered messages and a quarter with high s (n = 4)',
    origin: [{ package: OZ, file: 'utils/cryptography/P256.sol', contract: 'P256', use: 'source' }],
    check: 'reference',
    file: 'OzP256.sol',
    contract: 'P256Harness',
    signature: 'verifyAll(bytes32[])',
    defaultSizes: [4],
    maxN: 256,
    setup: (ctx) => [deployStep('P256Harness', WORKLOAD_CONTRACT, ctx.artifact('P256Harness').creation)],
    calldata: (n, seed) => encodeFunctionCall('verifyAll(bytes32[])', [{ words: verifyInputs(n, seed).flat() }]),
    expected: (n, seed) => word(verifyExpected(n, seed)),
  },
  {
    id: 'oz-p256-recover',
    description: 'OpenZeppelin P256.recovery: n secp256r1 public keys recovered in pure Solidity (square root by MODEXP, then MULMOD/ADDMOD point arithmetic), a third with the other recovery bit (n = 4)',
    origin: [{ package: OZ, file: 'utils/cryptography/P256.sol', contract: 'P256', use: 'source' }],
    check: 'reference',
    file: 'OzP256.sol',
    contract: 'P256Harness',
    signature: 'recoverAll(bytes32[])',
    defaultSizes: [4],
    maxN: 256,
    setup: (ctx) => [deployStep('P256Harness', WORKLOAD_CONTRACT, ctx.artifact('P256Harness').creation)],
    calldata: (n, seed) => encodeFunctionCall('recoverAll(bytes32[])', [{ words: recoverInputs(n, seed).flat() }]),
    expected: recoverExpected,
  },
  {
    id: 'ec-mul',
    description: 'elliptic-solidity 1.0.0 EllipticCurve as published (solc 0.5.1 bytecode, deployed by its creation code): n secp256r1 scalar multiplications in projective coordinates, MULMOD/ADDMOD and a DIV-based inverse (n = 4)',
    origin: [{ package: ELLIPTIC_SOLIDITY, file: ELLIPTIC_ARTIFACT, contract: 'EllipticCurve', use: 'published bytecode' }],
    check: 'reference',
    file: 'EcMul.sol',
    contract: 'EcMulDriver',
    signature: 'run(address,uint256,uint256)',
    defaultSizes: [4],
    maxN: 1000,
    setup: (ctx) => [
      deployStep('EllipticCurve (published bytecode)', CURVE, publishedCreationCode(ELLIPTIC_SOLIDITY, ELLIPTIC_ARTIFACT)),
      deployStep('EcMulDriver', WORKLOAD_CONTRACT, ctx.artifact('EcMulDriver').creation),
    ],
    calldata: (n, seed) => encodeFunctionCall('run(address,uint256,uint256)', [BigInt(CURVE), BigInt(n), BigInt(seed >>> 0)]),
    expected: (n, seed) => encodeWords(scalarChain(n, seed)),
  },
  {
    id: 'sha1',
    description: 'ENS solsha1 SHA1.sol (inline assembly, shifts by MUL/DIV) over an n-byte message derived from the seed (n = 4096 bytes)',
    origin: [{ package: '@ensdomains/solsha1', file: 'contracts/SHA1.sol', contract: 'SHA1', use: 'source' }],
    check: 'reference',
    file: 'Sha1.sol',
    contract: 'Sha1Harness',
    signature: 'digest(uint32,uint256)',
    defaultSizes: [4096],
    maxN: 1e5,
    setup: (ctx) => [deployStep('Sha1Harness', WORKLOAD_CONTRACT, ctx.artifact('Sha1Harness').creation)],
    calldata: seedAndSize('digest(uint32,uint256)'),
    // bytes20 is left-aligned in its word
    expected: (n, seed) => concatBytes(sha1(sha256Message(seed >>> 0, n)), new Uint8Array(12)),
  },
  {
    id: 'solady-keccak',
    description: 'solady EfficientHashLib: keccak256 chain h = keccak256(h, i), n times from the seed word (n = 10000)',
    origin: [{ package: 'solady', file: 'src/utils/EfficientHashLib.sol', contract: 'EfficientHashLib', use: 'source' }],
    check: 'reference',
    file: 'SoladyKeccak.sol',
    contract: 'KeccakChainHarness',
    signature: 'chain(bytes32,uint256)',
    defaultSizes: [10000],
    maxN: 1e6,
    setup: (ctx) => [deployStep('KeccakChainHarness', WORKLOAD_CONTRACT, ctx.artifact('KeccakChainHarness').creation)],
    calldata: seedAndSize('chain(bytes32,uint256)'),
    expected: keccakChain,
  },
  {
    id: 'oz-merkle',
    description: `OpenZeppelin MerkleProof.processProofCalldata: n proofs of depth ${MERKLE_DEPTH} (sorted-pair keccak256) against the root, every seventh leaf altered (n = 256)`,
    origin: [{ package: OZ, file: 'utils/cryptography/MerkleProof.sol', contract: 'MerkleProof', use: 'source' }],
    check: 'reference',
    file: 'OzMerkle.sol',
    contract: 'MerkleHarness',
    signature: 'verifyAll(bytes32,bytes32[],bytes32[])',
    defaultSizes: [256],
    maxN: 4096,
    setup: (ctx) => [deployStep('MerkleHarness', WORKLOAD_CONTRACT, ctx.artifact('MerkleHarness').creation)],
    calldata: (n, seed) => {
      const c = merkleCase(n, seed);
      return encodeFunctionCall('verifyAll(bytes32,bytes32[],bytes32[])', [c.root, { words: c.leaves }, { words: c.proofs }]);
    },
    expected: merkleExpected,
  },
];
