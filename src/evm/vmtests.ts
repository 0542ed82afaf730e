/**
 * Runner for the legacy Ethereum VMTests (shared/conformance/vmtests, see its README): one call
 * per test, Frontier/Homestead gas, no value transfer, no intrinsic gas, CALL/CREATE recorded as
 * `callcreates` instead of executed (as the filler, testeth's FakeExtVM, did), BLOCKHASH(n) =
 * keccak256(decimal string of n). A test without `post` expects an exceptional halt; otherwise gas
 * left, output, logs hash, callcreates and the whole post-state (every account's balance, nonce,
 * code and storage, and no extra accounts) must match.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Address, addressToBytes, createAddress, toAddress } from './address.js';
import type { Fork } from './fork.js';
import { allButOne64th, toWords } from './gas.js';
import { bytesEqual, bytesToHex, hexToBytes, parseQuantity } from './hex.js';
import { MAX_CALL_DEPTH, MessageHost } from './host.js';
import { keccak256 } from './keccak.js';
import { runMessageCall } from './message.js';
import { rlpEncode } from './rlp.js';
import type { AccountData } from './state.js';
import type { CallRequest, CallResult, CreateOutcome, CreateRequest, CreateStart, EvmEngine, FrameResult, Log } from './types.js';

export interface VmTestOptions {
  engine: EvmEngine;
  /** Default homestead: the gas schedule every expected value in the suite was filled with. */
  fork?: Fork;
  /** Compare the gas left (default true). The expected values are Frontier/Homestead gas; everything else is fork-independent. */
  checkGas?: boolean;
}

export interface VmTestResult {
  name: string;
  passed: boolean;
  reason?: string;
  /** exec.gas - gas left (when the call ran). */
  gasUsed?: number;
  ms?: number;
}

interface JsonAccount {
  balance: string;
  nonce: string;
  code: string;
  storage: Record<string, string>;
}

export interface CallCreate {
  data: string;
  destination: string;
  gasLimit: string;
  value: string;
}

export interface VmTestJson {
  env: { currentCoinbase: string; currentDifficulty: string; currentGasLimit: string; currentNumber: string; currentTimestamp: string };
  exec: { address: string; caller: string; code: string; data: string; gas: string; gasPrice: string; origin: string; value: string };
  pre: Record<string, JsonAccount>;
  post?: Record<string, JsonAccount>;
  gas?: string;
  out?: string;
  logs?: string;
  callcreates?: CallCreate[];
}

/** keccak256(rlp(logs)) with each log as [address, [topics...], data]. */
export function logsHash(logs: Log[]): Uint8Array {
  return keccak256(rlpEncode(logs.map((l) => [addressToBytes(l.address), l.topics, l.data])));
}

/** The host testeth used for VMTests: CALL, CALLCODE, DELEGATECALL and CREATE are recorded, not run. */
export class VmTestsHost extends MessageHost {
  readonly callcreates: Array<{ data: Uint8Array; destination: Address | ''; gasLimit: number; value: bigint }> = [];

  protected override startCall(req: CallRequest, value: bigint, gas: number): { child: undefined; result: FrameResult } {
    const { frame } = req;
    if (frame.depth >= MAX_CALL_DEPTH || (value !== 0n && this.state.getBalance(frame.address) < value)) {
      return { child: undefined, result: { status: 'revert', returnData: new Uint8Array(0), gasLeft: gas } };
    }
    // the callee's gas, stipend included, comes back untouched
    this.callcreates.push({ data: req.input, destination: req.to, gasLimit: gas, value });
    return { child: undefined, result: { status: 'success', returnData: new Uint8Array(0), gasLeft: gas } };
  }

