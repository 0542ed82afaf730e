import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CellSpec } from '../plan/cell-spec.js';
import { measureFork, type ForkMeasurement } from './measure-fork.js';
import { describe } from '../metrics/stats.js';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

/** Children alive right now, so Ctrl-C can stop them. */
export const liveChildren = new Set<import('node:child_process').ChildProcess>();

/** An error measurement for a fork that produced none (crash, timeout, ...). */
export function failedFork(spec: CellSpec, reason: string, pid = 0, wallMs = 0): ForkMeasurement {
  return {
    status: 'error', reason, fork: spec.fork, pid, execArgv: [], toolLoadMs: 0, compileMs: NaN, firstCallMs: NaN, timeToFirstResultMs: NaN,
    batch: 1, warmupCalls: 0, warmupSamples: [], samples: [], samplesTruncated: false, stats: describe([]),
    warmupClass: 'too few samples', samplesPerSecond: NaN, nsPerSample: NaN, checkedCalls: 0,
    memory: { peakRssBytes: 0, heapUsedPeakBytes: 0, heapTotalBytes: 0, externalBytes: 0, arrayBuffersBytes: 0 }, info: {}, wallMs,
  };
}

function crashReason(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  if (/heap out of memory|Allocation failed|Reached heap limit|Cannot allocate memory/i.test(stderr)) {
    return `out of memory: ${lines.find((l) => /memory|Allocation/i.test(l)) ?? 'V8 heap limit reached'}`;
  }
  const last = lines.filter((l) => !l.startsWith('[debug]')).slice(-1)[0];
  const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
  return `child process ${how} before reporting${last ? `: ${last.slice(0, 300)}` : ''}`;
}

/** Measures one fork in a fresh child process with the cell's V8 flags. Never rejects. */
export function measureForkIsolated(spec: CellSpec, timeoutMs: number): Promise<ForkMeasurement> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = fork(CHILD, [], {
      execArgv: spec.v8Flags,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    liveChildren.add(child);
    let stderr = '';
    let result: ForkMeasurement | undefined;
    let timedOut = false;
    child.stderr!.on('data', (d: Buffer) => {
      const s = d.toString();
      if (spec.debug) process.stderr.write(s);
      stderr = (stderr + s).slice(-8192);
    });
    child.on('message', (m: { type: string; measurement: ForkMeasurement }) => {
      if (m.type === 'result') result = m.measurement;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      liveChildren.delete(child);
      const wall = performance.now() - t0;
      if (result) resolve(result);
      else if (timedOut) resolve(failedFork(spec, `timed out after ${(timeoutMs / 1000).toFixed(0)} s (raise --timeout)`, child.pid, wall));
      else resolve(failedFork(spec, crashReason(code, signal, stderr), child.pid, wall));
    };
    child.on('exit', finish);
    child.on('error', (e) => {
      clearTimeout(timer);
      liveChildren.delete(child);
      resolve(failedFork(spec, `cannot start child process: ${e.message}`));
    });
    child.send(spec);
  });
}

/** Measures one fork in this process (--isolate none): quick, but cells share JIT state and memory. */
export async function measureForkInline(spec: CellSpec): Promise<ForkMeasurement> {
  Object.assign(process.env, spec.env);
  return measureFork(spec);
}
