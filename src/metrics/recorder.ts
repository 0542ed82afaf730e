import { accuracySeverity, isExactAccuracy, type Accuracy, type KernelOutput } from '../core/types.js';

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
  /** Largest |z| seen over all checked calls, and how many calls were checked. */
  worstAccuracy: Accuracy | undefined;
  checkedCalls = 0;
  debug = false;

  recordTime(method: string, regionMs: number, calls: number): void {
    this.lastRegionMs = regionMs;
    this.lastCallMs = regionMs / calls;
    this.series.push(this.lastCallMs);
    if (this.debug) process.stderr.write(`[debug] perf_time ${method}: ${(this.lastCallMs * 1e3).toFixed(3)} us/call (batch ${calls})\n`);
  }

  recordAccuracy(method: string, output: KernelOutput, acc: Accuracy): void {
    this.lastOutput = output;
    this.lastAccuracy = acc;
    this.checkedCalls++;
    if (!this.worstAccuracy || accuracySeverity(acc) > accuracySeverity(this.worstAccuracy)) this.worstAccuracy = acc;
    if (this.debug) {
      const what = isExactAccuracy(acc) ? `${acc.matches ? 'exact' : 'WRONG'}: ${acc.actual}` : `estimate ${acc.estimate} |error| ${acc.absError.toExponential(3)} z ${acc.z.toFixed(2)}`;
      process.stderr.write(`[debug] accuracy ${method}: ${what}\n`);
    }
  }
}

let active = new CellRecorder();

/** The recorder the decorators write to right now. */
export function activeRecorder(): CellRecorder {
  return active;
}

/** Makes `rec` the current cell's recorder and returns it. */
export function useRecorder(rec: CellRecorder): CellRecorder {
  active = rec;
  return rec;
}
