import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evmInterpEngine } from '../backends/evm-interp/index.js';
import { isEvmOutput, isExactAccuracy, type Backend, type CellParams, type Kernel, type KernelOutput } from '../src/core/types.js';
import type { EvmEngine } from '../src/evm/types.js';
import { accuracy, perfTime } from '../src/metrics/decorators.js';
import { measureForkIsolated } from '../src/run/isolate.js';
import { FORK_OVERHEAD_ITERATIONS, measureFork } from '../src/run/measure-fork.js';
import type { CellSpec } from '../src/plan/cell-spec.js';
import { prepareEvmKernel } from '../scenarios/evm/kernel.js';
import { BUILTIN_PLUGINS } from './builtins.js';

function spec(over: Partial<CellSpec> = {}): CellSpec {
  return { key: 'k', scenario: 'pi', backend: 'fake', n: 1000, seed: 1, threads: 1, tier: 'default', v8Flags: [], timeMs: 200, fork: 0, debug: false, plugins: BUILTIN_PLUGINS, ...over };
}

/** evm-interp, noting for every message call whether it ran the empty contract (STOP) or the workload. */
function countingEngine(log: string[]): EvmEngine {
  return {
    id: 'evm-interp',
    description: 'evm-interp, counting calls',
    execute(frame, host) {
      if (frame.depth === 0) log.push(frame.code.length === 1 && frame.code[0] === 0 ? 'empty' : 'workload');
      return evmInterpEngine.execute(frame, host);
    },
  };
}

function fakeBackend(prepare: Backend['prepare']): Backend {
  return { id: 'fake', description: 'test backend', deterministic: true, tiers: { default: [] }, probe: async () => ({ available: true, detail: '' }), supports: () => true, prepare };
}

test('an EVM kernel makes no call while it is prepared', () => {
  const log: string[] = [];
  const k = prepareEvmKernel(countingEngine(log), 'evm:fib', { n: 10, seed: 1, threads: 1 });
  assert.deepEqual(log, []);
  k.run({ n: 10, seed: 1, threads: 1 });
  assert.deepEqual(log, ['workload']);
});

test('an EVM fork: the first call is the first engine call; the empty call is measured after every workload call', async () => {
  const log: string[] = [];
  const m = await measureFork(spec({ scenario: 'evm:fib', n: 10 }), fakeBackend(async (s, p) => prepareEvmKernel(countingEngine(log), s.id, p)));
  assert.equal(m.status, 'ok', m.reason);
  assert.equal(log[0], 'workload');
  const firstEmpty = log.indexOf('empty');
  assert.ok(firstEmpty > 0, 'the empty call was measured');
  assert.equal(log.lastIndexOf('workload'), firstEmpty - 1, 'no workload call after the empty calls began');
  assert.ok(m.baseline && m.baseline.samples > 0);
  assert.equal(m.info['emptyCallUs'], m.baseline.p50Ms * 1000);
  // the empty calls have their own recorder: the cell's answer is still fib(10)
  assert.ok(m.output && isEvmOutput(m.output));
  assert.equal(BigInt(m.output.evm.returnData), 55n);
  assert.equal(m.accuracy && isExactAccuracy(m.accuracy) && m.accuracy.matches, true);
});

/** A pi-shaped kernel whose calls take about `us` microseconds (busy wait), timed by the decorators. */
class SpinKernel implements Kernel {
  calls = 0;
  constructor(private readonly us: number, private readonly log: string[], private readonly name: string, private readonly base?: SpinKernel) {}

  @accuracy(() => ({ estimate: Math.PI, absError: 0, sigma: 1, z: 0, suspect: false }))
  @perfTime()
  run(p: CellParams): KernelOutput {
    this.calls++;
    if (this.log.at(-1) !== this.name) this.log.push(this.name);
    const end = performance.now() + this.us / 1000;
    while (performance.now() < end) { /* spin */ }
    return { hits: Math.round((Math.PI / 4) * p.n), n: p.n };
  }

  info(): Record<string, unknown> {
    return {};
  }

  dispose(): void {}

  baseline(): Kernel {
    return this.base!;
  }
}

test('the baseline is timed like the kernel: decorated, batched below MIN_REGION_MS, after the samples', async () => {
  const log: string[] = [];
  const empty = new SpinKernel(1, log, 'baseline');
  const kernel = new SpinKernel(200, log, 'kernel', empty);
  const m = await measureFork(spec(), fakeBackend(async () => kernel));
  assert.equal(m.status, 'ok', m.reason);
  assert.equal(m.batch, 1, 'a 200 us call is not batched');
  assert.deepEqual(log, ['kernel', 'baseline'], 'the baseline ran only after every call of the kernel');
  const b = m.baseline!;
  // a ~1 us call is batched (it would take >= 20 us per call not to be)
  assert.ok(b.batch > 1, `baseline batch ${b.batch}`);
  assert.ok(b.samples > 0 && b.warmupCalls > 0);
  assert.ok(empty.calls >= b.batch * b.samples + b.warmupCalls + 1, `${empty.calls} calls for ${b.samples} samples of batch ${b.batch}`);
  assert.equal(m.info['emptyCallUs'], b.p50Ms * 1000);
});

test('a kernel without a baseline records none', async () => {
  const kernel = new SpinKernel(50, [], 'kernel');
  const m = await measureFork(spec(), fakeBackend(async () => Object.assign(kernel, { baseline: undefined })));
  assert.equal(m.status, 'ok', m.reason);
  assert.equal(m.baseline, undefined);
  assert.equal(m.info['emptyCallUs'], undefined);
});

test('each fork measures the harness overhead in its own process, at its tier', async () => {
  const m = await measureForkIsolated(spec({ backend: 'ts', tier: 'jitless', v8Flags: ['--jitless'] }), 120_000);
  assert.equal(m.status, 'ok', m.reason);
  assert.deepEqual(m.execArgv, ['--jitless']);
  const o = m.harnessOverhead;
  assert.ok(o, 'the fork carries its harness overhead');
  assert.match(o.method, new RegExp(`iterations \\(${FORK_OVERHEAD_ITERATIONS}\\)`));
  for (const v of [o.timedRegionFloorNs, o.decoratorsPerCallNs, o.harnessPerCallNs]) assert.ok(Number.isFinite(v) && v >= 0, String(v));
  assert.ok(o.harnessPerCallNs > 0);
});
