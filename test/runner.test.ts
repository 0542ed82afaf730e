import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureForkIsolated } from '../src/run/isolate.js';
import type { CellSpec } from '../src/plan/cell-spec.js';
import { countHitsReference } from '../scenarios/monte-carlo-pi/generator.js';
import { hitsOf } from './helpers.js';
import { BUILTIN_PLUGINS } from './builtins.js';

const spec = (over: Partial<CellSpec> = {}): CellSpec => ({
  key: 'pi/ts/default/t1/n1000', scenario: 'pi', backend: 'ts', n: 1000, seed: 1, threads: 1, tier: 'default', v8Flags: [], timeMs: 50, fork: 0, debug: false, plugins: BUILTIN_PLUGINS, ...over,
});

function withFault<T>(fault: string, fn: () => Promise<T>): Promise<T> {
  process.env.JITBENCH_CHILD_FAULT = fault;
  return fn().finally(() => { delete process.env.JITBENCH_CHILD_FAULT; });
}

test('an isolated fork measures in a fresh process', async () => {
  const m = await measureForkIsolated(spec(), 60_000);
  assert.equal(m.status, 'ok', m.reason);
  assert.notEqual(m.pid, process.pid);
  assert.equal(hitsOf(m.output), countHitsReference(1, 0, 1000));
  assert.ok(m.stats.count >= 3);
  assert.ok(m.samples.length === m.stats.count);
  assert.ok(m.memory.peakRssBytes > 10e6);
});

test('a child that exits early is recorded as an error with the reason', async () => {
  const m = await withFault('exit', () => measureForkIsolated(spec(), 60_000));
  assert.equal(m.status, 'error');
  assert.match(m.reason!, /exited with code 3/);
});

test('a child that aborts is recorded as an error', async () => {
  const m = await withFault('abort', () => measureForkIsolated(spec(), 60_000));
  assert.equal(m.status, 'error');
  assert.match(m.reason!, /killed by SIGABRT|code 134/);
});

test('a child that runs out of memory is recorded as out of memory', async () => {
  const m = await withFault('oom', () => measureForkIsolated(spec({ v8Flags: ['--max-old-space-size=32'] }), 60_000));
  assert.equal(m.status, 'error');
  assert.match(m.reason!, /out of memory/);
});

test('a child that hangs is killed at the timeout', async () => {
  const m = await withFault('hang', () => measureForkIsolated(spec(), 1500));
  assert.equal(m.status, 'error');
  assert.match(m.reason!, /timed out after 2 s/);
});

test('a kernel that throws is an error, not a crash', async () => {
  const m = await measureForkIsolated(spec({ backend: 'nope' }), 60_000);
  assert.equal(m.status, 'error');
  assert.match(m.reason!, /unknown backend or scenario: nope/);
});
