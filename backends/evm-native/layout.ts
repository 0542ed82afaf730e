/** What the compiled modules and the engine agree on (no binaryen here: see index.ts). */

/**
 * Exit codes of a module's run(). `host`: the interpreter continues the current block at out_pc
 * (the block's gas is already charged); `staticViolation`: a host import refused a state change
 * in a static call.
 */
export const EXIT = { stop: 0, outOfGas: 1, underflow: 2, overflow: 3, badJump: 4, invalid: 5, host: 6, staticViolation: 7, returnDataOutOfBounds: 8, return: 9, revert: 10 } as const;

/** What the host_op import returns instead of a gas cost when the operation halts the frame. */
export const HOST_OP_OUT_OF_GAS = -1;
export const HOST_OP_STATIC = -2;
/** RETURNDATACOPY past the end of the return data. */
export const HOST_OP_RETURN_DATA_OOB = -3;

/** The import namespace of the shared 256-bit arithmetic instance (u256-standalone.ts) in every compiled module. */
export const SHARED_NAMESPACE = 'arith';

export const WORD_BYTES = 32;
/** One call depth's stack: 1024 words of 32 bytes (8 little-endian 32-bit limbs, as the interpreter's). */
export const STACK_REGION_BYTES = 1024 * WORD_BYTES;
/** Call depths 0..1024. */
export const DEPTHS = 1025;
/** Callees at this depth and below run natively; deeper ones in the interpreter. */
export const NATIVE_MAX_DEPTH = 64;

/**
 * After the stacks: two i32 cells through which host imports hand back the memory size and the
 * window capacity (0 once a frame's memory outgrew its window), then one EVM-memory window per
 * native depth. A frame's memory lives in its window while it fits (the interpreter's Memory
 * object is a view of it), so compiled MLOAD / MSTORE / MSTORE8 / MSIZE read and write it directly;
 * past the window the memory moves to a JavaScript buffer and those opcodes leave to the interpreter.
 */
export const SCRATCH_ADDR = DEPTHS * STACK_REGION_BYTES;
export const SCRATCH_MSIZE = SCRATCH_ADDR;
export const SCRATCH_MCAP = SCRATCH_ADDR + 4;
/** The in-module KECCAK256 (keccak-wasm.ts): its state (25 lanes), its padded last block, its 24 round constants. */
export const SCRATCH_KECCAK_STATE = SCRATCH_ADDR + 256;
export const SCRATCH_KECCAK_PAD = SCRATCH_ADDR + 512;
export const SCRATCH_KECCAK_RC = SCRATCH_ADDR + 768;
/**
 * The block and transaction environment, one word per opcode in this order, written by the engine
 * once per transaction (index.ts): ORIGIN, GASPRICE, COINBASE, TIMESTAMP, NUMBER, PREVRANDAO,
 * GASLIMIT, CHAINID, BASEFEE are loads.
 */
export const SCRATCH_BLOCK_ENV = SCRATCH_ADDR + 2048;
export const BLOCK_ENV_OPS: readonly number[] = [0x32, 0x3a, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x48];
/** keccak-f[1600]'s round constants, written at SCRATCH_KECCAK_RC when the memory is made. */
export const KECCAK_ROUND_CONSTANTS: readonly bigint[] = [
  0x0000000000000001n, 0x0000000000008082n, 0x800000000000808an, 0x8000000080008000n,
  0x000000000000808bn, 0x0000000080000001n, 0x8000000080008081n, 0x8000000000008009n,
  0x000000000000008an, 0x0000000000000088n, 0x0000000080008009n, 0x000000008000000an,
  0x000000008000808bn, 0x800000000000008bn, 0x8000000000008089n, 0x8000000000008003n,
  0x8000000000008002n, 0x8000000000000080n, 0x000000000000800an, 0x800000008000000an,
  0x8000000080008081n, 0x8000000000008080n, 0x0000000080000001n, 0x8000000080008008n,
];
/**
 * The window of a callee (depth 1 and deeper), and of the called contract (depth 0): 4 MB there,
 * which is about all the memory 30M gas buys (3w + w^2/512 gas for w words: 3.9 MB), since real
 * contracts build their strings and arrays in memory and never free it (solady's LibString went
 * past 256 KB and then left the module at every memory opcode: 22,000 exits a call).
 */
export const MEMORY_WINDOW_BYTES = 256 * 1024;
export const TOP_WINDOW_BYTES = 4 * 1024 * 1024;
export const WINDOW_BASE = SCRATCH_ADDR + 65536;

