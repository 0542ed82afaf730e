/** What the compiled modules and the engine agree on (no binaryen here: see index.ts). */

/** Exit codes of a module's run(). */
export const EXIT = { stop: 0, outOfGas: 1, underflow: 2, overflow: 3, badJump: 4, invalid: 5, host: 6 } as const;

export const WORD_BYTES = 32;
/** One call depth's stack: 1024 words of 32 bytes (8 little-endian 32-bit limbs, as the interpreter's). */
export const STACK_REGION_BYTES = 1024 * WORD_BYTES;
