/**
 * The EVM workloads: a Solidity contract function, its arguments for a size n, and the answer
 * computed independently in TypeScript (BigInt arithmetic, @noble/hashes, or the Monte Carlo pi
 * scenario's own generator), so every EVM cell checks its return data exactly.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bigintToBytes, bytesToBigint } from '../../src/evm/hex.js';
import { keccak256 } from '../../src/evm/keccak.js';
import { referenceHits } from '../monte-carlo-pi/reference.js';

const MOD = 1n << 256n;
const FNV_PRIME = 0x100000001b3n;

/** Where evm:call's callee (CrossCall.sol:Stepper) lives in the pre-state. */
export const STEPPER_ADDRESS = '0x' + 'c0'.repeat(19) + 'ee';

export interface EvmWorkload {
  /** Scenario id without the `evm:` prefix. */
  id: string;
  description: string;
  /** Solidity file in scenarios/evm/contracts/ and the contract in it. */
  file: string;
  contract: string;
  /** The function called, as solc's methodIdentifiers spell it. */
  signature: string;
  /** Sizes a run uses without --samples. */
  defaultSizes: number[];
  /** Largest n accepted (bounded by the gas limit). */
  maxN: number;
  /** The function's arguments (each one ABI word) for size n and seed. */
  args(n: number, seed: number): bigint[];
  /** The returned word (uint256 / bytes32) for size n and seed. */
  expected(n: number, seed: number): bigint;
  /** Other contracts of the same file installed in the pre-state (runtime code at these addresses). */
  accounts?: Array<{ address: string; contract: string }>;
}

function fibonacci(n: number): bigint {
  let a = 0n;
  let b = 1n;
  for (let i = 0; i < n; i++) [a, b] = [b, (a + b) % MOD];
  return a;
}

function factorial(n: number): bigint {
  let r = 1n;
  for (let i = 2; i <= n; i++) r = (r * BigInt(i)) % MOD;
  return r;
}

function keccakChain(n: number, seed: number): bigint {
  let h = bigintToBytes(BigInt(seed >>> 0), 32);
  for (let i = 0; i < n; i++) h = keccak256(h);
  return bytesToBigint(h);
}

/** StorageLoop.sol: slot i holds seed + (i + 1) * STEP; the checksum folds them in FNV style. */
function storageChecksum(n: number, seed: number): bigint {
  const STEP = 0x9e3779b97f4a7c15n;
  let sum = 0n;
  for (let i = 0; i < n; i++) sum = ((sum * FNV_PRIME) % MOD) ^ ((BigInt(seed >>> 0) + BigInt(i + 1) * STEP) % MOD);
  return sum;
}

/** Token.sol run(n, seed): the balances of the four holders after the mint and n transfers. */
function erc20Checksum(n: number, seed: number): bigint {
  const balances = [10n ** 24n, 0n, 0n, 0n];
  let x = BigInt(seed >>> 0);
  for (let i = 0; i < n; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) % MOD;
    const from = i & 3;
    const to = (i + 1 + Number((x >> 128n) % 3n)) & 3;
    const amount = (x >> 160n) % (balances[from]! + 1n);
    balances[from]! -= amount;
    balances[to]! += amount;
  }
  return balances.reduce((c, b) => ((c * FNV_PRIME) % MOD) ^ b, 0n);
}

/** CrossCall.sol: x = Stepper.step(x) n times; the callee's k-th call returns x * K + k. */
function crossCall(n: number, seed: number): bigint {
  let x = BigInt(seed >>> 0);
  for (let k = 1; k <= n; k++) x = (x * 0x5851f42d4c957f2dn + BigInt(k)) % MOD;
  return x;
}

/** Sha256.sol message(seed, n): byte i mixes seed + i * 0x9e3779b9 (32-bit arithmetic). */
export function sha256Message(seed: number, n: number): Uint8Array {
  const m = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let x = (seed + Math.imul(i, 0x9e3779b9)) >>> 0;
    x ^= x >>> 16;
    x = Math.imul(x, 0x7feb352d) >>> 0;
    x ^= x >>> 15;
    m[i] = x & 0xff;
  }
  return m;
}

