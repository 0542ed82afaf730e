import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { isExactAccuracy, isPiOutput, type Accuracy, type KernelOutput, type StatisticalAccuracy } from '../src/core/types.js';
import { fileURLToPath } from 'node:url';
export { resultsValidator } from '../src/results/load.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = `${ROOT}bin/jitbench.js`;

export interface CliResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Runs the jitbench CLI in a child process. */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string>; onStderr?: (s: string, child: import('node:child_process').ChildProcess) => void } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; opts.onStderr?.(stderr, child); });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}


/** The hit count of a Monte Carlo pi answer (fails the test on any other kind of answer). */
export function hitsOf(o: KernelOutput | undefined): number {
  if (!o || !isPiOutput(o)) throw new assert.AssertionError({ message: `expected a Monte Carlo pi answer, got ${JSON.stringify(o)}` });
  return o.hits;
}

/** A statistical accuracy record (fails the test on an exact one or none). */
export function statOf(a: Accuracy | undefined): StatisticalAccuracy {
  if (!a || isExactAccuracy(a)) throw new assert.AssertionError({ message: `expected a statistical accuracy, got ${JSON.stringify(a)}` });
  return a;
}
