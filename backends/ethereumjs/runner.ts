/**
 * Runs one top-level frame on @ethereumjs/evm (asynchronous; the engine in index.ts calls it through
 * a worker thread to make it synchronous).
 *
 * One EVM and one SimpleStateManager per (fork, chain id), reused, and reset around every call so
 * each call sees exactly its own pre-state: a state-manager checkpoint before the pre-state is
 * loaded and a revert after the call, then the journal (warm addresses and slots, touched
 * accounts), the original-storage cache (EIP-2200 originals) and transient storage are cleared.
 *
 * The frame runs through `runCall` as a depth-0 message with `delegatecall: true` and
 * `skipNonceIncrement: true`: the caller's nonce is not bumped (no transaction) and no value moves
 * (the core's runMessageCall moves it before the engine runs, or not at all with
 * transferValue: false), while CALLVALUE still reads `value`. runCall, unlike runCode, sets up what
 * nested frames need (the created-addresses set for EIP-6780, checkpoints, selfdestruct sets).
 */
import { Common, Mainnet, createCustomCommon, type Hardfork } from '@ethereumjs/common';
import { EVM, createEVM, type EVMMockBlockchainInterface, type EVMRunCallOpts } from '@ethereumjs/evm';
import { SimpleStateManager } from '@ethereumjs/statemanager';
import { Account, Address, bigIntToBytes, bytesToBigInt, hexToBytes, setLengthLeft } from '@ethereumjs/util';
import type { EjsAccount, EjsRequest, EjsResponse } from './protocol.js';

/** Our fork names to @ethereumjs/common hardfork names. */
const HARDFORK: Record<string, string> = {
  frontier: 'chainstart',
  homestead: 'homestead',
  tangerineWhistle: 'tangerineWhistle',
  spuriousDragon: 'spuriousDragon',
  byzantium: 'byzantium',
  constantinople: 'constantinople',
  petersburg: 'petersburg',
  istanbul: 'istanbul',
  berlin: 'berlin',
  london: 'london',
  paris: 'paris',
  shanghai: 'shanghai',
  cancun: 'cancun',
  prague: 'prague',
};

const ZERO32 = new Uint8Array(32);

/** BLOCKHASH goes to `blockchain.getBlock(n).hash()`: answer from the current call's table. */
class HashTable {
  hashes = new Map<bigint, bigint>();
  async getBlock(n?: number | bigint): Promise<{ hash(): Uint8Array }> {
    const h = n === undefined ? undefined : this.hashes.get(BigInt(n));
    const bytes = h === undefined ? ZERO32 : setLengthLeft(bigIntToBytes(h), 32);
    return { hash: () => bytes };
  }
  async putBlock(): Promise<void> {}
  shallowCopy(): HashTable {
    return this;
  }
}

/**
 * Contracts created by the call, journaled like ours: ethereumjs keeps `createdAddresses` only from
 * Cancun (EIP-6780), so the frames' messages are followed instead. Each frame collects the
 * addresses its successful creates made; a successful frame hands its list to its parent.
 */
class CreatedTracker {
  private stack: string[][] = [];
  result: string[] = [];
  reset(): void {
    this.stack = [];
    this.result = [];
  }
  before(): void {
    this.stack.push([]);
  }
  after(r: { createdAddress?: Address; execResult: { exceptionError?: { error: string } } }, chainstart: boolean): void {
    const mine = this.stack.pop() ?? [];
    const err = r.execResult.exceptionError?.error;
    const ok = err === undefined || (chainstart && err === 'code store out of gas');
    if (!ok) return;
    if (r.createdAddress) mine.push(r.createdAddress.toString().toLowerCase());
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.push(...mine);
    else this.result.push(...mine);
  }
}

interface Instance {
  evm: EVM;
  sm: SimpleStateManager;
  chain: HashTable;
  created: CreatedTracker;
}

const instances = new Map<string, Promise<Instance>>();

function instance(fork: string, chainId: bigint): Promise<Instance> {
  const key = `${fork}/${chainId}`;
  let p = instances.get(key);
  if (!p) {
    const hardfork = HARDFORK[fork];
    if (!hardfork) throw new Error(`ethereumjs: unknown fork '${fork}'`);
    p = (async () => {
      const common =
        chainId === 1n
          ? new Common({ chain: Mainnet, hardfork: hardfork as Hardfork })
          : createCustomCommon({ chainId: Number(chainId) }, Mainnet, { hardfork: hardfork as Hardfork });
      const sm = new SimpleStateManager({ common });
      const chain = new HashTable();
      const evm = await createEVM({ common, stateManager: sm, blockchain: chain as unknown as EVMMockBlockchainInterface });
      const created = new CreatedTracker();
      const chainstart = hardfork === 'chainstart';
      // one-argument listeners: called synchronously, not awaited
      evm.events.on('beforeMessage', (_m) => created.before());
      evm.events.on('afterMessage', (r) => created.after(r, chainstart));
      return { evm, sm, chain, created };
    })();
    instances.set(key, p);
  }
  return p;
}

const addr = (a: string) => new Address(hexToBytes(a as `0x${string}`));
const key32 = (k: bigint) => setLengthLeft(bigIntToBytes(k), 32);
const unprefixed = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

async function loadAccount(sm: SimpleStateManager, a: EjsAccount): Promise<void> {
  const address = addr(a.address);
  await sm.putAccount(address, new Account(a.nonce, a.balance));
  if (a.code.length > 0) await sm.putCode(address, a.code);
  for (const [k, v] of a.storage) if (v !== 0n) await sm.putStorage(address, key32(k), bigIntToBytes(v));
}

