/**
 * The report's first screen: per scenario family, which backend is fastest and by how much the
 * others trail it (with intervals), and whether their answers checked out; then the per-point
 * "fastest" findings grouped by scenario, one line where one backend leads at every n.
 */
import type { CellRow } from './data.js';
import { timeRatio, type Fastest } from './findings.js';
import { isMeasured } from '../results/verdict.js';

/** A scenario family: the scenario id before its first ':' ('pi', 'evm'), with the EVM group when one is recorded ('evm corpus'). */
export function familyOf(r: Pick<CellRow, 'scenario' | 'group'>): string {
  const head = r.scenario.split(':')[0]!;
  return r.group !== undefined ? `${head} ${r.group}` : head;
}

export interface HeadlineRow {
  series: string;
  /** Points (scenario, n) where this series is the fastest, and the points it was measured at. */
  fastestAt: number;
  points: number;
  /** Its time over the leader's: geometric mean over the points both measured, the smallest and largest ratio, and the widest 95% interval. */
  ratio?: { geomean: number; min: number; max: number; lo: number; hi: number };
  /** Cell statuses other than ok ('2 wrong'); empty when every cell is ok. */
  problems: string[];
  cells: number;
}

export interface FamilyHeadline {
  family: string;
  scenarios: string[];
  /** The series fastest at the most points (ties: the smaller geometric-mean time). */
  leader: string;
  rows: HeadlineRow[];
}

const pointKey = (r: CellRow) => `${r.scenario}\u0000${r.n}`;
const usable = (r: CellRow) => isMeasured(r) && Number.isFinite(r.p50Ms);

export function headlines(rows: readonly CellRow[]): FamilyHeadline[] {
  const families = new Map<string, CellRow[]>();
  for (const r of rows) families.set(familyOf(r), [...(families.get(familyOf(r)) ?? []), r]);
  const out: FamilyHeadline[] = [];
  for (const [family, all] of families) {
    const measured = all.filter(usable);
    const byPoint = new Map<string, CellRow[]>();
    for (const r of measured) byPoint.set(pointKey(r), [...(byPoint.get(pointKey(r)) ?? []), r]);
    const wins = new Map<string, number>();
    for (const g of byPoint.values()) {
      const best = g.reduce((a, b) => (b.p50Ms < a.p50Ms ? b : a));
      wins.set(best.series, (wins.get(best.series) ?? 0) + 1);
    }
    const series = [...new Set(all.map((r) => r.series))];
    const logMean = (s: string) => {
      const xs = measured.filter((r) => r.series === s).map((r) => Math.log(r.p50Ms));
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Infinity;
    };
    const leader = [...series].sort((a, b) => (wins.get(b) ?? 0) - (wins.get(a) ?? 0) || logMean(a) - logMean(b))[0]!;
    const leaderAt = new Map(measured.filter((r) => r.series === leader).map((r) => [pointKey(r), r]));
    const hrows = series.map((s): HeadlineRow => {
      const mine = all.filter((r) => r.series === s);
      const problems = new Map<string, number>();
      for (const r of mine) if (r.status !== 'ok') problems.set(r.status, (problems.get(r.status) ?? 0) + 1);
      const ratios = mine.filter(usable).flatMap((r) => {
        const l = leaderAt.get(pointKey(r));
        return l ? [timeRatio(r, l)] : [];
      });
      const ratio = s !== leader && ratios.length > 0
        ? {
            geomean: Math.exp(ratios.reduce((a, q) => a + Math.log(q.ratio), 0) / ratios.length),
            min: Math.min(...ratios.map((q) => q.ratio)),
            max: Math.max(...ratios.map((q) => q.ratio)),
            lo: Math.min(...ratios.map((q) => q.lo)),
            hi: Math.max(...ratios.map((q) => q.hi)),
          }
        : undefined;
      return { series: s, fastestAt: wins.get(s) ?? 0, points: new Set(mine.filter(usable).map(pointKey)).size, ...(ratio ? { ratio } : {}), problems: [...problems].map(([k, v]) => `${v} ${k}`), cells: mine.length };
    });
    hrows.sort((a, b) => (a.series === leader ? -1 : b.series === leader ? 1 : (a.ratio?.geomean ?? Infinity) - (b.ratio?.geomean ?? Infinity)));
    out.push({ family, scenarios: [...new Set(all.map((r) => r.scenario))], leader, rows: hrows });
  }
  return out;
}

