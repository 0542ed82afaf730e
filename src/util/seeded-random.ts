import { lowbias32 } from './hash32.js';

/** A small seeded uint32 stream (Weyl sequence through lowbias32), for shuffling plans. */
export function seededStream(seed: number): () => number {
  let c = seed >>> 0;
  return () => {
    c = (c + 0x9e3779b9) >>> 0;
    return lowbias32(c);
  };
}

/** Fisher-Yates shuffle driven by a recorded seed: the same seed gives the same order. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = items.slice();
  const next = seededStream(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
