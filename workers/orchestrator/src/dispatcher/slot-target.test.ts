/** Proves how a dispatcher shard sizes its share of the global limit: blocks, spares, fair share under contention. */
import { describe, expect, it } from "vitest";
import { BORROW_BLOCK, slotTarget } from "./slot-target.ts";

const calm = { contended: false, fairShare: 50 };

describe("slotTarget", () => {
  it("borrows a whole block when one more start is needed, a block as large as it holds once it holds more", () => {
    expect(slotTarget(0, 0, 1, calm, true)).toEqual({ hold: BORROW_BLOCK, room: 0 });
    expect(slotTarget(8, 8, 1, calm, true).hold).toBe(16);
    expect(slotTarget(16, 16, 1, calm, true).hold).toBe(32);
    expect(slotTarget(8, 8, 20, calm, true).hold).toBe(28);
  });

  it("keeps spare slots for a while, then gives them back", () => {
    expect(slotTarget(8, 2, 0, calm, true).hold).toBe(8);
    expect(slotTarget(8, 2, 0, calm, false).hold).toBe(2);
  });

  it("holds no more than its fair share when others wait, and never less than it runs", () => {
    const contended = { contended: true, fairShare: 3 };
    expect(slotTarget(10, 10, 5, contended, true)).toEqual({ hold: 10, room: 0 });
    expect(slotTarget(10, 2, 5, contended, true)).toEqual({ hold: 3, room: 1 });
    expect(slotTarget(0, 0, 1, contended, true)).toEqual({ hold: 1, room: 0 });
  });
});
