/** Missing optional parts merged by part: the first mention's text and order, the backends of every mention. */
import type { MissingPartUse } from '../core/types.js';

export function mergeMissingParts(parts: Iterable<MissingPartUse>): MissingPartUse[] {
  const byPart = new Map<string, MissingPartUse>();
  for (const p of parts) {
    const use = byPart.get(p.part) ?? { part: p.part, add: p.add, backends: [] };
    for (const b of p.backends) if (!use.backends.includes(b)) use.backends.push(b);
    byPart.set(p.part, use);
  }
  return [...byPart.values()];
}
