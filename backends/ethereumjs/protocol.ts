/**
 * What the main thread sends the @ethereumjs/evm worker for one top-level frame, and what it gets
 * back. Everything is structured-clone data (bigint, Uint8Array, plain objects and arrays).
 * Addresses are `0x` + 40 lowercase hex characters, as everywhere in src/evm.
 */

export interface EjsAccount {
  address: string;
  nonce: bigint;
  balance: bigint;
  code: Uint8Array;
  /** Non-zero slots. */
  storage: Array<[bigint, bigint]>;
}

export interface EjsRequest {
  /** Our fork name (src/evm/fork.ts). */
  fork: string;
  chainId: bigint;
  accounts: EjsAccount[];
  /** Warm before the call (EIP-2929: origin, caller, callee, precompiles, coinbase, access list). */
  warmAddresses: string[];
  warmSlots: Array<[string, bigint[]]>;
  block: {
    number: bigint;
    timestamp: bigint;
    coinbase: string;
    gasLimit: bigint;
    difficulty: bigint;
    prevRandao: bigint;
    baseFee: bigint;
    blobBaseFee: bigint;
  };
  /** BLOCKHASH answers for the (at most 256) blocks before `block.number`. */
  blockHashes: Array<[bigint, bigint]>;
  tx: { origin: string; gasPrice: bigint; blobHashes: bigint[] };
  frame: {
    code: Uint8Array;
    calldata: Uint8Array;
    address: string;
    caller: string;
    value: bigint;
    gas: bigint;
    isStatic: boolean;
  };
}

export interface EjsLog {
  address: string;
  topics: Uint8Array[];
  data: Uint8Array;
}

export interface EjsResponse {
  /** Set when the worker failed (not an EVM outcome): the main thread rethrows it. */
  fatal?: string;
  /** undefined: success; 'revert'; otherwise the EVMError message of the exceptional halt. */
  error?: string;
  returnData: Uint8Array;
  gasUsed: bigint;
  gasRefund: bigint;
  logs: EjsLog[];
  /** Every account after the call (empty when it failed). */
  accounts: EjsAccount[];
  /** Accounts deleted during the call (present in the state before, absent after). */
  deleted: string[];
  selfDestructed: string[];
  created: string[];
  /** EIP-161 touched accounts. */
  touched: string[];
}
