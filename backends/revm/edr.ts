/**
 * Everything that touches @nomicfoundation/edr (only ever loaded in the worker thread). EDR is an
 * optional dependency, so its types are not imported: the few parts used are declared here, and a
 * missing package or native binary surfaces as the load error.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bytesToHex, hexToBytes } from '../../src/evm/hex.js';
import { SETUP_FUNCTION, TEST_FUNCTION } from './harness.js';
import { EDR_PACKAGE, locateEdr } from './locate.js';
import type { RevmBenchRequest, RevmJob, RevmPathTiming, RevmTestOutcome } from './protocol.js';

interface EdrTestResult {
  readonly name: string;
  readonly status: string;
  readonly reason?: string;
  readonly decodedLogs: string[];
  readonly durationNs: bigint;
}
interface EdrSuiteResult {
  testResults: EdrTestResult[];
}
interface EdrResponse {
  readonly data: string | { result?: unknown; error?: { message: string } };
}
interface EdrProvider {
  handleRequest(request: string): Promise<EdrResponse>;
}
interface EdrContext {
  registerSolidityTestRunnerFactory(chainType: string, factory: unknown): Promise<void>;
  registerProviderFactory(chainType: string, factory: unknown): Promise<void>;
  runSolidityTests(chainType: string, artifacts: unknown[], testSuites: unknown[], config: unknown, tracing: unknown, onSuite: (s: EdrSuiteResult) => void): Promise<unknown>;
  createProvider(chainType: string, config: unknown, logger: unknown, subscription: unknown, decoder: unknown): Promise<EdrProvider>;
}
interface EdrModule {
  EdrContext: new () => EdrContext;
  ContractDecoder: new () => unknown;
  L1_CHAIN_TYPE: string;
  l1SolidityTestRunnerFactory(): unknown;
  l1ProviderFactory(): unknown;
  IncludeTraces: { None: number; All: number };
  CollectStackTraces: { OnFailure: number };
  MineOrdering: { Priority: string };
}

export interface Edr {
  mod: EdrModule;
  ctx: EdrContext;
  version: string;
}

let loaded: Promise<Edr> | undefined;

/** Load EDR once per worker: one EdrContext (EDR allows one per process). */
export function loadEdr(): Promise<Edr> {
  loaded ??= (async () => {
    const loc = locateEdr();
    if (!loc.ok) throw new Error(loc.reason);
    // the native addon loads here: a missing or broken binary throws with the loader's reason
    const mod = loc.require(EDR_PACKAGE) as EdrModule;
    // package.json is not in the package's exports: read it next to the entry point
    const pkg = JSON.parse(readFileSync(join(dirname(loc.require.resolve(EDR_PACKAGE)), 'package.json'), 'utf8')) as { version: string };
    const version = `${pkg.version} (${loc.where})`;
    const ctx = new mod.EdrContext();
    await ctx.registerSolidityTestRunnerFactory(mod.L1_CHAIN_TYPE, mod.l1SolidityTestRunnerFactory());
    await ctx.registerProviderFactory(mod.L1_CHAIN_TYPE, mod.l1ProviderFactory());
    return { mod, ctx, version };
  })();
  return loaded;
}

const ABI = JSON.stringify([SETUP_FUNCTION, TEST_FUNCTION].map((name) => ({ type: 'function', name, inputs: [], outputs: [], stateMutability: 'nonpayable' })));

/** Creation code that deploys `runtime` as is: CODECOPY the code after this 12-byte prefix, RETURN it. */
function initcode(runtime: Uint8Array): string {
  if (runtime.length > 0xffff) throw new Error(`revm harness: runtime code of ${runtime.length} bytes`);
  return `0x61${runtime.length.toString(16).padStart(4, '0')}80600c6000396000f3${bytesToHex(runtime).slice(2)}`;
}

function artifact(name: string, runtime: Uint8Array) {
  return {
    id: { name, source: `${name}.sol`, solcVersion: '0.8.28' },
    contract: { abi: ABI, bytecode: initcode(runtime), deployedBytecode: bytesToHex(runtime) },
  };
}

function runnerConfig(edr: Edr, job: RevmJob) {
  return {
    projectRoot: process.cwd(),
    hardfork: job.hardfork,
    chainId: job.chainId,
    blockNumber: job.blockNumber,
    blockTimestamp: job.blockTimestamp,
    blockCoinbase: hexToBytes(job.blockCoinbase),
    blockDifficulty: job.blockDifficulty,
    blockGasLimit: job.blockGasLimit,
    disableBlockGasLimit: true,
    gasLimit: (1n << 63n) - 1n,
    disableTransactionGasCap: true,
    blockBaseFeePerGas: 0n,
    gasPrice: 0n,
    includeTraces: edr.mod.IncludeTraces.None,
    collectStackTraces: edr.mod.CollectStackTraces.OnFailure,
    localPredeploys: job.predeploys.map((p) => ({
      address: hexToBytes(p.address),
      code: p.code,
      balance: p.balance,
      nonce: p.nonce,
      storage: p.storage.map(([index, value]) => ({ index, value })),
    })),
  };
}

/** Run the harness test contract `runtime` once; the answer is its test result. */
async function runTest(edr: Edr, name: string, runtime: Uint8Array, config: unknown): Promise<RevmTestOutcome> {
  const a = artifact(name, runtime);
  let suite: EdrSuiteResult | undefined;
  let resolveSuite!: () => void;
  // the suite callback can arrive after runSolidityTests' promise resolves
  const gotSuite = new Promise<void>((r) => (resolveSuite = r));
  await edr.ctx.runSolidityTests(edr.mod.L1_CHAIN_TYPE, [a], [a.id], config, {}, (s) => {
    suite = s;
    resolveSuite();
  });
  await gotSuite;
  const t = suite?.testResults[0];
  if (!t) throw new Error('EDR ran no test in the harness suite');
  return { status: t.status, ...(t.reason !== undefined ? { reason: t.reason } : {}), logs: t.decodedLogs.slice(), durationNs: t.durationNs };
}