/** Every account in the state manager's top layer, with code and non-zero storage. */
function dumpAccounts(sm: SimpleStateManager): { accounts: EjsAccount[]; deleted: string[] } {
  const accounts = sm.accountStack[sm.accountStack.length - 1]!;
  const codes = sm.codeStack[sm.codeStack.length - 1]!;
  const storage = sm.storageStack[sm.storageStack.length - 1]!;
  const slots = new Map<string, Array<[bigint, bigint]>>();
  for (const [k, v] of storage) {
    const i = k.indexOf('_');
    const a = k.slice(0, i).toLowerCase();
    const value = bytesToBigInt(v);
    if (value === 0n) continue;
    let list = slots.get(a);
    if (!list) slots.set(a, (list = []));
    list.push([BigInt(k.slice(i + 1)), value]);
  }
  const out: EjsAccount[] = [];
  const deleted: string[] = [];
  for (const [a, acc] of accounts) {
    const address = a.toLowerCase();
    if (acc === undefined) {
      deleted.push(address);
      continue;
    }
    out.push({ address, nonce: acc.nonce, balance: acc.balance, code: codes.get(a) ?? new Uint8Array(0), storage: slots.get(address) ?? [] });
  }
  return { accounts: out, deleted };
}

/** EIP-161 touched accounts (unprefixed hex): a private field of the Journal. */
function journalTouched(evm: EVM): Set<string> {
  const t = (evm.journal as unknown as { touched?: Set<string> }).touched;
  if (!(t instanceof Set)) throw new Error('ethereumjs: Journal.touched is not a Set (unexpected @ethereumjs/evm version)');
  return t;
}

export async function runEthereumjsFrame(req: EjsRequest): Promise<EjsResponse> {
  const { evm, sm, chain, created } = await instance(req.fork, req.chainId);
  const base = sm.accountStack.length;
  await sm.checkpoint();
  try {
    for (const a of req.accounts) await loadAccount(sm, a);
    // runCall with a value transfer would create the callee; without one (delegatecall: true) a
    // callee missing from the pre-state (code given directly) must exist for SSTORE to work
    const to = addr(req.frame.address);
    const implicitTo = (await sm.getAccount(to)) === undefined;
    if (implicitTo) await sm.putAccount(to, new Account());
    created.reset();
    evm.journal.cleanJournal();
    sm.originalStorageCache.clear();
    evm.transientStorage.clear();
    for (const a of req.warmAddresses) evm.journal.addAlwaysWarmAddress(a);
    for (const [a, keys] of req.warmSlots) for (const k of keys) evm.journal.addAlwaysWarmSlot(a, unprefixed(key32(k)));
    chain.hashes = new Map(req.blockHashes);

    const b = req.block;
    const block = {
      header: {
        number: b.number,
        coinbase: addr(b.coinbase),
        timestamp: b.timestamp,
        difficulty: b.difficulty,
        prevRandao: key32(b.prevRandao),
        gasLimit: b.gasLimit,
        baseFeePerGas: b.baseFee,
        slotNumber: 0n,
        getBlobGasPrice: () => b.blobBaseFee,
      },
    };
    const f = req.frame;
    const opts: EVMRunCallOpts = {
      block: block as unknown as EVMRunCallOpts['block'],
      gasPrice: req.tx.gasPrice,
      origin: addr(req.tx.origin),
      caller: addr(f.caller),
      to: addr(f.address),
      value: f.value,
      data: f.calldata,
      code: f.code,
      gasLimit: f.gas,
      depth: 0,
      isStatic: f.isStatic,
      delegatecall: true,
      skipNonceIncrement: true,
      blobVersionedHashes: req.tx.blobHashes.map((h) => `0x${h.toString(16).padStart(64, '0')}` as `0x${string}`),
    };
    const r = await evm.runCall(opts);
    const x = r.execResult;
    const error = x.exceptionError?.error;
    const ok = error === undefined;
    const dump = ok ? dumpAccounts(sm) : { accounts: [], deleted: [] };
    if (implicitTo) {
      // drop the callee again when the call left it as it was put there: empty, no storage
      const i = dump.accounts.findIndex((a) => a.address === req.frame.address);
      const a = dump.accounts[i];
      if (a && a.nonce === 0n && a.balance === 0n && a.code.length === 0 && a.storage.length === 0) dump.accounts.splice(i, 1);
    }
    return {
      ...(error !== undefined ? { error } : {}),
      returnData: x.returnValue ?? new Uint8Array(0),
      gasUsed: x.executionGasUsed,
      gasRefund: ok ? (x.gasRefund ?? 0n) : 0n,
      logs: ok
        ? (x.logs ?? []).map(([address, topics, data]) => ({ address: `0x${unprefixed(address)}`, topics: topics.map((t) => setLengthLeft(t, 32)), data }))
        : [],
      accounts: dump.accounts,
      deleted: dump.deleted,
      // ethereumjs lists every SELFDESTRUCT; under EIP-6780 the VM deletes only accounts created
      // in the same transaction (ours marks only those)
      selfDestructed: ok
        ? [...(x.selfdestruct?.keys() ?? [])].map((a) => a.toLowerCase()).filter((a) => !evm.common.isActivatedEIP(6780) || created.result.includes(a))
        : [],
      created: ok ? created.result.slice() : [],
      touched: [...journalTouched(evm)].map((a) => `0x${a.toLowerCase()}`),
    };
  } finally {
    // back to the empty base layer; forget everything call-scoped
    while (sm.accountStack.length > base) await sm.revert();
    evm.journal.cleanJournal();
    sm.originalStorageCache.clear();
    evm.transientStorage.clear();
  }
}
