import { performance } from 'node:perf_hooks';
import type { Accuracy, CellParams, KernelOutput } from '../core/types.js';
import { activeRecorder } from './recorder.js';

type Method<This, Args extends unknown[], R> = (this: This, ...args: Args) => R;

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * @perfTime(): times the decorated entry point and records perf_time into the current cell.
 * Inside the timed region there are only the two clock reads and the call(s): when the
 * recorder asks for a batch (calls shorter than the timer can resolve), the call repeats
 * `batch` times between the reads. Asynchronous entry points are timed to settlement and
 * never batched.
 */
export function perfTime() {
  return function <This, Args extends unknown[], R>(
    target: Method<This, Args, R>,
    context: ClassMethodDecoratorContext<This, Method<This, Args, R>>,
  ): Method<This, Args, R> {
    const name = String(context.name);
    return function (this: This, ...args: Args): R {
      const rec = activeRecorder();
      const calls = rec.batch;
      const t0 = performance.now();
      let r = target.apply(this, args);
      for (let k = 1; k < calls; k++) r = target.apply(this, args);
      const t1 = performance.now();
      if (isThenable(r)) {
        return (r as PromiseLike<unknown>).then((v) => {
          const t2 = performance.now();
          rec.recordTime(name, t2 - t0, 1);
          return v;
        }) as R;
      }
      rec.recordTime(name, t1 - t0, calls);
      return r;
    };
  };
}

/**
 * @accuracy(check): checks every answer of the decorated entry point and records the
 * accuracy into the current cell. Put it above @perfTime() so the check is outside the
 * timed region (decorators apply bottom-up: perfTime wraps the method, accuracy wraps that).
 * The check also gets the kernel instance, for answers that depend on what it was prepared for.
 */
export function accuracy<Self = unknown>(check: (output: KernelOutput, params: CellParams, self: Self) => Accuracy) {
  return function <This extends Self, R extends KernelOutput | Promise<KernelOutput>>(
    target: Method<This, [CellParams], R>,
    context: ClassMethodDecoratorContext<This, Method<This, [CellParams], R>>,
  ): Method<This, [CellParams], R> {
    const name = String(context.name);
    const record = (out: KernelOutput, params: CellParams, self: This): KernelOutput => {
      activeRecorder().recordAccuracy(name, out, check(out, params, self));
      return out;
    };
    return function (this: This, params: CellParams): R {
      const r = target.call(this, params);
      if (isThenable(r)) return (r as Promise<KernelOutput>).then((out) => record(out, params, this)) as R;
      record(r as KernelOutput, params, this);
      return r;
    };
  };
}
