/**
 * World state for one transaction: accounts (balance, nonce, code, storage) plus the
 * transaction-scoped sets the forks need (original storage values for net metering, warm
 * addresses/slots for EIP-2929, transient storage for EIP-1153, self-destructs, created accounts,
 * touched accounts, logs, the refund counter). Every change goes through a journal so that a
 * reverted call frame undoes exactly its own changes: `checkpoint()` before, `revert(cp)` on failure.
 */
import type { Address } from './address.js';
import { keccak256, EMPTY_CODE_HASH } from './keccak.js';
import type { Log } from './types.js';

export interface Account {
  nonce: bigint;
  balance: bigint;
  code: Uint8Array;
  /** Non-zero slots only. */
  storage: Map<bigint, bigint>;
}

/** Plain account data, as given in a pre-state or returned as a post-state. */
export interface AccountData {
  nonce: bigint;
  balance: bigint;
  code: Uint8Array;
  storage: Map<bigint, bigint>;
}

const EMPTY_CODE = new Uint8Array(0);

export class State {
  private readonly accounts = new Map<Address, Account>();
  private readonly journal: Array<() => void> = [];
  private readonly codeHashes = new WeakMap<Uint8Array, Uint8Array>();
  /** Storage values at the start of the transaction, recorded on first write (EIP-1283/2200). */
  private readonly originals = new Map<Address, Map<bigint, bigint>>();
  private readonly warmAddresses = new Set<Address>();
  private readonly warmSlots = new Map<Address, Set<bigint>>();
  private readonly transient = new Map<Address, Map<bigint, bigint>>();
  readonly selfDestructs = new Set<Address>();
  readonly created = new Set<Address>();
  /** EIP-161 touches (journaled). */
  readonly touchedAccounts = new Set<Address>();
  /** Every account any opcode or call looked at (not journaled: a report of what was accessed). */
  readonly accessed = new Set<Address>();
  logs: Log[] = [];
  refund = 0;
  /**
   * Goes up at every change that may change a storage slot: a write, a revert, an account created
   * or deleted, the end of the transaction. A copy of slots kept outside this object (evm-native's
   * slot cache) is still right while the epoch it last saw stands.
   */
  storageEpoch = 0;

  constructor(pre?: Iterable<[Address, AccountData]>) {
    if (pre) for (const [a, d] of pre) this.accounts.set(a, { nonce: d.nonce, balance: d.balance, code: d.code, storage: new Map(d.storage) });
  }

  // ------------------------------------------------------------------ journal

  checkpoint(): number {
    return this.journal.length;
  }

  revert(cp: number): void {
    const j = this.journal;
    if (j.length > cp) this.storageEpoch++;
    while (j.length > cp) j.pop()!();
  }

  // ------------------------------------------------------------------ accounts

  getAccount(a: Address): Account | undefined {
    return this.accounts.get(a);
  }

  exists(a: Address): boolean {
    return this.accounts.has(a);
  }

  /** EIP-161 empty: no code, nonce 0, balance 0 (a missing account is empty too). */
  isEmpty(a: Address): boolean {
    const acc = this.accounts.get(a);
    return !acc || (acc.nonce === 0n && acc.balance === 0n && acc.code.length === 0);
  }

  /** The account, created empty (journaled) when missing. */
  getOrCreate(a: Address): Account {
    let acc = this.accounts.get(a);
    if (!acc) {
      acc = { nonce: 0n, balance: 0n, code: EMPTY_CODE, storage: new Map() };
      this.accounts.set(a, acc);
      this.journal.push(() => this.accounts.delete(a));
    }
    return acc;
  }

  /** Create (or reset, keeping the balance) an account for a new contract. */
  createContractAccount(a: Address, nonce: bigint): void {
    const prev = this.accounts.get(a);
    const acc: Account = { nonce, balance: prev?.balance ?? 0n, code: EMPTY_CODE, storage: new Map() };
    this.accounts.set(a, acc);
    this.storageEpoch++;
    this.journal.push(() => {
      if (prev) this.accounts.set(a, prev);
      else this.accounts.delete(a);
    });
    if (!this.created.has(a)) {
      this.created.add(a);
      this.journal.push(() => this.created.delete(a));
    }
  }

  deleteAccount(a: Address): void {
    const prev = this.accounts.get(a);
    if (!prev) return;
    this.accounts.delete(a);
    this.storageEpoch++;
    this.journal.push(() => this.accounts.set(a, prev));
  }

  getBalance(a: Address): bigint {
    return this.accounts.get(a)?.balance ?? 0n;
  }

  setBalance(a: Address, v: bigint): void {
    const acc = this.getOrCreate(a);
    const prev = acc.balance;
    if (prev === v) return;
    acc.balance = v;
    this.journal.push(() => {
      acc.balance = prev;
    });
  }

  addBalance(a: Address, v: bigint): void {
    this.setBalance(a, this.getBalance(a) + v);
  }

  getNonce(a: Address): bigint {
    return this.accounts.get(a)?.nonce ?? 0n;
  }

  setNonce(a: Address, v: bigint): void {
    const acc = this.getOrCreate(a);
    const prev = acc.nonce;
    acc.nonce = v;
    this.journal.push(() => {
      acc.nonce = prev;
    });
  }

  getCode(a: Address): Uint8Array {
    return this.accounts.get(a)?.code ?? EMPTY_CODE;
  }

