/**
 * Deterministic pseudo-randomness for the sample agents: the same text always yields the same numbers,
 * so a sample pipeline gives the same result on every run and in every test, with no network.
 */

/** FNV-1a, 32 bits: tiny, fast and well spread for short strings; not for anything secret. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Eight hex digits of `hashString`, for ids and seeds that read well in output. */
export function hashHex(text: string): string {
  return hashString(text).toString(16).padStart(8, "0");
}

export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** `count` distinct items (or all of them, if fewer), in a seeded order. */
  sample<T>(items: readonly T[], count: number): T[];
}

/** mulberry32 seeded from the text's hash. */
export function seededRandom(seedText: string): SeededRandom {
  let state = hashString(seedText);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error("pick() needs at least one item");
    return items[int(0, items.length - 1)] as T;
  };
  const sample = <T>(items: readonly T[], count: number): T[] => {
    const pool = [...items];
    const chosen: T[] = [];
    while (chosen.length < count && pool.length > 0) {
      chosen.push(pool.splice(int(0, pool.length - 1), 1)[0] as T);
    }
    return chosen;
  };
  return { next, int, pick, sample };
}
