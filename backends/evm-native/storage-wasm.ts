/**
 * SLOAD and SSTORE inside a compiled module, on the slot cache (layout.ts SLOT_*): two helper
 * functions every module that touches storage carries.
 *
 * slot_find(keyAddr, addrId) -> the entry of (address, key), or 0 on a miss; a miss leaves at
 * SLOT_INSERT_AT the first free entry on the key's probe path (0 when the path is full), which
 * the SLOAD import then fills from the world state (slot-cache.ts). A compiled SLOAD that finds
 * its slot reads the current value: the slot is warm (it was read in this transaction and
 * nothing reverted since, or the table would have been emptied), so its cost is the static one.
 *
 * slot_store(keyAddr, addrId, gas, isStatic) -> the gas an SSTORE of a cached slot costs, after
 * writing the value into the entry (marked dirty, listed, its refund change added to
 * SLOT_REFUND), by the net-metering rules of EIP-2200 / EIP-2929 / EIP-3529 with this fork's
 * constants (gas.ts `sstoreCharge` is the same rule on BigInts). -1 when it does not handle the
 * store: a static frame, gas at or below the EIP-2200 sentry, or a slot not in the table; then
 * the import does it on the world state, so a slot is either in the table or only in the state.
 * The caller compares the cost with the gas left (more is out of gas: the frame halts and its
 * dirty entries are dropped).
 */
import binaryen from 'binaryen';
import type { GasSchedule } from '../../src/evm/gas.js';
import { Locals } from './u256-wasm.js';
import { SLOT_DIRTY_COUNT, SLOT_DIRTY_LIST, SLOT_E_ADDR, SLOT_E_CURRENT, SLOT_E_DIRTY, SLOT_E_KEY, SLOT_E_ORIGINAL, SLOT_ENTRIES, SLOT_ENTRY_BYTES, SLOT_GEN, SLOT_INSERT_AT, SLOT_PROBES, SLOT_REFUND, SLOT_TABLE } from './layout.js';

const i32 = binaryen.i32;
const i64 = binaryen.i64;
type Expr = binaryen.ExpressionRef;

export const HELPER_SLOT_FIND = 'slot_find';
export const HELPER_SLOT_STORE = 'slot_store';

/** Whether the fork's SSTORE is net-metered with the sentry (Istanbul and later): the rules slot_store knows. */
export function slotCacheApplies(g: GasSchedule): boolean {
  return g.sstoreRule === 'eip2200' || g.sstoreRule === 'eip2929';
}

export function addSlotHelpers(m: binaryen.Module, g: GasSchedule): void {
  addSlotFind(m);
  addSlotStore(m, g);
}

function addSlotFind(m: binaryen.Module): void {
  const KEY = 0, ADDR = 1;
  const L = new Locals(2);
  const GEN = L.add(i32), H = L.add(i32), I = L.add(i32), E = L.add(i32);
  const K = [L.add(i64), L.add(i64), L.add(i64), L.add(i64)];
  const get = (l: number, t = i32) => m.local.get(l, t);
  const shift = 32 - Math.log2(SLOT_ENTRIES);
  const lo = (x: Expr) => m.i32.wrap(x);
  const hi = (x: Expr) => m.i32.wrap(m.i64.shr_u(x, m.i64.const(32n)));
  const sameKey = K.map((k, j) => m.i64.eq(m.i64.load(SLOT_E_KEY + 8 * j, 8, get(E)), get(k, i64))).reduce((a, b) => m.i32.and(a, b));
  const body: Expr[] = [
    m.local.set(GEN, m.i32.load(0, 4, m.i32.const(SLOT_GEN))),
    ...K.map((k, j) => m.local.set(k, m.i64.load(8 * j, 8, get(KEY)))),
    // slotIndex() above, in wasm
    m.local.set(H, m.i32.shr_u(m.i32.mul(m.i32.xor(m.i32.xor(m.i32.xor(lo(get(K[0]!, i64)), hi(get(K[0]!, i64))), hi(get(K[3]!, i64))), m.i32.mul(get(ADDR), m.i32.const(0x9e3779b1 | 0))), m.i32.const(0x85ebca6b | 0)), m.i32.const(shift))),
    m.local.set(I, m.i32.const(0)),
    m.block('miss', [
      m.loop('probe', m.block(null, [
        m.br('miss', m.i32.ge_u(get(I), m.i32.const(SLOT_PROBES))),
        m.local.set(E, m.i32.add(m.i32.const(SLOT_TABLE), m.i32.mul(m.i32.and(m.i32.add(get(H), get(I)), m.i32.const(SLOT_ENTRIES - 1)), m.i32.const(SLOT_ENTRY_BYTES)))),
        // a stale entry ends the path: nothing of this generation lies past it
        m.if(m.i32.ne(m.i32.load(0, 4, get(E)), get(GEN)), m.block(null, [m.i32.store(0, 4, m.i32.const(SLOT_INSERT_AT), get(E)), m.return(m.i32.const(0))])),
        m.if(m.i32.and(m.i32.eq(m.i32.load(SLOT_E_ADDR, 4, get(E)), get(ADDR)), sameKey), m.return(get(E))),
        m.local.set(I, m.i32.add(get(I), m.i32.const(1))),
        m.br('probe'),
      ])),
    ]),
    m.i32.store(0, 4, m.i32.const(SLOT_INSERT_AT), m.i32.const(0)),
    m.i32.const(0),
  ];
  m.addFunction(HELPER_SLOT_FIND, binaryen.createType([i32, i32]), i32, L.vars, m.block(null, body, i32));
}

