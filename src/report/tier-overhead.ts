/**
 * The harness overhead measured inside each cell's process (ForkMeasurement.harnessOverhead),
 * grouped by tier: a cell at --tier jitless or no-opt pays its own tier's overhead, not the
 * run-level figure the parent measured at the default tier.
 */
import type { HarnessOverhead } from '../metrics/overhead.js';
import { quantile } from '../metrics/stats.js';
import type { ResultsDocument } from '../results/document.js';

export interface TierOverhead {
  tier: string;
  /** Forks that measured it. */
  forks: number;
  /** Medians over those forks, ns. */
  timedRegionFloorNs: number;
  decoratorsPerCallNs: number;
  harnessPerCallNs: number;
}

const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);

/** Per-tier medians of the overhead measured in the cells' processes (tiers in first-seen order; none for older files). */
export function overheadByTier(doc: Pick<ResultsDocument, 'cells'>): TierOverhead[] {
  const byTier = new Map<string, HarnessOverhead[]>();
  for (const c of doc.cells) {
    for (const f of c.forks) {
      if (!f.harnessOverhead) continue;
      byTier.set(c.tier, [...(byTier.get(c.tier) ?? []), f.harnessOverhead]);
    }
  }
  return [...byTier].map(([tier, os]) => ({
    tier,
    forks: os.length,
    timedRegionFloorNs: median(os.map((o) => o.timedRegionFloorNs)),
    decoratorsPerCallNs: median(os.map((o) => o.decoratorsPerCallNs)),
    harnessPerCallNs: median(os.map((o) => o.harnessPerCallNs)),
  }));
}

/** One line per tier, e.g. `jitless: 40 ns inside each sample, decorators 900 ns, sampling loop 3000 ns per iteration (4 forks)`. */
export function tierOverheadLines(doc: Pick<ResultsDocument, 'cells'>): string[] {
  return overheadByTier(doc).map((t) => `${t.tier}: ${t.timedRegionFloorNs.toFixed(0)} ns inside each sample, decorators ${t.decoratorsPerCallNs.toFixed(0)} ns, sampling loop ${t.harnessPerCallNs.toFixed(0)} ns per iteration (${t.forks} fork${t.forks === 1 ? '' : 's'})`);
}