  override beginCreate(req: CreateRequest): CreateStart {
    const g = this.gas;
    const { frame, value, initcode } = req;
    const w = toWords(initcode.length);
    const extra = g.initcodeWord * w + (req.kind === 'CREATE2' ? g.create2HashWord * w : 0);
    const done = (outcome: CreateOutcome): CreateStart => ({ child: undefined, outcome });
    if (initcode.length > g.maxInitcodeSize || extra > req.availableGas) return done({ outOfGas: true, gasCost: 0, address: undefined, returnData: new Uint8Array(0) });
    const left = req.availableGas - extra;
    const calleeGas = g.allButOne64th ? allButOne64th(left) : left;
    if (frame.depth >= MAX_CALL_DEPTH || this.state.getBalance(frame.address) < value) {
      return done({ outOfGas: false, gasCost: extra, address: undefined, returnData: new Uint8Array(0) });
    }
    this.callcreates.push({ data: initcode, destination: '', gasLimit: calleeGas, value });
    return done({ outOfGas: false, gasCost: extra, address: createAddress(frame.address, this.state.getNonce(frame.address)), returnData: new Uint8Array(0) });
  }
}

function accountsFromJson(o: Record<string, JsonAccount>): Map<Address, AccountData> {
  const m = new Map<Address, AccountData>();
  for (const [a, acc] of Object.entries(o)) {
    const storage = new Map<bigint, bigint>();
    for (const [k, v] of Object.entries(acc.storage ?? {})) {
      const val = parseQuantity(v);
      if (val !== 0n) storage.set(parseQuantity(k), val);
    }
    m.set(toAddress(a), { balance: parseQuantity(acc.balance), nonce: parseQuantity(acc.nonce), code: hexToBytes(acc.code), storage });
  }
  return m;
}

function compareState(expected: Map<Address, AccountData>, actual: Map<Address, AccountData>): string | undefined {
  for (const [a, exp] of expected) {
    const act = actual.get(a);
    if (!act) return `account ${a} missing from the post-state`;
    if (act.balance !== exp.balance) return `${a} balance ${act.balance}, expected ${exp.balance}`;
    if (act.nonce !== exp.nonce) return `${a} nonce ${act.nonce}, expected ${exp.nonce}`;
    if (!bytesEqual(act.code, exp.code)) return `${a} code differs`;
    for (const [k, v] of exp.storage) {
      const got = act.storage.get(k) ?? 0n;
      if (got !== v) return `${a} storage[0x${k.toString(16)}] = 0x${got.toString(16)}, expected 0x${v.toString(16)}`;
    }
    for (const [k, v] of act.storage) if (!exp.storage.has(k)) return `${a} storage[0x${k.toString(16)}] = 0x${v.toString(16)}, expected 0`;
  }
  for (const a of actual.keys()) if (!expected.has(a)) return `unexpected account ${a} in the post-state`;
  return undefined;
}

