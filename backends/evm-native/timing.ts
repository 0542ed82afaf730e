/**
 * Where a call's time goes in evm-native, when switched on (`setEvmNativeTiming(true)`, off by
 * default: each switch reads the clock). Time is exclusive: the clock is charged to one category
 * at a time (the native module, one host_op import by opcode, one interpreter exit by opcode, the
 * compiler), and each switch charges the time since the last one to the category being left.
 * A nested native frame (CALL into compiled code from an exit) switches to the module and back
 * to the caller's exit when it ends, so nothing is counted twice: the CALL exit keeps only the
 * interpreter's own work (and callee frames the interpreter runs itself: initcode, frames past
 * NATIVE_MAX_DEPTH). The JavaScript glue around each module entry counts as module time.
 */
export const IMPORT_BASE = 0;
export const EXIT_BASE = 256;
export const MODULE = 512;
export const COMPILE = 513;
/** Outside any evm-native frame: charged, never reported. */
export const NONE = 514;

export const timing = {
  on: false,
  /** Milliseconds by category (index: IMPORT_BASE + opcode, EXIT_BASE + opcode, MODULE, COMPILE, NONE). */
  ms: new Float64Array(NONE + 1),
  current: NONE,
  last: 0,
};

/** Switch timing on or off (between calls: a frame that started untimed stays untimed). */
export function setEvmNativeTiming(on: boolean): void {
  timing.on = on;
  timing.current = NONE;
  timing.last = performance.now();
}

/** Charge the time since the last switch to the current category, make `category` current; the previous one. */
export function switchTo(category: number): number {
  const now = performance.now();
  const prev = timing.current;
  timing.ms[prev]! += now - timing.last;
  timing.last = now;
  timing.current = category;
  return prev;
}
