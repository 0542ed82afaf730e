import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressToWord, toAddress, wordToAddress } from '../src/evm/address.js';

test('wordToAddress: the low 160 bits of a word, the same through its cache when addresses share a cache slot or differ in one limb', () => {
  const w = new Uint32Array(16);
  const put = (v: bigint) => {
    for (let i = 0; i < 8; i++) w[8 + i] = Number((v >> BigInt(32 * i)) & 0xffffffffn);
  };
  const addresses: bigint[] = [0n, 1n, (1n << 160n) - 1n, 0xccn << 152n];
  // the same low limb (one cache slot), every other limb different; and one limb apart
  for (let k = 1n; k <= 5n; k++) addresses.push((k << 128n) | 0x1234n, (k << 32n) | 0x1234n, (k << 96n) | 0xabcdefn);
  for (let round = 0; round < 3; round++) {
    for (const a of addresses) {
      put(a | (round === 2 ? 7n << 200n : 0n)); // bits above 160 are not part of the address
      const expected = '0x' + a.toString(16).padStart(40, '0');
      assert.equal(wordToAddress(w, 8), expected);
      assert.equal(toAddress(expected), expected);
      const back = new Uint32Array(8);
      addressToWord(expected, back, 0);
      assert.deepEqual(Array.from(back.subarray(0, 5)), Array.from(w.subarray(8, 13)));
    }
  }
});
