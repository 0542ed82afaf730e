import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  DEFAULT_EVM_ENGINE, evmEngines, FORKS, LATEST_FORK, bytesToHex, findEvmEngine, findVmTestFiles, hexToBytes, parseFork,
  runMessageCall, runVmTestFile, type Fork,
} from '../../evm/index.js';
import { UsageError } from '../../util/errors.js';
import { MAX_HEX_ARG_BYTES, parseHexArg } from '../../evm/hex-arg.js';

export { MAX_HEX_ARG_BYTES, parseHexArg };

/** A fixed non-zero caller, and the callee address the legacy VMTests use. */
export const DEFAULT_CALLER = '0x1000000000000000000000000000000000000001';
export const DEFAULT_ADDRESS = '0x0f572e5295c57f15886f9b263e2f6d2d6c7b5ec6';


function parseForkArg(name: string): Fork {
  const f = parseFork(name);
  if (!f) throw new UsageError(`unknown fork '${name}': accepted forks are ${FORKS.join(', ')}`);
  return f;
}

function parseEngineArg(id: string) {
  const e = findEvmEngine(id);
  if (!e) throw new UsageError(`unknown engine '${id}': accepted engines are ${evmEngines().map((x) => x.id).join(', ')}`);
  return e;
}

function parseAddressArg(text: string, option: string): string {
  if (!/^(0x)?[0-9a-fA-F]{40}$/.test(text)) throw new UsageError(`invalid --${option} '${text}': expected a 20-byte hex address (40 hex digits)`);
  return `0x${text.replace(/^0x/i, '').toLowerCase()}`;
}

export interface EvmRunArgs { code: string; calldata?: string; engine: string; fork?: string; gas: string; caller?: string; value?: string; json: boolean; stats?: boolean }

/**
 * `--stats` (evm-native only; another engine is a usage error): the call is timed by category
 * (backends/evm-native/timing.ts) and a table follows the normal output, or a `stats` field the JSON.
 */
export async function evmRunCommand(a: EvmRunArgs): Promise<number> {
  const code = parseHexArg(a.code, 'code');
  const calldata = a.calldata !== undefined ? parseHexArg(a.calldata, 'calldata') : new Uint8Array();
  const engine = parseEngineArg(a.engine);
  if (a.stats && !engine.profileCall) throw new UsageError(`--stats is not available with --engine ${engine.id}: engines with --stats: ${evmEngines().filter((e) => e.profileCall).map((e) => e.id).join(', ')}`);
  await engine.load?.();
  const fork = a.fork !== undefined ? parseForkArg(a.fork) : LATEST_FORK;
  const gas = Number(a.gas);
  if (!/^\d+$/.test(String(a.gas).trim()) || !Number.isSafeInteger(gas) || gas <= 0) throw new UsageError(`invalid --gas '${a.gas}': expected a positive integer up to 2^53-1`);
  const caller = parseAddressArg(a.caller ?? DEFAULT_CALLER, 'caller');
  if (a.value !== undefined && !/^\d+$/.test(a.value.trim())) throw new UsageError(`invalid --value '${a.value}': expected a non-negative integer amount of wei`);
  const value = BigInt(a.value ?? '0');
  // the code lives at the called address (as a deployed contract): a call back into itself finds it, and its storage persists
  const preState: Record<string, { balance?: bigint; code?: Uint8Array }> = { [DEFAULT_ADDRESS]: { code } };
  preState[caller] = { ...preState[caller], balance: value };
  const profile = a.stats ? engine.profileCall!() : undefined;
  const t0 = performance.now();
  let r;
  let ms = 0;
  let profiled: { stats: unknown; table: string } | undefined;
  try {
    r = runMessageCall(engine, { fork, calldata, caller: caller as never, address: DEFAULT_ADDRESS as never, value, gasLimit: gas, preState: preState as never });
  } finally {
    ms = performance.now() - t0;
    profiled = profile?.stop(fork, ms);
  }
  const stats = profiled?.stats;
  const out = {
    engine: engine.id, fork, status: r.status, haltReason: r.haltReason, returnData: bytesToHex(r.returnData), gasUsed: r.gasUsed, gasRefund: r.gasRefund,
    logs: r.logs.map((l) => ({ address: l.address, topics: l.topics.map(bytesToHex), data: bytesToHex(l.data) })),
    storageWrites: r.storageWrites.map((w) => ({ address: w.address, key: `0x${w.key.toString(16)}`, value: `0x${w.value.toString(16)}` })),
    timeMs: ms,
    ...(stats ? { stats } : {}),
  };
  if (a.json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else {
    process.stdout.write(`status:      ${r.status}${r.haltReason ? ` (${r.haltReason})` : ''}\nreturn data: ${out.returnData}\ngas used:    ${r.gasUsed}\nrefund:      ${r.gasRefund}\nlogs:        ${r.logs.length}\nstorage:     ${out.storageWrites.map((w) => `${w.key}=${w.value}`).join(' ') || '-'}\ntime:        ${ms.toFixed(3)} ms (${engine.id}, ${fork})\n`);
    if (profiled) process.stdout.write(profiled.table);
  }
  return 0;
}

export interface EvmTestArgs { paths: string[]; engine: string; fork?: string; json: boolean }

export async function evmTestCommand(a: EvmTestArgs): Promise<number> {
  const engine = parseEngineArg(a.engine);
  await engine.load?.();
  const fork = a.fork !== undefined ? parseForkArg(a.fork) : ('homestead' as Fork);
  for (const p of a.paths) if (!existsSync(p)) throw new UsageError(`test path '${p}' does not exist`);
  const files = findVmTestFiles(a.paths);
  if (files.length === 0) throw new UsageError(`no VMTests JSON files under ${a.paths.join(', ')}`);
  const results = files.map((f) => ({ file: f, ...runVmTestFile(f, { engine, fork }) }));
  const passed = results.filter((r) => r.passed).length;
  const failed = results.length - passed;
  if (a.json) process.stdout.write(`${JSON.stringify({ engine: engine.id, fork, passed, failed, results })}\n`);
  else {
    for (const r of results.filter((x) => !x.passed)) process.stdout.write(`FAIL ${r.name} (${r.file}): ${r.reason}\n`);
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
  }
  return failed > 0 ? 1 : 0;
}

export { DEFAULT_EVM_ENGINE };
