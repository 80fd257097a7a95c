/** Proves the admission rules as plain functions: limits, ordering, no head-of-line blocking, aging. */
import { describe, expect, it } from "vitest";
import { AGING_MS, planAdmissions, type QueueEntry } from "./admission.ts";

let clock = 0;
const entry = (id: string, extra: Partial<QueueEntry> = {}): QueueEntry => ({
  executionId: id,
  templateId: "t",
  templateLimit: null,
  concurrencyKey: null,
  priority: 0,
  enqueuedAt: clock++,
  ...extra,
});

describe("planAdmissions", () => {
  it("admits up to the global limit, first come first", () => {
    const queued = [entry("a"), entry("b"), entry("c")];
    const plan = planAdmissions(queued, [], 2, 100);
    expect(plan.admit.map((e) => e.executionId)).toEqual(["a", "b"]);
    expect(plan.waiting).toEqual([{ entry: queued[2], position: 1, reason: "global limit reached: 2 of 2 running" }]);
  });

  it("orders by priority, then arrival", () => {
    const plan = planAdmissions([entry("low", { priority: -1 }), entry("mid"), entry("high", { priority: 5 }), entry("mid2")], [], 10, 100);
    expect(plan.admit.map((e) => e.executionId)).toEqual(["high", "mid", "mid2", "low"]);
  });

  it("holds a template at its limit without blocking other templates", () => {
    const running = [{ executionId: "r", templateId: "t", templateLimit: 1, concurrencyKey: null }];
    const plan = planAdmissions([entry("t2", { templateLimit: 1 }), entry("other", { templateId: "u" })], running, 10, 100);
    expect(plan.admit.map((e) => e.executionId)).toEqual(["other"]);
    expect(plan.waiting[0]!.reason).toBe('template "t" limit reached: 1 of 1 running');
  });

  it("limits per concurrency key, not per template, when a key is set", () => {
    const queued = [
      entry("space1", { templateLimit: 1, concurrencyKey: "space" }),
      entry("space2", { templateLimit: 1, concurrencyKey: "space" }),
      entry("sea1", { templateLimit: 1, concurrencyKey: "sea" }),
    ];
    const plan = planAdmissions(queued, [], 10, 100);
    expect(plan.admit.map((e) => e.executionId)).toEqual(["space1", "sea1"]);
    expect(plan.waiting.map((w) => [w.entry.executionId, w.position, w.reason])).toEqual([
      ["space2", 1, 'concurrency key "space" of "t" is busy: 1 of 1 running'],
    ]);
  });

  it("ages waiting entries so a low priority is never starved past its bound", () => {
    const old = entry("old", { priority: -3, enqueuedAt: 0 });
    const fresh = entry("fresh", { priority: 0, enqueuedAt: 4 * AGING_MS });
    expect(planAdmissions([old, fresh], [], 1, 4 * AGING_MS).admit[0]!.executionId).toBe("old");
    expect(planAdmissions([old, fresh], [], 1, 2 * AGING_MS + 5).admit[0]!.executionId).toBe("fresh");
  });
});
