import { spawn } from 'node:child_process';
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