/** Run one test given its parsed JSON. */
export function runVmTest(name: string, t: VmTestJson, opts: VmTestOptions): VmTestResult {
  const fork = opts.fork ?? 'homestead';
  let host: VmTestsHost | undefined;
  const t0 = performance.now();
  let r: CallResult;
  try {
    r = runMessageCall(
      opts.engine,
      {
        fork,
        code: hexToBytes(t.exec.code),
        calldata: hexToBytes(t.exec.data),
        caller: t.exec.caller,
        address: t.exec.address,
        origin: t.exec.origin,
        value: parseQuantity(t.exec.value),
        gasLimit: parseQuantity(t.exec.gas),
        gasPrice: parseQuantity(t.exec.gasPrice),
        transferValue: false,
        block: {
          coinbase: t.env.currentCoinbase,
          difficulty: parseQuantity(t.env.currentDifficulty),
          gasLimit: parseQuantity(t.env.currentGasLimit),
          number: parseQuantity(t.env.currentNumber),
          timestamp: parseQuantity(t.env.currentTimestamp),
          blockHash: (n) => BigInt(bytesToHex(keccak256(new TextEncoder().encode(n.toString(10))))),
        },
        preState: accountsFromJson(t.pre),
      },
      { host: (engine, call, state, block, tx) => (host = new VmTestsHost(engine, call.fork, state, block, tx)) },
    );
  } catch (err) {
    return { name, passed: false, reason: `threw: ${err instanceof Error ? err.message : String(err)}` };
  }
  const ms = performance.now() - t0;
  const base = { name, gasUsed: r.gasUsed, ms };
  const fail = (reason: string): VmTestResult => ({ ...base, passed: false, reason });
  if (t.post === undefined) {
    if (r.status === 'halt') return { ...base, passed: true };
    return fail(`expected an exceptional halt, got ${r.status} with ${r.gasLeft} gas left`);
  }
  if (r.status !== 'success') return fail(`expected success, got ${r.status}${r.haltReason ? ` (${r.haltReason})` : ''}`);
  if (t.gas !== undefined && opts.checkGas !== false) {
    const exp = parseQuantity(t.gas);
    if (BigInt(r.gasLeft) !== exp) return fail(`gas left ${r.gasLeft}, expected ${exp} (used ${r.gasUsed}, expected ${parseQuantity(t.exec.gas) - exp})`);
  }
  if (t.out !== undefined) {
    if (t.out.startsWith('#')) {
      if (r.returnData.length !== Number(t.out.slice(1))) return fail(`output length ${r.returnData.length}, expected ${t.out.slice(1)}`);
    } else if (!bytesEqual(r.returnData, hexToBytes(t.out))) return fail(`output ${bytesToHex(r.returnData)}, expected ${t.out}`);
  }
  if (t.logs !== undefined) {
    const h = bytesToHex(logsHash(r.logs));
    if (h !== t.logs.toLowerCase()) return fail(`logs hash ${h}, expected ${t.logs} (${r.logs.length} logs)`);
  }
  if (t.callcreates !== undefined) {
    const got = host?.callcreates ?? [];
    if (got.length !== t.callcreates.length) return fail(`${got.length} callcreates, expected ${t.callcreates.length}`);
    for (let i = 0; i < got.length; i++) {
      const a = got[i]!;
      const e = t.callcreates[i]!;
      const same =
        bytesEqual(a.data, hexToBytes(e.data)) &&
        (a.destination === '' ? e.destination === '' : e.destination !== '' && a.destination === toAddress(e.destination)) &&
        BigInt(a.gasLimit) === parseQuantity(e.gasLimit) &&
        a.value === parseQuantity(e.value);
      if (!same) return fail(`callcreate ${i} differs`);
    }
  }
  const diff = compareState(accountsFromJson(t.post), r.postState);
  if (diff) return fail(diff);
  return { ...base, passed: true };
}

/** Run every test in a VMTests-format file (normally exactly one). */
export function runVmTests(path: string, opts: VmTestOptions): VmTestResult[] {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, VmTestJson>;
  return Object.entries(doc).map(([name, t]) => runVmTest(name, t, opts));
}

/** Run a VMTests file; with several tests in it, passed only when all pass (the first failure's reason). */
export function runVmTestFile(path: string, opts: VmTestOptions): VmTestResult {
  let results: VmTestResult[];
  try {
    results = runVmTests(path, opts);
  } catch (err) {
    return { name: path, passed: false, reason: `cannot read: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (results.length === 1) return results[0]!;
  const failed = results.find((r) => !r.passed);
  const name = results.map((r) => r.name).join(',') || path;
  return failed ? { name, passed: false, reason: `${failed.name}: ${failed.reason}` } : { name, passed: true };
}

export interface VmTestsManifestEntry {
  file: string;
  test: string;
  category: string;
  expect: 'success' | 'exception';
  gasUsed?: number;
  flags?: string[];
}

/** Environment variable naming the VMTests directory (the folder holding manifest.json). */
export const VMTESTS_ENV = 'JITBENCH_VMTESTS';

/** The VMTests directory: $JITBENCH_VMTESTS (made absolute), else shared/conformance/vmtests next to the repository. */
export function defaultVmTestsDir(): string {
  const env = process.env[VMTESTS_ENV];
  if (env) return resolve(env);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, '..', 'shared', 'conformance', 'vmtests');
    dir = dirname(dir);
  }
  return join(process.cwd(), '..', 'shared', 'conformance', 'vmtests');
}

export function loadVmTestsManifest(dir = defaultVmTestsDir()): VmTestsManifestEntry[] {
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { tests: VmTestsManifestEntry[] };
  return m.tests;
}


/** The VMTests-format files under the given files and directories (recursively; manifest.json and non-JSON files skipped), sorted. */
export function findVmTestFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(join(p, name));
    } else if (p.endsWith('.json') && !p.endsWith('manifest.json')) out.push(p);
  };
  for (const p of paths) walk(p);
  return out;
}
