/**
 * Shrinking a diverging case: delta debugging (Zeller's ddmin, complement removal) over the
 * bytes of the program, then over the other accounts (dropped, code emptied or shrunk, storage
 * dropped) and the call's inputs, keeping every step that still shows the divergence.
 */
import type { Address } from '../address.js';
import { type FuzzCase, cloneCase } from './case.js';

/** ddmin: a smallest-found sublist of `items` for which `test` holds (`test(items)` must hold). */
export function ddmin<T>(items: readonly T[], test: (xs: T[]) => boolean, budget = { left: 2000 }): T[] {
  let cur = [...items];
  if (cur.length === 0) return cur;
  if (budget.left-- > 0 && test([])) return [];
  let n = 2;
  while (cur.length >= 2 && budget.left > 0) {
    const chunk = Math.ceil(cur.length / n);
    let reduced = false;
    for (let i = 0; i < cur.length && budget.left > 0; i += chunk) {
      const complement = [...cur.slice(0, i), ...cur.slice(i + chunk)];
      budget.left--;
      if (test(complement)) {
        cur = complement;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= cur.length) break;
      n = Math.min(cur.length, n * 2);
    }
  }
  return cur;
}

/** The code split into instructions (PUSHn with its n data bytes). */
export function instructions(code: Uint8Array): number[][] {
  const out: number[][] = [];
  for (let pc = 0; pc < code.length; ) {
    const op = code[pc]!;
    const n = op >= 0x60 && op <= 0x7f ? op - 0x5e : 1;
    out.push([...code.subarray(pc, pc + n)]);
    pc += n;
  }
  return out;
}

/** Shrink `c` while `diverges` holds. */
export function minimizeCase(c: FuzzCase, diverges: (c: FuzzCase) => boolean, maxTests = 3000): FuzzCase {
  const budget = { left: maxTests };
  let cur = cloneCase(c);
  const attempt = (next: FuzzCase): boolean => {
    if (budget.left-- <= 0) return false;
    if (!diverges(next)) return false;
    cur = next;
    return true;
  };
  const withCode = (base: FuzzCase, a: Address, code: Uint8Array) => {
    const n = cloneCase(base);
    n.preState.get(a)!.code = code;
    return n;
  };

  const shrinkCode = (a: Address) => {
    const acc = cur.preState.get(a);
    if (!acc || acc.code.length === 0) return;
    // whole instructions first (a PUSH with its data), then single bytes
    const ins = ddmin(instructions(acc.code), (xs) => diverges(withCode(cur, a, Uint8Array.from(xs.flat()))), budget);
    cur = withCode(cur, a, Uint8Array.from(ins.flat()));
    const bytes = ddmin([...cur.preState.get(a)!.code], (xs) => diverges(withCode(cur, a, Uint8Array.from(xs))), budget);
    cur = withCode(cur, a, Uint8Array.from(bytes));
  };

  shrinkCode(cur.address);
  // the other accounts: drop them, else empty their code, else shrink it; drop storage slots
  for (const a of [...cur.preState.keys()]) {
    if (a === cur.address) continue;
    const without = cloneCase(cur);
    without.preState.delete(a);
    if (a !== cur.caller && attempt(without)) continue;
    if (cur.preState.get(a)!.code.length > 0 && !attempt(withCode(cur, a, new Uint8Array(0)))) shrinkCode(a);
  }
  for (const [a, acc] of [...cur.preState]) {
    for (const k of [...acc.storage.keys()]) {
      const n = cloneCase(cur);
      n.preState.get(a)!.storage.delete(k);
      attempt(n);
    }
  }
  if (cur.calldata.length > 0) {
    const n = cloneCase(cur);
    n.calldata = new Uint8Array(0);
    attempt(n);
  }
  if (cur.value !== 0n) {
    const n = cloneCase(cur);
    n.value = 0n;
    attempt(n);
  }
  if (cur.accessList) {
    const n = cloneCase(cur);
    delete n.accessList;
    attempt(n);
  }
  if (cur.blobHashes.length > 0) {
    const n = cloneCase(cur);
    n.blobHashes = [];
    attempt(n);
  }
  // a second pass over the program: removing accounts may have made more of it removable
  shrinkCode(cur.address);
  return cur;
}
