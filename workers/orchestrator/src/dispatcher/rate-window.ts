/** Rate-limit windows such as `30d`: their length, and when a full window frees up. */
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function windowMs(window: string): number {
  const match = /^([1-9][0-9]{0,5})(s|m|h|d)$/.exec(window);
  if (!match) throw new Error(`not a window: ${window}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

export type RateVerdict =
  | { ok: true; count: number }
  | { ok: false; count: number; freesAt: number };

/** Whether one more start fits `limit` starts per `windowLength`, given the start times inside it (oldest first). */
export function rateVerdict(startsInWindow: readonly number[], limit: number, windowLength: number): RateVerdict {
  const count = startsInWindow.length;
  if (count < limit) return { ok: true, count };
  // The window frees a place when the start that makes it full ages out.
  const freeing = startsInWindow[count - limit]!;
  return { ok: false, count, freesAt: freeing + windowLength };
}
