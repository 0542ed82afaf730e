import { UsageError } from '../util/errors.js';

export const MAX_N = 1e10;

/** A sample count: an integer 1..1e10, written plainly or in e-notation ('1e6', '250000'). */
export function parseSampleCount(text: string): number {
  const t = text.trim();
  const v = /^[0-9]+(\.[0-9]+)?(e[0-9]+)?$/i.test(t) ? Number(t) : NaN;
  if (!Number.isFinite(v) || !Number.isInteger(v) || v <= 0 || v > MAX_N) {
    throw new UsageError(`invalid sample count '${text}': expected an integer from 1 to 1e10 (e.g. 1e6 or 250000)`);
  }
  return v;
}

/** --samples: 'A..B' (decades from A to B, B = A * 10^k) or a comma list ('1e3,1e5'). */
export function parseSamples(text: string): number[] {
  const t = text.trim();
  if (t.includes('..')) {
    const parts = t.split('..');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new UsageError(`malformed range '${text}': expected START..END in decades, e.g. 1e3..1e8`);
    }
    const [a, b] = parts.map(parseSampleCount) as [number, number];
    const decades = Math.log10(b / a);
    if (b < a || Math.abs(decades - Math.round(decades)) > 1e-9) {
      throw new UsageError(`malformed range '${text}': END must be START times a power of ten (e.g. 1e3..1e8)`);
    }
    return Array.from({ length: Math.round(decades) + 1 }, (_, k) => Math.round(a * 10 ** k));
  }
  const values = t.split(',').map(parseSampleCount);
  return [...new Set(values)];
}

/** A comma list of names, each one of `accepted`. */
export function parseNames(text: string, what: string, accepted: readonly string[]): string[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError(`empty ${what} list: accepted ${what}s are ${accepted.join(', ')}`);
  for (const n of names) {
    if (!accepted.includes(n)) throw new UsageError(`unknown ${what} '${n}': accepted ${what}s are ${accepted.join(', ')}`);
  }
  return [...new Set(names)];
}

/** An integer option within [min, max]. */
export function parseIntOption(value: unknown, option: string, min: number, max: number): number {
  const v = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new UsageError(`invalid --${option} '${String(value)}': expected an integer from ${min} to ${max}`);
  }
  return v;
}

/** --threads: a comma list of thread counts, each >= 1. */
export function parseThreads(text: string): number[] {
  return [...new Set(String(text).split(',').map((s) => parseIntOption(s, 'threads', 1, 256)))];
}

/** A positive number of milliseconds. */
export function parsePositive(value: unknown, option: string, unit: string): number {
  const v = Number(value);
  if (!Number.isFinite(v) || v <= 0) throw new UsageError(`invalid --${option} '${String(value)}': expected a positive number of ${unit}`);
  return v;
}

/** --shard i/n: 1 <= i <= n <= 1000. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > 1000 || index < 1 || index > count) {
    throw new UsageError(`invalid --shard '${text}': expected i/n with 1 <= i <= n <= 1000 (e.g. 2/4)`);
  }
  return { index, count };
}