/**
 * After the windows, one environment region per native depth (0..NATIVE_MAX_DEPTH), written by
 * the engine when a frame starts (caller, address, value, calldata) and before every entry into
 * the module and after each call import (the return data's size, which only calls change), so
 * CALLER, ADDRESS, CALLVALUE, CALLDATASIZE, CALLDATALOAD and RETURNDATASIZE are loads. Words are
 * laid out as on the stack; the calldata's first calldataCap(depth) bytes (256 KB for the called
 * contract, whose calldata is the transaction's and may be long, 4 KB for callees) are followed by
 * 32 zero bytes. ENV_CDFAST: offsets below it load from the region (the calldata size when it fits,
 * else the last offset whose 32 bytes are all in the region, plus one); an offset at or past the
 * size reads 0; any other leaves to the interpreter. ENV_RET_OFF / ENV_RET_LEN: the range a
 * compiled RETURN / REVERT hands back (EXIT.return, EXIT.revert).
 */
export const ENV_CALLER = 0;
export const ENV_ADDRESS = 32;
export const ENV_VALUE = 64;
export const ENV_CDSIZE = 96;
export const ENV_RDSIZE = 100;
export const ENV_CDFAST = 104;
export const ENV_RET_OFF = 108;
export const ENV_RET_LEN = 112;
/** The frame's storage address as a small number (slot-cache.ts), and 1 in a static call. */
export const ENV_ADDR_ID = 116;
export const ENV_STATIC = 120;
export const ENV_CALLDATA = 128;
export const ENV_CALLDATA_CAP = 4096;
export const TOP_CALLDATA_CAP = 256 * 1024;
export const ENV_BYTES = ENV_CALLDATA + ENV_CALLDATA_CAP + 128;
const TOP_ENV_BYTES = ENV_CALLDATA + TOP_CALLDATA_CAP + 128;
export const ENV_BASE = WINDOW_BASE + TOP_WINDOW_BYTES + NATIVE_MAX_DEPTH * MEMORY_WINDOW_BYTES;

/**
 * The storage slot cache (slot-cache.ts fills and flushes it, storage-wasm.ts reads and writes it):
 * one table for the whole transaction, open addressing over SLOT_ENTRIES entries, an entry valid
 * while its generation is SLOT_GEN's (raising SLOT_GEN empties the table at once). Entry: generation
 * (u32) at +0, address id at +4, dirty flag at +8, then the key, the current and the original value
 * as stack words at +32, +64, +96. Entries written natively since the last flush are listed at
 * SLOT_DIRTY_LIST (SLOT_DIRTY_COUNT of them), with SLOT_REFUND the refund counter's change.
 * SLOT_INSERT_AT: where a missed slot goes (0: nowhere), for the SLOAD import that fills it.
 */
export const SLOT_BASE = Math.ceil((ENV_BASE + TOP_ENV_BYTES + NATIVE_MAX_DEPTH * ENV_BYTES) / 64) * 64;
export const SLOT_GEN = SLOT_BASE;
export const SLOT_DIRTY_COUNT = SLOT_BASE + 4;
export const SLOT_REFUND = SLOT_BASE + 8;
export const SLOT_INSERT_AT = SLOT_BASE + 12;
export const SLOT_ENTRIES = 1024;
export const SLOT_PROBES = 8;
export const SLOT_ENTRY_BYTES = 128;
export const SLOT_E_ADDR = 4;
export const SLOT_E_DIRTY = 8;
export const SLOT_E_KEY = 32;
export const SLOT_E_CURRENT = 64;
export const SLOT_E_ORIGINAL = 96;
export const SLOT_DIRTY_LIST = SLOT_BASE + 64;
export const SLOT_TABLE = SLOT_DIRTY_LIST + 4 * SLOT_ENTRIES;
export const MEMORY_PAGES = Math.ceil((SLOT_TABLE + SLOT_ENTRIES * SLOT_ENTRY_BYTES) / 65536);

export function envAddress(depth: number): number {
  return depth === 0 ? ENV_BASE : ENV_BASE + TOP_ENV_BYTES + (depth - 1) * ENV_BYTES;
}

/** How much of a frame's calldata its environment region holds. */
export function calldataCap(depth: number): number {
  return depth === 0 ? TOP_CALLDATA_CAP : ENV_CALLDATA_CAP;
}

export function windowBytes(depth: number): number {
  return depth === 0 ? TOP_WINDOW_BYTES : MEMORY_WINDOW_BYTES;
}

export function windowAddress(depth: number): number {
  return depth === 0 ? WINDOW_BASE : WINDOW_BASE + TOP_WINDOW_BYTES + (depth - 1) * MEMORY_WINDOW_BYTES;
}
