/**
 * The message-call interface shared by every EVM engine (interpreter, compiler, library adapters),
 * and the contract between an engine and the core's host (state, nested calls, fork rules).
 */
import type { Address } from './address.js';
import type { Fork } from './fork.js';
import type { GasSchedule } from './gas.js';
import type { OpcodeTable } from './opcodes.js';
import type { AccountData, State } from './state.js';

export type { Address } from './address.js';
export type { Fork } from './fork.js';

/** Block context. */
export interface BlockEnv {
  number: bigint;
  timestamp: bigint;
  coinbase: Address;
  gasLimit: bigint;
  /** DIFFICULTY before Paris. */
  difficulty: bigint;
  /** PREVRANDAO from Paris (EIP-4399); defaults to `difficulty`. */
  prevRandao: bigint;
  baseFee: bigint;
  chainId: bigint;
  blobBaseFee: bigint;
  /** Hash of block `n` (only asked for the 256 blocks before `number`); 0 when unknown. */
  blockHash?: (n: bigint) => bigint;
}

/** Transaction context. */
export interface TxEnv {
  origin: Address;
  gasPrice: bigint;
  blobHashes: bigint[];
}

/** An account in a pre-state: every field optional (0 / empty). */
export interface AccountInit {
  balance?: bigint;
  nonce?: bigint;
  code?: Uint8Array;
  storage?: Map<bigint, bigint> | Record<string, bigint>;
}

export type PreState = Map<Address, AccountInit> | Record<Address, AccountInit>;

/** One message call (a transaction's execution without intrinsic gas, nonce or fee handling). */
export interface MessageCall {
  fork: Fork;
  /** Code to run; defaults to the code of `address` in the pre-state. */
  code?: Uint8Array;
  calldata?: Uint8Array;
  caller: Address;
  /** ADDRESS: the account whose storage the code reads and writes. */
  address: Address;
  /** ORIGIN; defaults to `caller`. */
  origin?: Address;
  value?: bigint;
  /** Gas available to the code (no intrinsic cost is charged); at most 2^53 - 1. */
  gasLimit: number | bigint;
  gasPrice?: bigint;
  block?: Partial<BlockEnv>;
  preState?: PreState;
  isStatic?: boolean;
  /** Move `value` from caller to address before running (default true). */
  transferValue?: boolean;
  blobHashes?: bigint[];
  /** EIP-2930 access list, warm from the start (Berlin+; sender, address and precompiles always are). */
  accessList?: Array<{ address: Address; storageKeys?: bigint[] }>;
}

export type CallStatus = 'success' | 'revert' | 'halt';

export type HaltReason =
  | 'out of gas'
  | 'invalid opcode'
  | 'stack underflow'
  | 'stack overflow'
  | 'bad jump destination'
  | 'static state change'
  | 'return data out of bounds'
  | 'create collision'
  | 'code size exceeded'
  | 'invalid code prefix'
  | 'initcode size exceeded'
  | 'insufficient balance'
  | 'call depth exceeded'
  | 'precompile failure'
  | 'unsupported precompile';

export interface Log {
  address: Address;
  /** 32 bytes each. */
  topics: Uint8Array[];
  data: Uint8Array;
}

export interface StorageWrite {
  address: Address;
  key: bigint;
  /** Value before the call. */
  original: bigint;
  /** Value after the call (equal to `original` when reverted or written back). */
  value: bigint;
}

export interface CallResult {
  status: CallStatus;
  haltReason?: HaltReason;
  returnData: Uint8Array;
  /** Gas limit minus gas left (refunds not subtracted). */
  gasUsed: number;
  gasLeft: number;
  /** The refund counter at the end (uncapped; a transaction applies min(refund, gasUsed / refundQuotient)). */
  gasRefund: number;
  /** Logs of a successful call (empty otherwise). */
  logs: Log[];
  /** Slots written during the call (with original and final values; empty on failure). */
  storageWrites: StorageWrite[];
  /** Accounts the call looked at or changed, including the caller and callee. */
  touched: Address[];
  selfDestructed: Address[];
  created: Address[];
  /** The world state after the call (the pre-state when the call failed, but value/nonce changes are not made here). */
  postState: Map<Address, AccountData>;
}

/** One execution frame handed to an engine. */
export interface Frame {
  code: Uint8Array;
  calldata: Uint8Array;
  /** ADDRESS (storage context). */
  address: Address;
  /** Where the code came from (differs from `address` for CALLCODE / DELEGATECALL). */
  codeAddress: Address;
  caller: Address;
  value: bigint;
  gas: number;
  isStatic: boolean;
  /** 0 for the top-level call. */
  depth: number;
}

export interface FrameResult {
  status: CallStatus;
  haltReason?: HaltReason;
  returnData: Uint8Array;
  /** Gas left; 0 after a halt. */
  gasLeft: number;
}

