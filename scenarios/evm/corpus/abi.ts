/**
 * The ABI encoding the corpus workloads' calls need: a function selector, static words, and
 * dynamic `bytes32[]` / `uint256[]` arrays (head offsets, then length-prefixed tails).
 */
import { bigintToBytes, concatBytes } from '../../../src/evm/hex.js';
import { keccak256 } from '../../../src/evm/keccak.js';

/** One argument: a static word, or a dynamic array of words. */
export type AbiValue = bigint | { words: readonly bigint[] };

/** The 4-byte selector of a signature such as `run(uint256,uint256)`. */
export function selectorOf(signature: string): Uint8Array {
  return keccak256(new TextEncoder().encode(signature)).slice(0, 4);
}

/** A 32-byte word (two's complement for negative values). */
export function word(v: bigint): Uint8Array {
  return bigintToBytes(BigInt.asUintN(256, v), 32);
}

/** selector(signature) ++ abi.encode(args). */
export function encodeFunctionCall(signature: string, args: readonly AbiValue[]): Uint8Array {
  const head: Uint8Array[] = [];
  const tail: Uint8Array[] = [];
  let offset = 32 * args.length;
  for (const a of args) {
    if (typeof a === 'bigint') {
      head.push(word(a));
      continue;
    }
    head.push(word(BigInt(offset)));
    const body = concatBytes(word(BigInt(a.words.length)), ...a.words.map(word));
    tail.push(body);
    offset += body.length;
  }
  return concatBytes(selectorOf(signature), ...head, ...tail);
}

/** abi.encode of static words (constructor arguments, return data). */
export function encodeWords(words: readonly bigint[]): Uint8Array {
  return concatBytes(...words.map(word));
}