function addSlotStore(m: binaryen.Module, g: GasSchedule): void {
  const KEY = 0, ADDR = 1, GAS = 2, STATIC = 3;
  const L = new Locals(4);
  const E = L.add(i32), COST = L.add(i64), REFUND = L.add(i32), N = L.add(i32);
  const V = [L.add(i64), L.add(i64), L.add(i64), L.add(i64)];
  const get = (l: number, t = i32) => m.local.get(l, t);
  const noop = g.sstoreRule === 'eip2200' ? 800 : g.warmAccess;
  const set = g.sstoreSet;
  const reset = g.sstoreRule === 'eip2929' ? g.sstoreReset : 5000;
  const clear = g.sstoreClearRefund;
  const word = (at: number) => [0, 1, 2, 3].map((j) => m.i64.load(at + 8 * j, 8, get(E)));
  const value = () => V.map((v) => get(v, i64));
  const eq = (a: Expr[], b: Expr[]) => a.map((x, j) => m.i64.eq(x, b[j]!)).reduce((p, q) => m.i32.and(p, q));
  const zero = (a: Expr[]) => m.i64.eqz(a.reduce((p, q) => m.i64.or(p, q)));
  const cur = () => word(SLOT_E_CURRENT);
  const orig = () => word(SLOT_E_ORIGINAL);
  const refund = (delta: number) => m.local.set(REFUND, m.i32.add(get(REFUND), m.i32.const(delta)));
  const body: Expr[] = [
    m.if(get(STATIC), m.return(m.i64.const(-1n))),
    m.if(m.i64.le_s(get(GAS, i64), m.i64.const(BigInt(g.sstoreSentry))), m.return(m.i64.const(-1n))),
    m.local.set(E, m.call(HELPER_SLOT_FIND, [get(KEY), get(ADDR)], i32)),
    m.if(m.i32.eqz(get(E)), m.block(null, [m.i32.store(0, 4, m.i32.const(SLOT_INSERT_AT), m.i32.const(0)), m.return(m.i64.const(-1n))])),
    // the value is the word under the key
    ...V.map((v, j) => m.local.set(v, m.i64.load(8 * j, 8, m.i32.sub(get(KEY), m.i32.const(32))))),
    m.if(eq(cur(), value()), m.return(m.i64.const(BigInt(noop)))),
    m.local.set(REFUND, m.i32.const(0)),
    m.if(
      eq(orig(), cur()),
      m.if(zero(orig()), m.local.set(COST, m.i64.const(BigInt(set))), m.block(null, [m.local.set(COST, m.i64.const(BigInt(reset))), m.if(zero(value()), refund(clear))])),
      m.block(null, [
        m.local.set(COST, m.i64.const(BigInt(noop))),
        m.if(m.i32.eqz(zero(orig())), m.if(zero(cur()), refund(-clear), m.if(zero(value()), refund(clear)))),
        m.if(eq(orig(), value()), m.if(zero(orig()), refund(set - noop), refund(reset - noop))),
      ]),
    ),
    ...V.map((v, j) => m.i64.store(SLOT_E_CURRENT + 8 * j, 8, get(E), get(v, i64))),
    m.i32.store(0, 4, m.i32.const(SLOT_REFUND), m.i32.add(m.i32.load(0, 4, m.i32.const(SLOT_REFUND)), get(REFUND))),
    m.if(
      m.i32.eqz(m.i32.load(SLOT_E_DIRTY, 4, get(E))),
      m.block(null, [
        m.i32.store(SLOT_E_DIRTY, 4, get(E), m.i32.const(1)),
        m.local.set(N, m.i32.load(0, 4, m.i32.const(SLOT_DIRTY_COUNT))),
        m.i32.store(SLOT_DIRTY_LIST, 4, m.i32.shl(get(N), m.i32.const(2)), get(E)),
        m.i32.store(0, 4, m.i32.const(SLOT_DIRTY_COUNT), m.i32.add(get(N), m.i32.const(1))),
      ]),
    ),
    get(COST, i64),
  ];
  m.addFunction(HELPER_SLOT_STORE, binaryen.createType([i32, i32, i64, i32]), i64, L.vars, m.block(null, body, i64));
}
