/**
 * The little ABI encoding and decoding the revm harness needs: cheatcode calldata (static words,
 * `bytes`, `bytes32[]`) and the answers of `getRecordedLogs()` and `accesses()`.
 */
import { bigintToBytes, bytesToBigint, concatBytes, hexToBytes } from '../../src/evm/hex.js';
import { keccak256 } from '../../src/evm/keccak.js';

const UTF8 = new TextEncoder();

/** The 4-byte selector of a function signature such as `etch(address,bytes)`. */
const selectors = new Map<string, Uint8Array>();
export function selector(signature: string): Uint8Array {
  let s = selectors.get(signature);
  if (!s) selectors.set(signature, (s = keccak256(UTF8.encode(signature)).slice(0, 4)));
  return s;
}

/** A 32-byte ABI word (two's complement for negative values). */
export function word(v: bigint): Uint8Array {
  return bigintToBytes(BigInt.asUintN(256, v), 32);
}

export function addressWord(a: string): Uint8Array {
  const out = new Uint8Array(32);
  out.set(hexToBytes(a), 12);
  return out;
}

function padded(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(b.length / 32) * 32);
  out.set(b);
  return out;
}

/** An argument of a call: a static word, `bytes` or `bytes32[]` (the only dynamic types used). */
export type AbiArg = { word: Uint8Array } | { bytes: Uint8Array } | { words: Uint8Array[] };

/** selector ++ abi.encode(args). */
export function encodeCall(signature: string, args: AbiArg[]): Uint8Array {
  const head: Uint8Array[] = [];
  const tail: Uint8Array[] = [];
  let tailLen = 32 * args.length;
  for (const a of args) {
    if ('word' in a) {
      head.push(a.word);
      continue;
    }
    head.push(word(BigInt(tailLen)));
    const body = 'bytes' in a ? concatBytes(word(BigInt(a.bytes.length)), padded(a.bytes)) : concatBytes(word(BigInt(a.words.length)), ...a.words);
    tail.push(body);
    tailLen += body.length;
  }
  return concatBytes(selector(signature), ...head, ...tail);
}

/** Reads words of an ABI-encoded buffer, with bounds checks (a malformed answer throws). */
export class AbiReader {
  constructor(readonly b: Uint8Array) {}

  word(at: number): bigint {
    if (at < 0 || at + 32 > this.b.length) throw new RangeError(`ABI word at ${at} is past the end (${this.b.length} bytes)`);
    return bytesToBigint(this.b.subarray(at, at + 32));
  }

  /** A word used as an offset or length. */
  index(at: number): number {
    const v = this.word(at);
    if (v > BigInt(this.b.length)) throw new RangeError(`ABI offset/length ${v} at ${at} exceeds the buffer (${this.b.length} bytes)`);
    return Number(v);
  }

  slice(at: number, len: number): Uint8Array {
    if (at + len > this.b.length) throw new RangeError(`ABI bytes [${at}, ${at + len}) past the end (${this.b.length} bytes)`);
    return this.b.slice(at, at + len);
  }
}

export interface DecodedLog {
  address: string;
  topics: Uint8Array[];
  data: Uint8Array;
}

/** abi.decode(b, (Vm.Log[])) with Log = (bytes32[] topics, bytes data, address emitter). */
export function decodeLogs(b: Uint8Array): DecodedLog[] {
  const r = new AbiReader(b);
  const arr = r.index(0);
  const n = r.index(arr);
  const base = arr + 32;
  const out: DecodedLog[] = [];
  for (let i = 0; i < n; i++) {
    const t = base + r.index(base + 32 * i);
    const topicsAt = t + r.index(t);
    const dataAt = t + r.index(t + 32);
    const emitter = r.word(t + 64);
    const nt = r.index(topicsAt);
    const topics: Uint8Array[] = [];
    for (let k = 0; k < nt; k++) topics.push(r.slice(topicsAt + 32 + 32 * k, 32));
    const data = r.slice(dataAt + 32, r.index(dataAt));
    out.push({ address: '0x' + emitter.toString(16).padStart(40, '0'), topics, data });
  }
  return out;
}
