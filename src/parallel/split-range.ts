/** Splits [0, n) into `parts` contiguous ranges (for threads); sizes differ by at most one. */
export function splitRange(n: number, parts: number): Array<{ start: number; count: number }> {
  const out: Array<{ start: number; count: number }> = [];
  const base = Math.floor(n / parts);
  let rem = n - base * parts;
  let start = 0;
  for (let p = 0; p < parts; p++) {
    const count = base + (rem > 0 ? 1 : 0);
    if (rem > 0) rem--;
    out.push({ start, count });
    start += count;
  }
  return out;
}
