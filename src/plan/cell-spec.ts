/** Everything a process needs to measure one fork of one cell. Plain data: it crosses IPC. */
export interface CellSpec {
  key: string;
  scenario: string;
  backend: string;
  n: number;
  seed: number;
  threads: number;
  tier: string;
  /** V8 flags of the process that measures this cell (tier preset + --v8-flags). */
  v8Flags: string[];
  /** Time budget of the cell (warm-up + measurement), ms. */
  timeMs: number;
  fork: number;
  debug: boolean;
  /** Extra environment of the measuring process (from Backend.childEnv, e.g. DISPLAY). */
  env?: Record<string, string>;
  /** The scenario's resolved case (Scenario.caseData), rebuilt by its family in the child without parsing the id. */
  caseData?: unknown;
  /** Plugin modules (URLs) the child loads before measuring: the built-in ones and the user's (--plugin). */
  plugins: string[];
}

export function cellKey(c: Pick<CellSpec, 'scenario' | 'backend' | 'n' | 'threads' | 'tier'>): string {
  return `${c.scenario}/${c.backend}/${c.tier}/t${c.threads}/n${c.n}`;
}
