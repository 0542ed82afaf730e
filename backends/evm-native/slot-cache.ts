/**
 * The engine's side of the storage slot cache (layout.ts SLOT_*, storage-wasm.ts): compiled SLOAD
 * and SSTORE work on a table in the module memory, and the world state (`State`) stays the truth
 * everywhere else. The rules that keep the two the same:
 * - a slot is either in the table or only in the state: the SLOAD import puts a slot in the table
 *   when a compiled SLOAD misses it (with its original value, after marking it warm), and a
 *   compiled SSTORE handles every store to a slot in the table (the import only stores slots
 *   that are not in it);
 * - entries written natively are dirty until `flushSlots` writes them into the state (through
 *   `setStorage` and `addRefund`, journaled as the interpreter's writes are), which the engine
 *   does whenever the module hands control to anything else: the frame returns, or leaves to the
 *   interpreter (which may run this frame's storage opcodes or call other frames);
 * - a frame that reverts or halts drops its dirty entries (`dropSlots`);
 * - before every entry into a module, `syncSlots` empties the table when the state is another
 *   transaction's, or changed since the cache last saw it (`State.storageEpoch`: a revert, an
 *   interpreted SSTORE, an account created or deleted).
 */
import * as U from '../../src/evm/u256.js';
import type { Address } from '../../src/evm/address.js';
import type { State } from '../../src/evm/state.js';
import { SLOT_DIRTY_COUNT, SLOT_DIRTY_LIST, SLOT_E_ADDR, SLOT_E_CURRENT, SLOT_E_DIRTY, SLOT_E_KEY, SLOT_E_ORIGINAL, SLOT_GEN, SLOT_INSERT_AT, SLOT_REFUND } from './layout.js';

const seen: { state: State | undefined; epoch: number } = { state: undefined, epoch: -1 };
const ids = new Map<Address, number>();
const addresses: Address[] = [];
/** Past this many addresses the numbering starts again (and the table is emptied). */
const MAX_IDS = 1 << 20;

/** The small number a compiled frame names its storage address by. */
export function slotAddressId(a: Address, words: Uint32Array): number {
  let id = ids.get(a);
  if (id === undefined) {
    if (addresses.length === MAX_IDS) {
      ids.clear();
      addresses.length = 0;
      emptyTable(words);
    }
    id = addresses.length;
    ids.set(a, id);
    addresses.push(a);
  }
  return id;
}

function emptyTable(words: Uint32Array): void {
  // generation 0 is what a fresh table holds: skip it when the counter wraps
  const g = (words[SLOT_GEN >>> 2]! + 1) >>> 0;
  words[SLOT_GEN >>> 2] = g === 0 ? 1 : g;
  words[SLOT_DIRTY_COUNT >>> 2] = 0;
  words[SLOT_REFUND >>> 2] = 0;
}

/** Before an entry into a module: empty the table if the state is not the one it mirrors. */
export function syncSlots(state: State, words: Uint32Array): void {
  if (state === seen.state && state.storageEpoch === seen.epoch) return;
  emptyTable(words);
  seen.state = state;
  seen.epoch = state.storageEpoch;
}

/** The state changed a slot that is not in the table (the SSTORE import): the table is still right. */
export function slotsStillValid(state: State): void {
  if (state === seen.state) seen.epoch = state.storageEpoch;
}

/**
 * The SLOAD import read `key` (the stack word at `keyAt`) of `address`, now warm, as `value`: put
 * the slot where the compiled lookup said, if it said.
 */
export function fillSlot(words: Uint32Array, stack: Uint32Array, keyAt: number, state: State, address: Address, addrId: number, key: bigint, value: bigint): void {
  const at = words[SLOT_INSERT_AT >>> 2]!;
  if (at === 0) return;
  const original = state.getOriginalStorage(address, key);
  words[SLOT_INSERT_AT >>> 2] = 0;
  const e = at >>> 2;
  words[e] = words[SLOT_GEN >>> 2]!;
  words[e + (SLOT_E_ADDR >>> 2)] = addrId;
  words[e + (SLOT_E_DIRTY >>> 2)] = 0;
  words.set(stack.subarray(keyAt, keyAt + 8), e + (SLOT_E_KEY >>> 2));
  U.fromBigInt(words, e + (SLOT_E_CURRENT >>> 2), value);
  U.fromBigInt(words, e + (SLOT_E_ORIGINAL >>> 2), original);
}

/** A lookup that missed and went no further (the import failed): forget where it would have gone. */
export function forgetInsert(words: Uint32Array): void {
  words[SLOT_INSERT_AT >>> 2] = 0;
}

/** Write the dirty entries and the refund change into the state; the table stays valid. */
export function flushSlots(state: State, words: Uint32Array): void {
  const n = words[SLOT_DIRTY_COUNT >>> 2]!;
  if (n !== 0) {
    for (let i = 0; i < n; i++) {
      const e = words[(SLOT_DIRTY_LIST >>> 2) + i]! >>> 2;
      words[e + (SLOT_E_DIRTY >>> 2)] = 0;
      state.setStorage(addresses[words[e + (SLOT_E_ADDR >>> 2)]!]!, U.toBigInt(words, e + (SLOT_E_KEY >>> 2)), U.toBigInt(words, e + (SLOT_E_CURRENT >>> 2)));
    }
    words[SLOT_DIRTY_COUNT >>> 2] = 0;
  }
  const refund = words[SLOT_REFUND >>> 2]! | 0;
  if (refund !== 0) {
    state.addRefund(refund);
    words[SLOT_REFUND >>> 2] = 0;
  }
  if (state === seen.state) seen.epoch = state.storageEpoch;
}

/** The frame reverted or halted: its dirty entries never happened. */
export function dropSlots(words: Uint32Array): void {
  if (words[SLOT_DIRTY_COUNT >>> 2] !== 0 || words[SLOT_REFUND >>> 2] !== 0) emptyTable(words);
}
