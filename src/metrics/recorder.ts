import { isExactAccuracy, isWorseAccuracy, type Accuracy, type KernelOutput } from '../core/types.js';

/** Distinct answers kept per cell process: enough to show that calls disagree, bounded if every call differs. */
export const MAX_DISTINCT_OUTPUTS = 8;

/**
 * Where the metric decorators write: one recorder per measured cell. The decorators only
 * read the clock inside the timed region; everything here runs after the second read.
 */
export class CellRecorder {
  /** Calls per timed region (calls too short for the timer are batched). */
  batch = 1;
  /** perf_time per call in ms, in call order (a batch contributes its mean once). */
  readonly series: number[] = [];
  /** Wall time of the last timed region (the whole batch), ms. */
  lastRegionMs = 0;
  /** perf_time of the last call (region / batch), ms. */
  lastCallMs = 0;
  lastOutput: KernelOutput | undefined;
  lastAccuracy: Accuracy | undefined;
  /** The worst answer over all checked calls (see isWorseAccuracy), and how many calls were checked. */
  worstAccuracy: Accuracy | undefined;
  checkedCalls = 0;
  /** Calls made inside timed regions (a batch counts every call; only its last answer is checked). */
  timedCalls = 0;
  /** The distinct answers of the checked calls with how many calls gave each (at most MAX_DISTINCT_OUTPUTS). */
  readonly outputs = new Map<string, { output: KernelOutput; calls: number }>();
  /** More distinct answers were seen than are kept. */
  outputsTruncated = false;
  debug = false;

  recordTime(method: string, regionMs: number, calls: number): void {
    this.lastRegionMs = regionMs;
    this.lastCallMs = regionMs / calls;
    this.timedCalls += calls;
    this.series.push(this.lastCallMs);
    if (this.debug) process.stderr.write(`[debug] perf_time ${method}: ${(this.lastCallMs * 1e3).toFixed(3)} us/call (batch ${calls})\n`);
  }

  recordAccuracy(method: string, output: KernelOutput, acc: Accuracy): void {
    this.lastOutput = output;
    this.lastAccuracy = acc;
    this.checkedCalls++;
    if (!this.worstAccuracy || isWorseAccuracy(acc, this.worstAccuracy)) this.worstAccuracy = acc;
    const key = JSON.stringify(output);
    const seen = this.outputs.get(key);
    if (seen) seen.calls++;
    else if (this.outputs.size < MAX_DISTINCT_OUTPUTS) this.outputs.set(key, { output: structuredClone(output), calls: 1 });
    else this.outputsTruncated = true;
    if (this.debug) {
      const what = isExactAccuracy(acc) ? `${acc.matches ? 'exact' : 'WRONG'}: ${acc.actual}` : `estimate ${acc.estimate} |error| ${acc.absError.toExponential(3)} z ${acc.z.toFixed(2)}`;
      process.stderr.write(`[debug] accuracy ${method}: ${what}\n`);
    }
  }
}

/**
 * The current recorder lives on globalThis, so that decorators from another copy of jitbench (a
 * plugin that resolves 'jitbench' to its own node_modules) record into the cell being measured.
 */
const ACTIVE = Symbol.for('jitbench.activeRecorder');
const slot = globalThis as { [ACTIVE]?: CellRecorder };
slot[ACTIVE] ??= new CellRecorder();

/** The recorder the decorators write to right now. */
export function activeRecorder(): CellRecorder {
  return slot[ACTIVE]!;
}

/** Makes `rec` the current cell's recorder and returns it. */
export function useRecorder(rec: CellRecorder): CellRecorder {
  slot[ACTIVE] = rec;
  return rec;
}
