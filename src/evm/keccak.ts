/** keccak256 (the EVM's SHA3), from @noble/hashes. */
import { keccak_256 } from '@noble/hashes/sha3.js';

export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}

/** keccak256 of the empty string: the code hash of an account without code. */
export const EMPTY_CODE_HASH: Uint8Array = keccak256(new Uint8Array(0));