export type CallKind = 'CALL' | 'CALLCODE' | 'DELEGATECALL' | 'STATICCALL';

export interface CallRequest {
  kind: CallKind;
  /** The calling frame. */
  frame: Frame;
  to: Address;
  /** Value to send (CALL, CALLCODE); for DELEGATECALL the frame's value is inherited. */
  value: bigint;
  /** Gas operand of the opcode (Infinity when it does not fit in 53 bits). */
  requestedGas: number;
  /** Caller's gas after the base cost and memory expansion were charged. */
  availableGas: number;
  input: Uint8Array;
}

export interface CallOutcome {
  /** The caller cannot pay the call's costs: it halts out of gas. */
  outOfGas: boolean;
  /** Gas to take from the caller: every extra cost plus the callee's gas minus what it returned. */
  gasCost: number;
  success: boolean;
  returnData: Uint8Array;
}

export interface CreateRequest {
  kind: 'CREATE' | 'CREATE2';
  frame: Frame;
  value: bigint;
  initcode: Uint8Array;
  /** CREATE2 salt (32 bytes). */
  salt?: Uint8Array;
  availableGas: number;
}

export interface CreateOutcome {
  outOfGas: boolean;
  gasCost: number;
  /** The new contract, or undefined when the creation failed (the opcode pushes 0). */
  address: Address | undefined;
  /** Revert data of the initcode (Byzantium+), empty otherwise. */
  returnData: Uint8Array;
}

/** Host state carried from beginCall to finishCall. */
export interface CallContinuation {
  /** Gas taken from the caller so far: extra costs plus the callee's gas (stipend excluded). */
  readonly charged: number;
  readonly checkpoint: number;
}

export interface CreateContinuation {
  readonly charged: number;
  readonly checkpoint: number;
  readonly address: Address;
}

/** A call either finishes at once or hands the engine a child frame to run. */
export type CallStart = { child: undefined; outcome: CallOutcome } | { child: Frame; cont: CallContinuation };
export type CreateStart = { child: undefined; outcome: CreateOutcome } | { child: Frame; cont: CreateContinuation };

/** What an engine sees of the world while executing a frame. */
export interface Host {
  readonly fork: Fork;
  readonly gas: GasSchedule;
  readonly table: OpcodeTable;
  readonly state: State;
  readonly block: BlockEnv;
  readonly tx: TxEnv;
  /** BLOCKHASH: 0 outside the 256 previous blocks or when unknown. */
  blockHash(n: bigint): bigint;
  /** EIP-2929: warm the account; returns the extra gas for a cold access (0 before Berlin). */
  accessAccount(a: Address): number;
  /** EIP-2929: warm the slot; returns the extra gas for a cold access (0 before Berlin). */
  accessSlot(a: Address, key: bigint): number;
  /** SSTORE with the fork's metering: returns the gas to charge, or -1 when the caller must halt out of gas (EIP-2200 sentry or not enough gas). Writes the slot and updates the refund. */
  sstore(a: Address, key: bigint, value: bigint, gasLeft: number): number;
  /** SELFDESTRUCT after its base cost: returns the extra gas (cold beneficiary, new account), or -1 when not affordable; moves the balance and marks the account. */
  selfDestruct(a: Address, beneficiary: Address, gasLeft: number): number;
  /** A whole call, running the child frame by recursing into the engine. */
  call(req: CallRequest): CallOutcome;
  /** A whole create, running the initcode by recursing into the engine. */
  create(req: CreateRequest): CreateOutcome;
  /** The first half of a call for engines that run child frames themselves (no recursion). */
  beginCall(req: CallRequest): CallStart;
  finishCall(cont: CallContinuation, result: FrameResult): CallOutcome;
  beginCreate(req: CreateRequest): CreateStart;
  finishCreate(cont: CreateContinuation, result: FrameResult): CreateOutcome;
}

/** An EVM execution engine: runs one frame; nested calls go back through `host`. */
export interface EvmEngine {
  readonly id: string;
  readonly description: string;
  /** Loads what the engine needs before its first execute (e.g. a compiler); awaited by whoever picks the engine. */
  load?(): Promise<void>;
  /** Releases what load() started (a worker thread), so the process can exit. */
  close?(): Promise<void>;
  /** A reference to test against (VMTests, the fuzzer), not an engine jitbench measures. */
  readonly reference?: boolean;
  /**
   * Where one call spends its time (`jitbench evm run --stats`): call before executing, then
   * stop() after it with the call's total time: the figures (JSON) and a table to print.
   */
  profileCall?(): { stop(fork: Fork, totalMs: number): { stats: unknown; table: string } };
  execute(frame: Frame, host: Host): FrameResult;
}
