/**
 * Uniswap as deployed: the factories' published bytecode (@uniswap/v3-core's Hardhat artifacts,
 * solc 0.7.6; @uniswap/v2-core's Waffle build, solc 0.5.16) deployed by their creation code, the
 * pool or pair created by the factory (CREATE2) and funded in set-up transactions, and swaps
 * through a small router of ours. v2's constant-product swaps have a BigInt model; v3's tick
 * crossing has none here, so its answer is the engines' agreement.
 */
import { WORKLOAD_CONTRACT } from '../call.js';
import { encodeFunctionCall, encodeWords, word } from './abi.js';
import { fixedAddress, fnvFold, lcg } from './model.js';
import { DEPLOYER, type SetupStep } from './prestate.js';
import { callStep, deployStep, publishedCreationCode } from './steps.js';
import type { CorpusWorkload, SetupContext } from './types.js';

const TOKEN_A = fixedAddress(0xc0010);
const TOKEN_B = fixedAddress(0xc0011);
const V3_FACTORY = fixedAddress(0xc0012);
const V2_FACTORY = fixedAddress(0xc0013);
const V3 = { package: '@uniswap/v3-core', factory: 'artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json', pool: 'artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json' };
const V2 = { package: '@uniswap/v2-core', factory: 'build/UniswapV2Factory.json', pair: 'build/UniswapV2Pair.json' };
const V2_DEPOSIT = 10n ** 24n;

/** PoolToken(string name, address holder) with a one-letter name; the router holds the supply. */
function tokenSteps(ctx: SetupContext): SetupStep[] {
  const args = (letter: string) => encodeWords([0x40n, BigInt(WORKLOAD_CONTRACT), 1n, BigInt(letter.charCodeAt(0)) << 248n]);
  const creation = ctx.artifact('PoolToken', 'PoolToken.sol').creation;
  return [deployStep('PoolToken A', TOKEN_A, creation, args('A')), deployStep('PoolToken B', TOKEN_B, creation, args('B'))];
}

/** V2Router.run's swaps on the pair's reserves (the router prices each swap with the 0.3% fee). */
function v2Model(n: number, seed: number): bigint {
  const reserves = [V2_DEPOSIT, V2_DEPOSIT];
  const outs: bigint[] = [];
  let x = BigInt(seed >>> 0);
  for (let i = 0; i < n; i++) {
    x = lcg(x);
    const inIdx = ((x >> 100n) & 1n) === 0n ? 0 : 1;
    const amountIn = 10n ** 15n + ((x >> 160n) % 10n ** 22n);
    const [rIn, rOut] = [reserves[inIdx]!, reserves[1 - inIdx]!];
    const out = (amountIn * 997n * rOut) / (rIn * 1000n + amountIn * 997n);
    reserves[inIdx] = rIn + amountIn;
    reserves[1 - inIdx] = rOut - out;
    outs.push(out);
  }
  return fnvFold(reserves, fnvFold(outs));
}

const runCall = (n: number, seed: number) => encodeFunctionCall('run(uint256,uint256)', [BigInt(n), BigInt(seed >>> 0)]);
const setupCall = (factory: string) => encodeFunctionCall('setup(address,address,address)', [BigInt(factory), BigInt(TOKEN_A), BigInt(TOKEN_B)]);

export const UNISWAP_WORKLOADS: readonly CorpusWorkload[] = [
  {
    id: 'univ3-swap',
    description: 'Uniswap v3 as published (factory bytecode, the 22 KB pool created by it, four positions minted): n swaps through a router, alternating directions, exact input and output, crossing ticks (n = 100)',
    origin: [
      { package: V3.package, file: V3.factory, contract: 'UniswapV3Factory', use: 'published bytecode' },
      { package: V3.package, file: V3.pool, contract: 'UniswapV3Pool (created by the factory)', use: 'published bytecode' },
      { package: '@openzeppelin/contracts', file: 'token/ERC20/ERC20.sol', contract: 'ERC20', use: 'source' },
    ],
    check: 'engines',
    file: 'UniV3.sol',
    contract: 'V3Router',
    signature: 'run(uint256,uint256)',
    defaultSizes: [100],
    maxN: 1e4,
    setup: (ctx) => [
      ...tokenSteps(ctx),
      deployStep('UniswapV3Factory (published bytecode)', V3_FACTORY, publishedCreationCode(V3.package, V3.factory)),
      deployStep('V3Router', WORKLOAD_CONTRACT, ctx.artifact('V3Router').creation),
      callStep('V3Router.setup: createPool, initialize, mint', WORKLOAD_CONTRACT, setupCall(V3_FACTORY)),
    ],
    calldata: runCall,
  },
  {
    id: 'univ2-swap',
    description: 'Uniswap v2 as published (factory bytecode, the pair created by it, 10^24 of each token deposited): n swaps through a router priced from the reserves (n = 100)',
    origin: [
      { package: V2.package, file: V2.factory, contract: 'UniswapV2Factory', use: 'published bytecode' },
      { package: V2.package, file: V2.pair, contract: 'UniswapV2Pair (created by the factory)', use: 'published bytecode' },
      { package: '@openzeppelin/contracts', file: 'token/ERC20/ERC20.sol', contract: 'ERC20', use: 'source' },
    ],
    check: 'reference',
    file: 'UniV2.sol',
    contract: 'V2Router',
    signature: 'run(uint256,uint256)',
    defaultSizes: [100],
    maxN: 1e4,
    setup: (ctx) => [
      ...tokenSteps(ctx),
      deployStep('UniswapV2Factory (published bytecode)', V2_FACTORY, publishedCreationCode(V2.package, V2.factory), encodeWords([BigInt(DEPLOYER)])),
      deployStep('V2Router', WORKLOAD_CONTRACT, ctx.artifact('V2Router').creation),
      callStep('V2Router.setup: createPair, deposit, mint', WORKLOAD_CONTRACT, setupCall(V2_FACTORY)),
    ],
    calldata: runCall,
    expected: (n, seed) => word(v2Model(n, seed)),
  },
];
