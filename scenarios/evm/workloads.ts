/**
 * The EVM workloads: a Solidity contract function, its arguments for a size n, and the answer
 * computed independently in TypeScript (BigInt arithmetic, or the Monte Carlo pi scenario's own
 * generator), so every EVM cell checks its return data exactly.
 */
import { countSegments } from '../../backends/ts/pi-kernel.js';
import { segments } from '../monte-carlo-pi/generator.js';

const MOD = 1n << 256n;

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
  /** The returned uint256 for size n and seed. */
  expected(n: number, seed: number): bigint;
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
    expected: (n, seed) => BigInt(countSegments(segments(seed, 0, n))),
  },
];

export function findEvmWorkload(id: string): EvmWorkload | undefined {
  return EVM_WORKLOADS.find((w) => w.id === id);
}
