/** Hardforks in activation order, with the aliases people use for them. */

export const FORKS = [
  'frontier',
  'homestead',
  'tangerineWhistle',
  'spuriousDragon',
  'byzantium',
  'constantinople',
  'petersburg',
  'istanbul',
  'berlin',
  'london',
  'paris',
  'shanghai',
  'cancun',
  'prague',
] as const;

export type Fork = (typeof FORKS)[number];

const INDEX: Record<Fork, number> = Object.fromEntries(FORKS.map((f, i) => [f, i])) as Record<Fork, number>;

/** Other names for the same rules (forks that only moved the difficulty bomb map to their base). */
export const FORK_ALIASES: Readonly<Record<string, Fork>> = {
  chainstart: 'frontier',
  eip150: 'tangerineWhistle',
  tangerinewhistle: 'tangerineWhistle',
  eip158: 'spuriousDragon',
  spuriousdragon: 'spuriousDragon',
  constantinoplefix: 'petersburg',
  muirglacier: 'istanbul',
  arrowglacier: 'london',
  grayglacier: 'london',
  merge: 'paris',
  mergenetsplit: 'paris',
  shanghai: 'shanghai',
  cancun: 'cancun',
  prague: 'prague',
};

export function forkIndex(f: Fork): number {
  return INDEX[f];
}

/** True when `f` includes the rules of `since` (i.e. `since` activated at or before `f`). */
export function isForkAtLeast(f: Fork, since: Fork): boolean {
  return INDEX[f] >= INDEX[since];
}

/** Parse a fork name (case-insensitive, aliases accepted); undefined when unknown. */
export function parseFork(name: string): Fork | undefined {
  const lower = name.trim().toLowerCase();
  for (const f of FORKS) if (f.toLowerCase() === lower) return f;
  return FORK_ALIASES[lower];
}

export const LATEST_FORK: Fork = 'prague';