export const EVM_WORKLOADS: readonly EvmWorkload[] = [
  {
    id: 'fib',
    description: 'fibonacci(n) mod 2^256 in an unchecked Solidity loop (n = 1000: the EVM compiler papers\' loop)',
    file: 'Fibonacci.sol',
    contract: 'Fibonacci',
    signature: 'fib(uint256)',
    defaultSizes: [1000],
    maxN: 1e7,
    args: (n) => [BigInt(n)],
    expected: fibonacci,
  },
  {
    id: 'fact',
    description: 'factorial(n) mod 2^256 in an unchecked Solidity loop (n = 1000)',
    file: 'Factorial.sol',
    contract: 'Factorial',
    signature: 'fact(uint256)',
    defaultSizes: [1000],
    maxN: 1e7,
    args: (n) => [BigInt(n)],
    expected: factorial,
  },
  {
    id: 'pi',
    description: 'Monte Carlo pi in Solidity with the scenario\'s counter-based generator: hits equal the ts backend\'s for the same seed and n',
    file: 'MonteCarloPi.sol',
    contract: 'MonteCarloPi',
    signature: 'hits(uint32,uint256)',
    defaultSizes: [1000],
    maxN: 1e6,
    args: (n, seed) => [BigInt(seed >>> 0), BigInt(n)],
    expected: (n, seed) => BigInt(referenceHits(seed, n)),
  },
  {
    id: 'keccak',
    description: 'keccak256 hash chain h = keccak256(abi.encodePacked(h)), n times from the seed word (n = 1000)',
    file: 'KeccakChain.sol',
    contract: 'KeccakChain',
    signature: 'chain(bytes32,uint256)',
    defaultSizes: [1000],
    maxN: 1e5,
    args: (n, seed) => [BigInt(seed >>> 0), BigInt(n)],
    expected: keccakChain,
  },
  {
    id: 'storage',
    description: 'storage-heavy loop: n cold SSTOREs to fresh slots, n warm SLOADs back, checksum of what was read (n = 1000)',
    file: 'StorageLoop.sol',
    contract: 'StorageLoop',
    signature: 'run(uint256,uint256)',
    defaultSizes: [1000],
    maxN: 1e5,
    args: (n, seed) => [BigInt(n), BigInt(seed >>> 0)],
    expected: storageChecksum,
  },
  {
    id: 'erc20',
    description: 'ERC-20 style token: mint to the caller, n transfers between four holders with Transfer events, checksum of the balances (n = 200)',
    file: 'Token.sol',
    contract: 'Token',
    signature: 'run(uint256,uint256)',
    defaultSizes: [200],
    maxN: 1e5,
    args: (n, seed) => [BigInt(n), BigInt(seed >>> 0)],
    expected: erc20Checksum,
  },
  {
    id: 'call',
    description: 'a contract calling another: n external CALLs into a stateful callee at another address (n = 100)',
    file: 'CrossCall.sol',
    contract: 'CrossCall',
    signature: 'run(address,uint256,uint256)',
    defaultSizes: [100],
    maxN: 1e5,
    args: (n, seed) => [BigInt(STEPPER_ADDRESS), BigInt(n), BigInt(seed >>> 0)],
    expected: crossCall,
    accounts: [{ address: STEPPER_ADDRESS, contract: 'Stepper' }],
  },
  {
    id: 'sha256',
    description: 'the large contract: SHA-256 in plain Solidity (no precompile) over an n-byte message derived from the seed (n = 512 bytes)',
    file: 'Sha256.sol',
    contract: 'Sha256',
    signature: 'digest(uint32,uint256)',
    defaultSizes: [512],
    maxN: 1e5,
    args: (n, seed) => [BigInt(seed >>> 0), BigInt(n)],
    expected: (n, seed) => bytesToBigint(sha256(sha256Message(seed >>> 0, n))),
  },
];

export function findEvmWorkload(id: string): EvmWorkload | undefined {
  return EVM_WORKLOADS.find((w) => w.id === id);
}
