import { describe, expect, it } from "vitest";
import { DAY_MS, fillBuckets, HOUR_MS, lastPeriods, periodStart } from "./buckets.ts";

describe("stats buckets", () => {
  it("starts the day at the caller's midnight", () => {
    const at = Date.parse("2026-12-05T00:30:00Z");
    expect(periodStart(at, DAY_MS, 0)).toBe(Date.parse("2026-12-05T00:00:00Z"));
    // UTC+1: it is 01:30 on the 5th there, the day began at 23:00 UTC on the 4th.
    expect(periodStart(at, DAY_MS, 60)).toBe(Date.parse("2026-12-04T23:00:00Z"));
    // UTC-5: it is 19:30 on the 4th there.
    expect(periodStart(at, DAY_MS, -300)).toBe(Date.parse("2026-12-04T05:00:00Z"));
    // UTC+5:30 hours start at half past.
    expect(periodStart(at, HOUR_MS, 330)).toBe(Date.parse("2026-12-05T00:30:00Z"));
  });

  it("fills every bucket, ignoring rows outside the span", () => {
    const span = lastPeriods(Date.parse("2026-12-05T10:10:00Z"), HOUR_MS, 3, 0);
    expect(span.start).toBe(Date.parse("2026-12-05T08:00:00Z"));
    const buckets = fillBuckets(span, {
      created: [{ b: 0, n: 2 }, { b: 2, n: 1 }, { b: 3, n: 9 }],
      ended: [{ b: 1, status: "completed", n: 4 }, { b: 1, status: "failed", n: 1 }, { b: 1, status: "running", n: 7 }],
      cost: [{ b: 2, cost: 0.1 }, { b: 2, cost: 0.2 }],
    });
    expect(buckets.map((b) => [b.created, b.completed, b.failed, b.costUsd])).toEqual([
      [2, 0, 0, 0],
      [0, 4, 1, 0],
      [1, 0, 0, 0.3],
    ]);
  });
});