type Fmt = { n(n: number): string; num(v: number | undefined): string; ms(v: number): string; name(s: string): string };

/** One line for points that share their leader and runner-up, or undefined when they do not. */
function oneLine(title: string, list: readonly Fastest[], fmt: Fmt): string | undefined {
  const leaders = new Set(list.map((f) => f.series));
  const runners = new Set(list.map((f) => f.runnerUp).filter((x): x is string => x !== undefined));
  if (list.length < 2 || leaders.size !== 1 || runners.size > 1) return undefined;
  const margins = list.map((f) => f.margin).filter((m): m is number => m !== undefined);
  const ties = list.filter((f) => f.tie).map((f) => `${f.scenario} n=${fmt.n(f.n)}`);
  const scenarios = new Set(list.map((f) => f.scenario));
  const ns = list.map((f) => f.n);
  const where = scenarios.size > 1 ? `on every workload (${[...scenarios].map(fmt.name).join(', ')})` : `at every n (${fmt.n(Math.min(...ns))}..${fmt.n(Math.max(...ns))})`;
  const ahead = runners.size === 1 && margins.length
    ? `, ${fmt.num(Math.min(...margins))}-${fmt.num(Math.max(...margins))}x ahead of ${fmt.name([...runners][0]!)}${ties.length ? ` (a tie within the noise at ${ties.map(fmt.name).join(', ')})` : ''}`
    : '';
  return `- **${fmt.name(title)}**: fastest is **${fmt.name(list[0]!.series)}** ${where}${ahead}.`;
}

/**
 * The 'fastest' findings grouped: one line for a family whose points all share their leader and
 * runner-up, else one line per scenario that does, else one line per point.
 */
export function groupedFastest(fastest: readonly Fastest[], familyOfScenario: ReadonlyMap<string, string>, fmt: Fmt): string[] {
  const out: string[] = [];
  const byFamily = new Map<string, Fastest[]>();
  for (const f of fastest) {
    const fam = familyOfScenario.get(f.scenario) ?? f.scenario;
    byFamily.set(fam, [...(byFamily.get(fam) ?? []), f]);
  }
  for (const [family, famList] of byFamily) {
    const whole = new Set(famList.map((f) => f.scenario)).size > 1 ? oneLine(family, famList, fmt) : undefined;
    if (whole) {
      out.push(whole);
      continue;
    }
    const byScenario = new Map<string, Fastest[]>();
    for (const f of famList) byScenario.set(f.scenario, [...(byScenario.get(f.scenario) ?? []), f]);
    for (const [scenario, list] of byScenario) {
      const line = oneLine(scenario, list, fmt);
      if (line) {
        out.push(line);
        continue;
      }
      out.push(...list.map((x) => pointLine(x, fmt)));
    }
  }
  return out;
}

function pointLine(x: Fastest, fmt: Fmt): string {
  return `- **${fmt.name(x.scenario)} n=${fmt.n(x.n)}**: fastest is **${fmt.name(x.series)}** (${fmt.ms(x.p50Ms)} per call)${x.runnerUp ? `, ${fmt.num(x.margin)}x${x.marginLo !== undefined ? ` (95% interval ${fmt.num(x.marginLo)} - ${fmt.num(x.marginHi)})` : ''} ahead of ${fmt.name(x.runnerUp)}${x.tie ? ' (the interval reaches 1: a tie within the noise)' : ''}` : ''}.`;
}

/** Each scenario's family, from the rows (EVM groups are recorded per cell). */
export function familiesOf(rows: readonly CellRow[]): Map<string, string> {
  return new Map(rows.map((r) => [r.scenario, familyOf(r)]));
}
