/**
 * EIP-7702 (Prague) delegation designators: an account whose code is exactly
 * 0xef0100 ++ address runs the code of that address when called. A set-code transaction's
 * authorization list writes them; a message call here takes them from the pre-state.
 */
import { bytesToAddress, type Address } from './address.js';

export const DELEGATION_PREFIX = new Uint8Array([0xef, 0x01, 0x00]);
const DESIGNATOR_LENGTH = 23;

/** The address an account's code delegates to, or undefined when the code is not a designator. */
export function delegatedAddress(code: Uint8Array): Address | undefined {
  if (code.length !== DESIGNATOR_LENGTH || code[0] !== 0xef || code[1] !== 0x01 || code[2] !== 0x00) return undefined;
  return bytesToAddress(code.subarray(3));
}

/** The designator code delegating to `target`. */
export function delegationCode(target: Address): Uint8Array {
  const out = new Uint8Array(DESIGNATOR_LENGTH);
  out.set(DELEGATION_PREFIX, 0);
  for (let i = 0; i < 20; i++) out[3 + i] = parseInt(target.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}