export async function runJob(job: RevmJob): Promise<RevmTestOutcome> {
  const edr = await loadEdr();
  return runTest(edr, 'JitbenchRevmHarness', job.runtime, runnerConfig(edr, job));
}

// ---------------------------------------------------------------- overhead of each path

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function timeCalls(n: number, f: () => Promise<void>): Promise<number> {
  for (let i = 0; i < Math.min(20, n); i++) await f(); // warm-up
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await f();
    t.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return median(t);
}

const CALLEE = '0x' + 'c0'.repeat(19) + 'de';
const CALLER = '0x' + '00'.repeat(19) + 'ca';

async function provider(edr: Edr, callTraces: boolean): Promise<EdrProvider> {
  const m = edr.mod;
  const config = {
    allowBlocksWithSameTimestamp: true,
    allowUnlimitedContractSize: true,
    bailOnCallFailure: false,
    bailOnTransactionFailure: false,
    chainId: 1n,
    coinbase: new Uint8Array(20),
    defaultTransactionGasLimit: 30_000_000n,
    genesisState: [],
    hardfork: 'cancun',
    initialBaseFeePerGas: 0n,
    minGasPrice: 0n,
    mining: { autoMine: true, memPool: { order: m.MineOrdering.Priority } },
    network: { genesisBlockGasLimit: 30_000_000n, genesisBlockTime: 1n },
    networkId: 1n,
    observability: callTraces ? { includeCallTraces: m.IncludeTraces.All } : {},
    ownedAccounts: [],
    precompileOverrides: [],
  };
  const logger = { enable: false, decodeConsoleLogInputsCallback: () => [], printLineCallback: () => {} };
  return edr.ctx.createProvider(m.L1_CHAIN_TYPE, config, logger, { subscriptionCallback: () => {} }, new m.ContractDecoder());
}

async function rpc(p: EdrProvider, method: string, params: unknown[]): Promise<unknown> {
  const r = await p.handleRequest(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }));
  const d = typeof r.data === 'string' ? (JSON.parse(r.data) as { result?: unknown; error?: { message: string } }) : r.data;
  if (d.error) throw new Error(`EDR ${method}: ${d.error.message}`);
  return d.result;
}

/**
 * Median per-call time of each candidate path on the empty contract (code 0x00) and on the loop
 * contract, all inside this thread (no bridge to the main thread). The engine's own end-to-end
 * number (bridge, harness build and decode included) is measured by measureRevmCallOverhead().
 */
export async function benchPaths(b: RevmBenchRequest): Promise<RevmPathTiming[]> {
  const edr = await loadEdr();
  const out: RevmPathTiming[] = [];
  const EMPTY = new Uint8Array([0x00]);
  const ethCall = (p: EdrProvider, code: Uint8Array) => async () => {
    await rpc(p, 'eth_call', [{ from: CALLER, to: CALLEE, data: '0x', gas: '0x3b9aca00' }, 'latest', { [CALLEE]: { code: bytesToHex(code) } }]);
  };
  for (const traces of [false, true]) {
    const p = await provider(edr, traces);
    out.push({
      path: traces ? 'provider eth_call, includeCallTraces: All' : 'provider eth_call (state override)',
      emptyUs: await timeCalls(b.calls, ethCall(p, EMPTY)),
      loopUs: await timeCalls(b.loopCalls, ethCall(p, b.loopCode)),
      note: traces ? 'call traces give gas used and logs; the trace collection slows execution' : 'returns only the output: no gas used, no status, no logs',
    });
  }
  {
    const p = await provider(edr, false);
    const traceCall = async () => {
      await rpc(p, 'debug_traceCall', [{ from: CALLER, to: CALLEE, data: '0x', gas: '0x3b9aca00' }, 'latest', { disableStack: true, disableMemory: true, disableStorage: true }]);
    };
    await rpc(p, 'hardhat_setCode', [CALLEE, bytesToHex(EMPTY)]);
    const emptyUs = await timeCalls(b.calls, traceCall);
    await rpc(p, 'hardhat_setCode', [CALLEE, bytesToHex(b.loopCode)]);
    const loopUs = await timeCalls(b.loopCalls, traceCall);
    out.push({ path: 'provider debug_traceCall (code set once with hardhat_setCode)', emptyUs, loopUs, note: 'gas used includes the 21000 intrinsic gas; one structLog per opcode' });
  }
  const bare = (code: Uint8Array) => async () => {
    await runTest(edr, 'JitbenchRevmBare', code, { projectRoot: process.cwd(), hardfork: 'cancun', includeTraces: edr.mod.IncludeTraces.None, collectStackTraces: edr.mod.CollectStackTraces.OnFailure });
  };
  out.push({
    path: 'runSolidityTests, the code as the test contract',
    emptyUs: await timeCalls(b.calls, bare(EMPTY)),
    loopUs: await timeCalls(b.loopCalls, bare(b.loopCode)),
    note: 'no calldata, caller, value, return data or logs of ours',
  });
  const harness = (job: RevmJob) => async () => {
    await runJob(job);
  };
  out.push({
    path: 'runSolidityTests + harness (the revm engine, inside the worker)',
    emptyUs: await timeCalls(b.calls, harness(b.emptyJob)),
    loopUs: await timeCalls(b.loopCalls, harness(b.loopJob)),
    note: 'everything of the message call: status, return data, frame gas, refund, logs, balances, nonces, storage writes',
  });
  return out;
}
