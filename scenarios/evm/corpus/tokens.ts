/**
 * Token workloads from @openzeppelin/contracts: an ERC20 with thousands of transferFrom calls
 * and Transfer logs, an ERC20Votes governance token, and a Governor (the large contract: over
 * 14 KB of runtime code with many internal calls, both solc pipelines).
 */
import { WORKLOAD_CONTRACT } from '../call.js';
import { encodeFunctionCall, encodeWords, word } from './abi.js';
import { fixedAddress, fnvFold, holder, lcg } from './model.js';
import { callStep, deployStep } from './steps.js';
import type { CorpusWorkload } from './types.js';

const OZ = '@openzeppelin/contracts';
const AMOUNT = 10n ** 24n;
const TOKEN = fixedAddress(0xc0001);
const GOV_TOKEN = fixedAddress(0xc0002);
/** Proposals the governor opens in its set-up; each of the 64 voters can vote once on each. */
const PROPOSALS = 16;
const VOTERS = 64;
const WAD = 10n ** 18n;

const runCall = (n: number, seed: number) => encodeFunctionCall('run(uint256,uint256)', [BigInt(n), BigInt(seed >>> 0)]);

/** The holder a transfer goes to: one of the seven others. */
const recipient = (i: number, x: bigint) => (i + 1 + Number((x >> 128n) % 7n)) & 7;

function erc20Checksum(n: number, seed: number): bigint {
  const balances = Array.from({ length: 8 }, () => AMOUNT);
  let x = BigInt(seed >>> 0);
  for (let i = 0; i < n; i++) {
    x = lcg(x);
    const from = i & 7;
    const amount = (x >> 160n) % (balances[from]! + 1n);
    balances[from]! -= amount;
    balances[recipient(i, x)]! += amount;
  }
  return fnvFold(balances);
}

function votesChecksum(n: number, seed: number): bigint {
  const balances = Array.from({ length: 8 }, () => AMOUNT);
  const delegate = Array.from({ length: 8 }, (_, k) => k % 3);
  let x = BigInt(seed >>> 0);
  for (let i = 0; i < n; i++) {
    x = lcg(x);
    const from = i & 7;
    const amount = (x >> 160n) % (balances[from]! + 1n);
    balances[from]! -= amount;
    balances[recipient(i, x)]! += amount;
    if (i % 16 === 15) delegate[from] = Number((x >> 64n) % 3n);
  }
  const votes = (k: number) => balances.reduce((s, b, j) => (delegate[j] === k ? s + b : s), 0n);
  return fnvFold(balances.flatMap((b, k) => [b, BigInt(holder(delegate[k]!)), votes(k)]));
}

function governorChecksum(n: number, seed: number): bigint {
  // [against, for, abstain] per proposal; voter k holds (k + 1) tokens, delegated to itself
  const tallies = Array.from({ length: PROPOSALS }, () => [0n, 0n, 0n]);
  let x = BigInt(seed >>> 0);
  for (let i = 0; i < n; i++) {
    x = lcg(x);
    tallies[i % PROPOSALS]![Number((x >> 128n) % 3n)]! += BigInt(Math.floor(i / PROPOSALS) + 1) * WAD;
  }
  const ACTIVE = 1n;
  return fnvFold(tallies.flatMap((t) => [ACTIVE, ...t]));
}

export const TOKEN_WORKLOADS: readonly CorpusWorkload[] = [
  {
    id: 'oz-erc20',
    description: 'OpenZeppelin ERC20 deployed by its constructor (8 holders, a driver with allowances): n transferFrom calls with Transfer logs through a driver contract (n = 1000)',
    origin: [{ package: OZ, file: 'token/ERC20/ERC20.sol', contract: 'ERC20', use: 'source' }],
    check: 'reference',
    file: 'OzToken.sol',
    contract: 'TokenDriver',
    signature: 'run(uint256,uint256)',
    defaultSizes: [1000],
    maxN: 1e5,
    setup: (ctx) => [
      deployStep('CorpusToken constructor', TOKEN, ctx.artifact('CorpusToken').creation, encodeWords([AMOUNT, BigInt(WORKLOAD_CONTRACT)])),
      deployStep('TokenDriver constructor', WORKLOAD_CONTRACT, ctx.artifact('TokenDriver').creation, encodeWords([BigInt(TOKEN)])),
    ],
    calldata: runCall,
    expected: (n, seed) => word(erc20Checksum(n, seed)),
  },
  {
    id: 'oz-votes',
    description: 'OpenZeppelin ERC20 + ERC20Permit + ERC20Votes deployed by its constructor (8 holders delegating to 3): n transfers moving delegated votes through the checkpoints, re-delegation every 16th (n = 500)',
    origin: [{ package: OZ, file: 'token/ERC20/extensions/ERC20Votes.sol', contract: 'ERC20Votes', use: 'source' }],
    check: 'reference',
    file: 'OzVotes.sol',
    contract: 'CorpusVotes',
    signature: 'run(uint256,uint256)',
    defaultSizes: [500],
    maxN: 1e5,
    setup: (ctx) => [deployStep('CorpusVotes constructor', WORKLOAD_CONTRACT, ctx.artifact('CorpusVotes').creation, encodeWords([AMOUNT]))],
    calldata: runCall,
    expected: (n, seed) => word(votesChecksum(n, seed)),
  },
  {
    id: 'oz-governor',
    description: `OpenZeppelin Governor (settings, simple counting, token votes, quorum fraction; >14 KB of code) with its ERC20Votes token, ${PROPOSALS} proposals opened a block before: n votes cast and tallied (n = 256, at most ${PROPOSALS * VOTERS})`,
    origin: [
      { package: OZ, file: 'governance/Governor.sol', contract: 'Governor', use: 'source' },
      { package: OZ, file: 'token/ERC20/extensions/ERC20Votes.sol', contract: 'ERC20Votes', use: 'source' },
    ],
    check: 'reference',
    file: 'OzGovernor.sol',
    contract: 'CorpusGovernor',
    signature: 'run(uint256,uint256)',
    defaultSizes: [256],
    maxN: PROPOSALS * VOTERS,
    // the token's checkpoints are at block 0, the proposals' snapshot at block 2: voting is open at block 3
    setup: (ctx) => [
      deployStep('GovToken constructor', GOV_TOKEN, ctx.artifact('GovToken').creation),
      deployStep('CorpusGovernor constructor', WORKLOAD_CONTRACT, ctx.artifact('CorpusGovernor').creation, encodeWords([BigInt(GOV_TOKEN)])),
      callStep('CorpusGovernor.open', WORKLOAD_CONTRACT, encodeFunctionCall('open(uint256)', [BigInt(PROPOSALS)]), 1n),
    ],
    block: 3n,
    calldata: runCall,
    expected: (n, seed) => word(governorChecksum(n, seed)),
  },
];
