import { BACKENDS, SCENARIOS } from '../../core/registry.js';
import type { Probe } from '../../core/types.js';
import { formatMissingParts, missingParts } from '../missing-parts.js';
import { renderTable } from '../table.js';
import { CORPUS_ALIAS, corpusScenarioIds } from '../../../scenarios/evm/corpus/index.js';

export async function probeAll(): Promise<Map<string, Probe>> {
  const out = new Map<string, Probe>();
  for (const b of BACKENDS) {
    try {
      out.set(b.id, await b.probe());
    } catch (e) {
      out.set(b.id, { available: false, detail: 'probe failed', reason: (e as Error).message });
    }
  }
  return out;
}

export async function listCommand(json: boolean): Promise<void> {
  const probes = await probeAll();
  const backends = BACKENDS.map((b) => ({
    id: b.id,
    available: probes.get(b.id)!.available,
    detail: probes.get(b.id)!.detail,
    reason: probes.get(b.id)!.reason,
    description: b.description,
    exact: b.deterministic,
    tiers: b.tiers,
    scenarios: SCENARIOS.filter((s) => b.supports(s.id)).map((s) => s.id),
  }));
  const scenarios = SCENARIOS.map((s) => ({ id: s.id, description: s.description }));
  const aliases = { [CORPUS_ALIAS]: corpusScenarioIds() };
  const missing = missingParts(probes);
  if (json) {
    process.stdout.write(`${JSON.stringify({ backends, scenarios, aliases, missingParts: missing }, null, 2)}\n`);
    return;
  }
  const rows = backends.map((b) => [
    b.id, b.available ? 'yes' : 'no', b.available ? b.detail : `${b.reason}`, Object.keys(b.tiers).join(', '), b.exact ? 'exact' : 'statistical', b.scenarios.join(', '),
  ]);
  process.stdout.write(`Backends\n${renderTable(['backend', 'available', 'detail / reason', 'tiers (--tier)', 'answer check', 'scenarios'], rows, rows[0]!.map(() => false))}\n\n`);
  for (const b of backends) process.stdout.write(`  ${b.id}: ${b.description}\n`);
  const srows = scenarios.map((s) => [s.id, s.description]);
  process.stdout.write(`\nScenarios\n${renderTable(['scenario', 'description'], srows, [false, false])}\n`);
  for (const [alias, ids] of Object.entries(aliases)) process.stdout.write(`\n${alias} (alias) runs: ${ids.join(', ')}\n`);
  if (missing.length > 0) process.stdout.write(`\n${formatMissingParts(missing)}`);
}