  setCode(a: Address, code: Uint8Array): void {
    const acc = this.getOrCreate(a);
    const prev = acc.code;
    acc.code = code;
    this.journal.push(() => {
      acc.code = prev;
    });
  }

  /** keccak256 of the code (cached per code array); EXTCODEHASH of a missing account is 0 (the caller decides). */
  getCodeHash(a: Address): Uint8Array {
    const code = this.getCode(a);
    if (code.length === 0) return EMPTY_CODE_HASH;
    let h = this.codeHashes.get(code);
    if (!h) {
      h = keccak256(code);
      this.codeHashes.set(code, h);
    }
    return h;
  }

  // ------------------------------------------------------------------ storage

  getStorage(a: Address, key: bigint): bigint {
    return this.accounts.get(a)?.storage.get(key) ?? 0n;
  }

  /** The slot's value at the start of the transaction. */
  getOriginalStorage(a: Address, key: bigint): bigint {
    const m = this.originals.get(a);
    if (m && m.has(key)) return m.get(key)!;
    return this.getStorage(a, key);
  }

  setStorage(a: Address, key: bigint, value: bigint): void {
    const acc = this.getOrCreate(a);
    const prev = acc.storage.get(key) ?? 0n;
    let orig = this.originals.get(a);
    if (!orig) this.originals.set(a, (orig = new Map()));
    if (!orig.has(key)) orig.set(key, prev);
    if (prev === value) return;
    this.storageEpoch++;
    const st = acc.storage;
    if (value === 0n) st.delete(key);
    else st.set(key, value);
    this.journal.push(() => {
      if (prev === 0n) st.delete(key);
      else st.set(key, prev);
    });
  }

  /** Slots written in this transaction with their original and current values. */
  storageWrites(): Array<{ address: Address; key: bigint; original: bigint; value: bigint }> {
    const out: Array<{ address: Address; key: bigint; original: bigint; value: bigint }> = [];
    for (const [address, m] of this.originals) {
      for (const [key, original] of m) out.push({ address, key, original, value: this.getStorage(address, key) });
    }
    return out;
  }

  // ------------------------------------------------------------------ transient storage (EIP-1153)

  getTransient(a: Address, key: bigint): bigint {
    return this.transient.get(a)?.get(key) ?? 0n;
  }

  setTransient(a: Address, key: bigint, value: bigint): void {
    let m = this.transient.get(a);
    if (!m) this.transient.set(a, (m = new Map()));
    const prev = m.get(key) ?? 0n;
    if (prev === value) return;
    const mm = m;
    if (value === 0n) mm.delete(key);
    else mm.set(key, value);
    this.journal.push(() => {
      if (prev === 0n) mm.delete(key);
      else mm.set(key, prev);
    });
  }

  // ------------------------------------------------------------------ access lists (EIP-2929)

  /** Mark an address warm; returns true when it was cold. */
  warmAddress(a: Address): boolean {
    if (this.warmAddresses.has(a)) return false;
    this.warmAddresses.add(a);
    this.journal.push(() => this.warmAddresses.delete(a));
    return true;
  }

  isWarmAddress(a: Address): boolean {
    return this.warmAddresses.has(a);
  }

  /** Mark a slot warm; returns true when it was cold. */
  warmSlot(a: Address, key: bigint): boolean {
    let s = this.warmSlots.get(a);
    if (!s) this.warmSlots.set(a, (s = new Set()));
    if (s.has(key)) return false;
    const ss = s;
    ss.add(key);
    this.journal.push(() => ss.delete(key));
    return true;
  }

  // ------------------------------------------------------------------ tx-scoped bookkeeping

  markSelfDestruct(a: Address): boolean {
    if (this.selfDestructs.has(a)) return false;
    this.selfDestructs.add(a);
    this.journal.push(() => this.selfDestructs.delete(a));
    return true;
  }

  touch(a: Address): void {
    this.accessed.add(a);
    if (this.touchedAccounts.has(a)) return;
    this.touchedAccounts.add(a);
    this.journal.push(() => this.touchedAccounts.delete(a));
  }

  addLog(log: Log): void {
    this.logs.push(log);
    this.journal.push(() => {
      this.logs.pop();
    });
  }

  addRefund(delta: number): void {
    if (delta === 0) return;
    this.refund += delta;
    this.journal.push(() => {
      this.refund -= delta;
    });
  }

  /**
   * End of the transaction: delete self-destructed accounts and, when `clearEmpty` (EIP-161),
   * touched accounts that are empty. Not journaled.
   */
  finalize(clearEmpty: boolean): void {
    this.storageEpoch++;
    for (const a of this.selfDestructs) this.accounts.delete(a);
    if (clearEmpty) for (const a of this.touchedAccounts) if (this.accounts.has(a) && this.isEmpty(a)) this.accounts.delete(a);
    this.journal.length = 0;
  }

  /** A deep copy of every account (the post-state). */
  snapshot(): Map<Address, AccountData> {
    const out = new Map<Address, AccountData>();
    for (const [a, acc] of this.accounts) out.set(a, { nonce: acc.nonce, balance: acc.balance, code: acc.code, storage: new Map(acc.storage) });
    return out;
  }

  /** The EIP-2929 warm addresses and slots right now (copies, for engines that run elsewhere). */
  warmSnapshot(): { addresses: Address[]; slots: Array<[Address, bigint[]]> } {
    return { addresses: [...this.warmAddresses], slots: [...this.warmSlots].map(([a, keys]) => [a, [...keys]]) };
  }

  addresses(): Address[] {
    return [...this.accounts.keys()];
  }
}
