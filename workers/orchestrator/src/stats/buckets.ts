/**
 * Time buckets for the stats: where "today" and each hour start in the caller's time zone (a fixed UTC
 * offset; a day that changes clocks for summer time is off by that hour), and filling the buckets from
 * sparse grouped rows so that every series has all its points.
 */
import type { StatsBucket } from "#shared/api/stats.ts";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The start of the `size`-long period holding `at`, on boundaries shifted by the caller's offset. */
export function periodStart(at: number, size: number, utcOffsetMinutes: number): number {
  const offset = utcOffsetMinutes * 60_000;
  return Math.floor((at + offset) / size) * size - offset;
}

export interface Span {
  start: number;
  size: number;
  count: number;
}

/** `count` periods of `size` ending with the one that holds `at`. */
export function lastPeriods(at: number, size: number, count: number, utcOffsetMinutes: number): Span {
  return { start: periodStart(at, size, utcOffsetMinutes) - (count - 1) * size, size, count };
}

export interface BucketRows {
  created: { b: number; n: number }[];
  ended: { b: number; status: string; n: number }[];
  cost: { b: number; cost: number | null }[];
}

export function fillBuckets(span: Span, rows: BucketRows): StatsBucket[] {
  const buckets: StatsBucket[] = Array.from({ length: span.count }, (_, i) => ({
    start: span.start + i * span.size,
    created: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
    costUsd: 0,
  }));
  const at = (b: number) => (Number.isInteger(b) && b >= 0 && b < span.count ? buckets[b] : undefined);
  for (const row of rows.created) {
    const bucket = at(row.b);
    if (bucket) bucket.created += row.n;
  }
  for (const row of rows.ended) {
    const bucket = at(row.b);
    if (bucket && (row.status === "completed" || row.status === "failed" || row.status === "cancelled")) bucket[row.status] += row.n;
  }
  for (const row of rows.cost) {
    const bucket = at(row.b);
    // Rounded to a millionth of a dollar: float sums should not show 0.30000000000000004.
    if (bucket) bucket.costUsd = Math.round((bucket.costUsd + (row.cost ?? 0)) * 1e6) / 1e6;
  }
  return buckets;
}
