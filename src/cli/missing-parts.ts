/** The optional parts missing on this machine, once each with the backends they hold back and the command that adds them. */
import type { MissingPartUse, Probe } from '../core/types.js';
import { mergeMissingParts } from '../results/missing-parts.js';

/** The probes' missing parts merged by part (first mention's order), restricted to `backends` when given. */
export function missingParts(probes: ReadonlyMap<string, Probe>, backends?: readonly string[]): MissingPartUse[] {
  const mentions = [...probes].filter(([id]) => !backends || backends.includes(id));
  return mergeMissingParts(mentions.flatMap(([id, probe]) => (probe.missing ?? []).map((m) => ({ ...m, backends: [id] }))));
}

/** One line per part: what it is, whom it holds back, and the command that adds it. */
export function formatMissingParts(parts: readonly MissingPartUse[]): string {
  if (parts.length === 0) return '';
  const lines = parts.map((p) => `  ${p.part} [${p.backends.join(', ')}]: ${p.add}`);
  return `Not installed here (optional; the command adds it):\n${lines.join('\n')}\n`;
}
