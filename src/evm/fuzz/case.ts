/**
 * One fuzz case: a message call against a pre-state on one fork, as a MessageCall for the engines
 * and as JSON (regression files: every number a 0x hex string, every byte string 0x hex).
 */
import type { Address } from '../address.js';
import { type Fork, parseFork } from '../fork.js';
import { bytesToHex, hexToBytes } from '../hex.js';
import type { BlockEnv, MessageCall } from '../types.js';
import type { AccountData } from '../state.js';

/** A pre-state account of a fuzz case: the core's own account shape. */
export type FuzzAccount = AccountData;

/** The block of a fuzz case: every BlockEnv field given (no block-hash callback: hashes come from the engines). */
export type FuzzBlock = Required<Omit<BlockEnv, 'blockHash'>>;

export interface FuzzCase {
  fork: Fork;
  caller: Address;
  /** The account whose code runs (its code is in `preState`). */
  address: Address;
  origin: Address;
  value: bigint;
  gasLimit: number;
  gasPrice: bigint;
  calldata: Uint8Array;
  block: FuzzBlock;
  blobHashes: bigint[];
  preState: Map<Address, FuzzAccount>;
  /** EIP-2930 access list (Berlin+), warm from the start. */
  accessList?: Array<{ address: Address; storageKeys: bigint[] }>;
}

const M256 = (1n << 256n) - 1n;

/** BLOCKHASH of every fuzz case: a fixed function of the block number (no table to store). */
export function fuzzBlockHash(n: bigint): bigint {
  return ((n + 1n) * 0x9e3779b97f4a7c15f39cc0605cedc834n) & M256;
}

export function toMessageCall(c: FuzzCase): MessageCall {
  return {
    fork: c.fork,
    caller: c.caller,
    address: c.address,
    origin: c.origin,
    value: c.value,
    gasLimit: c.gasLimit,
    gasPrice: c.gasPrice,
    calldata: c.calldata,
    block: { ...c.block, blockHash: fuzzBlockHash },
    blobHashes: c.blobHashes,
    preState: new Map([...c.preState].map(([a, acc]) => [a, { balance: acc.balance, nonce: acc.nonce, code: acc.code, storage: new Map(acc.storage) }])),
    ...(c.accessList ? { accessList: c.accessList.map((e) => ({ address: e.address, storageKeys: [...e.storageKeys] })) } : {}),
  };
}

export function cloneCase(c: FuzzCase): FuzzCase {
  return {
    ...c,
    block: { ...c.block },
    blobHashes: [...c.blobHashes],
    preState: new Map([...c.preState].map(([a, acc]) => [a, { ...acc, storage: new Map(acc.storage) }])),
    ...(c.accessList ? { accessList: c.accessList.map((e) => ({ address: e.address, storageKeys: [...e.storageKeys] })) } : {}),
  };
}

const hx = (v: bigint) => `0x${v.toString(16)}`;

export interface FuzzCaseJson {
  fork: string;
  caller: string;
  address: string;
  origin: string;
  value: string;
  gasLimit: number;
  gasPrice: string;
  calldata: string;
  block: Record<keyof FuzzBlock, string>;
  blobHashes: string[];
  preState: Record<string, { balance: string; nonce: string; code: string; storage: Record<string, string> }>;
  accessList?: Array<{ address: string; storageKeys: string[] }>;
}

export function caseToJson(c: FuzzCase): FuzzCaseJson {
  const b = c.block;
  return {
    fork: c.fork,
    caller: c.caller,
    address: c.address,
    origin: c.origin,
    value: hx(c.value),
    gasLimit: c.gasLimit,
    gasPrice: hx(c.gasPrice),
    calldata: bytesToHex(c.calldata),
    block: {
      number: hx(b.number),
      timestamp: hx(b.timestamp),
      coinbase: b.coinbase,
      gasLimit: hx(b.gasLimit),
      difficulty: hx(b.difficulty),
      prevRandao: hx(b.prevRandao),
      baseFee: hx(b.baseFee),
      chainId: hx(b.chainId),
      blobBaseFee: hx(b.blobBaseFee),
    },
    blobHashes: c.blobHashes.map(hx),
    preState: Object.fromEntries(
      [...c.preState].map(([a, acc]) => [
        a,
        { balance: hx(acc.balance), nonce: hx(acc.nonce), code: bytesToHex(acc.code), storage: Object.fromEntries([...acc.storage].map(([k, v]) => [hx(k), hx(v)])) },
      ]),
    ),
    ...(c.accessList ? { accessList: c.accessList.map((e) => ({ address: e.address, storageKeys: e.storageKeys.map(hx) })) } : {}),
  };
}

export function caseFromJson(j: FuzzCaseJson): FuzzCase {
  const fork = parseFork(j.fork);
  if (!fork) throw new Error(`unknown fork ${j.fork}`);
  const b = j.block;
  return {
    fork,
    caller: j.caller,
    address: j.address,
    origin: j.origin,
    value: BigInt(j.value),
    gasLimit: j.gasLimit,
    gasPrice: BigInt(j.gasPrice),
    calldata: hexToBytes(j.calldata),
    block: {
      number: BigInt(b.number),
      timestamp: BigInt(b.timestamp),
      coinbase: b.coinbase,
      gasLimit: BigInt(b.gasLimit),
      difficulty: BigInt(b.difficulty),
      prevRandao: BigInt(b.prevRandao),
      baseFee: BigInt(b.baseFee),
      chainId: BigInt(b.chainId),
      blobBaseFee: BigInt(b.blobBaseFee),
    },
    blobHashes: j.blobHashes.map((h) => BigInt(h)),
    preState: new Map(
      Object.entries(j.preState).map(([a, acc]) => [
        a,
        { balance: BigInt(acc.balance), nonce: BigInt(acc.nonce), code: hexToBytes(acc.code), storage: new Map(Object.entries(acc.storage).map(([k, v]) => [BigInt(k), BigInt(v)])) },
      ]),
    ),
    ...(j.accessList ? { accessList: j.accessList.map((e) => ({ address: e.address, storageKeys: e.storageKeys.map((k) => BigInt(k)) })) } : {}),
  };
}
