/**
 * Entry point of a cell's child process: receives one CellSpec over IPC, measures it in this
 * fresh process and sends the measurement back. JITBENCH_CHILD_FAULT lets tests make a child
 * crash, hang or run out of memory, to check that the parent records it as an error.
 */
import { loadPlugin } from '../core/plugins.js';
import { oneLine } from '../util/errors.js';
import { failedFork } from './isolate.js';
import { measureFork } from './measure-fork.js';
import type { CellSpec } from '../plan/cell-spec.js';

function injectFault(kind: string | undefined): void {
  if (kind === 'exit') process.exit(3);
  if (kind === 'abort') process.abort();
  if (kind === 'hang') setInterval(() => {}, 1 << 30);
  if (kind === 'oom') {
    const hog: unknown[] = [];
    for (;;) hog.push(new Array(1 << 20).fill(hog.length));
  }
}

// Ctrl-C reaches the whole process group: the parent decides what to stop, and kills us.
process.on('SIGINT', () => {});

process.once('message', (spec: CellSpec) => {
  // JITBENCH_CHILD_FAULT=kind or kind:backend (only that backend's children fail).
  const [kind, only] = (process.env.JITBENCH_CHILD_FAULT ?? '').split(':');
  if (kind && (!only || only === spec.backend)) {
    injectFault(kind);
    if (kind === 'hang') return;
  }
  void (async () => {
    // the same plugins as the parent, built-in ones included, in the same order
    try {
      for (const url of spec.plugins) await loadPlugin(url, url);
    } catch (e) {
      return failedFork(spec, `loading plugins: ${oneLine(e)}`, process.pid);
    }
    return measureFork(spec);
  })().then((m) => {
    process.send!({ type: 'result', measurement: m }, () => process.exit(0));
  });
});
