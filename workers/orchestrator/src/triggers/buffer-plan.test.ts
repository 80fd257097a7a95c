/** Proves the buffer's flush rule: debounce waits for quiet, batch flushes when full or when the oldest is due. */
import { describe, expect, it } from "vitest";
import { planFlush } from "./buffer-plan.ts";

describe("planFlush", () => {
  const debounce = { kind: "debounce", periodMs: 100 } as const;
  const batch = { kind: "batch", maxSize: 10, maxWaitMs: 1000 } as const;

  it("has nothing to do for an empty buffer", () => {
    expect(planFlush(debounce, { count: 0, firstAt: 0, lastAt: 0 }, 5)).toEqual({ take: 0, wakeAt: null });
    expect(planFlush(batch, { count: 0, firstAt: 0, lastAt: 0 }, 5)).toEqual({ take: 0, wakeAt: null });
  });

  it("debounce: waits until the last event is periodMs old, then takes everything", () => {
    expect(planFlush(debounce, { count: 3, firstAt: 0, lastAt: 50 }, 120)).toEqual({ take: 0, wakeAt: 150 });
    expect(planFlush(debounce, { count: 3, firstAt: 0, lastAt: 50 }, 150)).toEqual({ take: 3, wakeAt: null });
  });

  it("batch: takes maxSize at once when full, everything when the oldest is due, else waits for it", () => {
    expect(planFlush(batch, { count: 25, firstAt: 0, lastAt: 10 }, 10)).toEqual({ take: 10, wakeAt: null });
    expect(planFlush(batch, { count: 5, firstAt: 0, lastAt: 10 }, 10)).toEqual({ take: 0, wakeAt: 1000 });
    expect(planFlush(batch, { count: 5, firstAt: 0, lastAt: 10 }, 1000)).toEqual({ take: 5, wakeAt: null });
  });
});
