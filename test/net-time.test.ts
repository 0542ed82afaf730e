import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summaryTable } from '../src/cli/table.js';
import type { HarnessOverhead } from '../src/metrics/overhead.js';
import type { CellRow } from '../src/report/data.js';
import { findings } from '../src/report/findings.js';
import { netMs, netTimeProblem } from '../src/report/net-time.js';
import { overheadByTier } from '../src/report/tier-overhead.js';
import { loadResults } from '../src/results/load.js';
import { ROOT } from './helpers.js';
import './builtins.js';

function evmRow(series: string, p50Ms: number, emptyCallUs: number | undefined): CellRow {
  return {
    key: `evm:fib/${series}/default/t1/n1000`, scenario: 'evm:fib', family: 'evm', speedupBaseline: 'ethereumjs', netSpeedups: true, breakEvenBaseline: 'evm-interp', series, backend: series, tier: 'default', threads: 1, n: 1000, status: 'ok',
    p50Ms, ciLoMs: p50Ms * 0.99, ciHiMs: p50Ms * 1.01, nsPerSample: p50Ms * 1e3, compileMs: 1, firstCallMs: 1,
    ...(emptyCallUs !== undefined ? { emptyCallUs } : {}), warmupClass: 'flat', forks: 2, source: 'run',
  };
}

test('net time: an empty call not below the median gives no net figure and a flag with the reason', () => {
  const slowEmpty = evmRow('evm-native', 0.0129, 17);
  assert.equal(netTimeProblem(slowEmpty), 'net time undefined: empty call 17.0 us >= this call\'s median 12.9 us');
  assert.equal(netMs(slowEmpty), undefined);
  assert.ok(Math.abs(netMs(evmRow('evm-interp', 0.134, 10))! - 0.124) < 1e-12);
  assert.equal(netMs(evmRow('evm-interp', 0.134, undefined)), undefined);

  const rows = [evmRow('ethereumjs', 3.11, 300), slowEmpty, evmRow('evm-interp', 0.134, 10)];
  const f = findings([], rows);
  assert.deepEqual(f.flagged, [{ key: slowEmpty.key, status: 'no net time', reason: 'net time undefined: empty call 17.0 us >= this call\'s median 12.9 us' }]);
  const native = f.evmSpeedups.find((s) => s.series === 'evm-native')!;
  assert.equal(native.netSpeedup, undefined);
  assert.ok(Math.abs(native.speedup - 3.11 / 0.0129) < 1e-9);
  const interp = f.evmSpeedups.find((s) => s.series === 'evm-interp')!;
  assert.ok(Math.abs(interp.netSpeedup! - (3.11 - 0.3) / 0.124) < 1e-9);
});

test('harness overhead per tier: the forks\' own figures, grouped by tier, shown after a run; old files have none', () => {
  const doc = loadResults(`${ROOT}test/fixtures/results-small.json`);
  assert.deepEqual(overheadByTier(doc), []);
  const over = (floor: number, deco: number, loop: number): HarnessOverhead => ({ timerResolutionNs: 1, timedRegionFloorNs: floor, decoratorsPerCallNs: deco, harnessPerCallNs: loop, method: 'test' });
  const ts = doc.cells.find((c) => c.key === 'pi/ts/default/t1/n1000')!;
  ts.forks[0]!.harnessOverhead = over(40, 100, 600);
  ts.forks[1]!.harnessOverhead = over(60, 140, 800);
  const jitless = structuredClone(doc.cells.find((c) => c.key === 'pi/ts/default/t1/n10000')!);
  jitless.tier = 'jitless';
  jitless.forks[0]!.harnessOverhead = over(90, 2000, 9000);
  doc.cells.push(jitless);
  assert.deepEqual(overheadByTier(doc), [
    { tier: 'default', forks: 2, timedRegionFloorNs: 50, decoratorsPerCallNs: 120, harnessPerCallNs: 700 },
    { tier: 'jitless', forks: 1, timedRegionFloorNs: 90, decoratorsPerCallNs: 2000, harnessPerCallNs: 9000 },
  ]);
  const table = summaryTable(doc);
  assert.match(table, /in the cells' processes, default: 50 ns inside each sample, decorators 120 ns, sampling loop 700 ns per iteration \(2 forks\)/);
  assert.match(table, /in the cells' processes, jitless: 90 ns inside each sample, decorators 2000 ns, sampling loop 9000 ns per iteration \(1 fork\)/);
});
