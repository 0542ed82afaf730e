import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusSpeedTable } from '../scenarios/evm/corpus/speed-table.js';
import type { CellResult, ResultsDocument } from '../src/results/document.js';
import './builtins.js';

/** A cell whose every fork has the same samples: its median is exact and every bootstrap replicate equals it. */
function cell(scenario: string, backend: string, ms: number, extra: Partial<CellResult> = {}, info: Record<string, unknown> = {}): CellResult {
  const fork = { status: 'ok', samples: [ms, ms, ms], info } as unknown as CellResult['forks'][number];
  return { key: `${scenario}/${backend}`, scenario, backend, n: 10, seed: 1, threads: 1, tier: 'default', v8Flags: [], status: 'ok', forks: [fork, fork], ...extra };
}

test('corpus speed table: medians, Mgas/s, revm net from EDR time, ratios with intervals, geometric means; a failed engine shows its status', () => {
  const out = { n: 10, evm: { status: 'success' as const, returnData: '0x', gasUsed: 2_000_000 } };
  const doc = {
    cells: [
      cell('evm:a', 'evm-interp', 8),
      cell('evm:a', 'evm-native', 2, { output: out }),
      cell('evm:a', 'ethereumjs', 80),
      cell('evm:a', 'revm', 5, {}, { edrExecutionUs: 4000 }),
      cell('evm:b', 'evm-interp', 0.5),
      cell('evm:b', 'evm-native', 0.25),
      { ...cell('evm:b', 'revm', 1), status: 'error' },
    ],
  } as unknown as ResultsDocument;
  const lines = corpusSpeedTable(doc).trim().split('\n');
  assert.equal(lines[2], '| evm:a (10) | 2,000,000 | 8.00 ms | 2.00 ms (1000) | 80.0 ms | 5.00 ms / 4.00 ms | 2.50x (2.50-2.50) | 2.00x | 4.00x (4.00-4.00) | 10.0x (10.0-10.0) |');
  assert.equal(lines[3], '| evm:b (10) | - | 500 us | 250 us | - | error | - | - | 2.00x (2.00-2.00) | - |');
  assert.equal(lines[5], 'geomean over 2 workloads: native vs revm raw 2.50x, vs revm net 2.00x, vs evm-interp 2.83x');
});
