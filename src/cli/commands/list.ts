import { allBackends, allFamilies, allScenarios, sourceOfBackend, sourceOfScenario } from '../../core/registry.js';
import type { Probe } from '../../core/types.js';
import { formatMissingParts, missingParts } from '../missing-parts.js';
import { renderTable } from '../../util/text-table.js';

export async function probeAll(): Promise<Map<string, Probe>> {
  const out = new Map<string, Probe>();
  for (const b of allBackends()) {
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
  const scenarioList = allScenarios();
  const backends = allBackends().map((b) => ({
    id: b.id,
    available: probes.get(b.id)!.available,
    detail: probes.get(b.id)!.detail,
    reason: probes.get(b.id)!.reason,
    description: b.description,
    exact: b.deterministic,
    tiers: b.tiers,
    scenarios: scenarioList.filter((s) => b.supports(s)).map((s) => s.id),
    source: sourceOfBackend(b.id)!,
  }));
  const scenarios = scenarioList.map((s) => ({ id: s.id, description: s.description, source: sourceOfScenario(s.id)! }));
  const aliases = Object.assign({}, ...allFamilies().map((f) => f.aliases ?? {})) as Record<string, string[]>;
  const missing = missingParts(probes);
  if (json) {
    process.stdout.write(`${JSON.stringify({ backends, scenarios, aliases, missingParts: missing }, null, 2)}\n`);
    return;
  }
  // the source column only when a plugin added something
  const plugin = (source: string) => (source === 'built-in' ? '' : ` [${source}]`);
  const rows = backends.map((b) => [
    `${b.id}${plugin(b.source)}`, b.available ? 'yes' : 'no', b.available ? b.detail : `${b.reason}`, Object.keys(b.tiers).join(', '), b.exact ? 'exact' : 'statistical', b.scenarios.join(', '),
  ]);
  process.stdout.write(`Backends\n${renderTable(['backend', 'available', 'detail / reason', 'tiers (--tier)', 'answer check', 'scenarios'], rows, rows[0]!.map(() => false))}\n\n`);
  for (const b of backends) process.stdout.write(`  ${b.id}: ${b.description}${plugin(b.source)}\n`);
  const srows = scenarios.map((s) => [`${s.id}${plugin(s.source)}`, s.description]);
  process.stdout.write(`\nScenarios\n${renderTable(['scenario', 'description'], srows, [false, false])}\n`);
  for (const [alias, ids] of Object.entries(aliases)) process.stdout.write(`\n${alias} (alias) runs: ${ids.join(', ')}\n`);
  if (missing.length > 0) process.stdout.write(`\n${formatMissingParts(missing)}`);
}
