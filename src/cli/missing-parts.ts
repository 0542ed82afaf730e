/** The optional parts missing on this machine, once each with the backends they hold back and the command that adds them. */
import type { MissingPartUse, Probe } from '../core/types.js';

/** Merge the probes' missing parts by part (first mention's order), restricted to `backends` when given. */
export function missingParts(probes: ReadonlyMap<string, Probe>, backends?: readonly string[]): MissingPartUse[] {
  const byPart = new Map<string, MissingPartUse>();
  for (const [id, probe] of probes) {
    if (backends && !backends.includes(id)) continue;
    for (const m of probe.missing ?? []) {
      const use = byPart.get(m.part) ?? { ...m, backends: [] };
      use.backends.push(id);
      byPart.set(m.part, use);
    }
  }
  return [...byPart.values()];
}

/** One line per part: what it is, whom it holds back, and the command that adds it. */
export function formatMissingParts(parts: readonly MissingPartUse[]): string {
  if (parts.length === 0) return '';
  const lines = parts.map((p) => `  ${p.part} [${p.backends.join(', ')}]: ${p.add}`);
  return `Not installed here (optional; the command adds it):\n${lines.join('\n')}\n`;
}
