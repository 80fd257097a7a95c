/**
 * Proves the admission rules as plain functions: limits, ordering, no head-of-line blocking, aging; and
 * that the incremental AdmissionQueue admits exactly what the plain definition (`planAdmissions`) does,
 * over random sequences of arrivals, ends and reprioritizations.
 */
import { describe, expect, it } from "vitest";
import { AdmissionQueue, AGING_MS, planAdmissions, type QueueEntry, type RunningEntry } from "./admission.ts";

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
    const plan = planAdmissions(queued, [], 2);
    expect(plan.admit.map((e) => e.executionId)).toEqual(["a", "b"]);
    expect(plan.waiting).toEqual([{ entry: queued[2], position: 1, kind: "global", reason: "global limit reached: 2 of 2 running" }]);
  });

  it("orders by priority, then arrival", () => {
    const plan = planAdmissions([entry("low", { priority: -1 }), entry("mid"), entry("high", { priority: 5 }), entry("mid2")], [], 10);
    expect(plan.admit.map((e) => e.executionId)).toEqual(["high", "mid", "mid2", "low"]);
  });

  it("holds a template at its limit without blocking other templates", () => {
    const running = [{ executionId: "r", templateId: "t", templateLimit: 1, concurrencyKey: null }];
    const plan = planAdmissions([entry("t2", { templateLimit: 1 }), entry("other", { templateId: "u" })], running, 10);
    expect(plan.admit.map((e) => e.executionId)).toEqual(["other"]);
    expect(plan.waiting[0]!.reason).toBe('template "t" limit reached: 1 of 1 running');
  });

  it("limits per concurrency key, not per template, when a key is set", () => {
    const queued = [
      entry("space1", { templateLimit: 1, concurrencyKey: "space" }),
      entry("space2", { templateLimit: 1, concurrencyKey: "space" }),
      entry("sea1", { templateLimit: 1, concurrencyKey: "sea" }),
    ];
    const plan = planAdmissions(queued, [], 10);
    expect(plan.admit.map((e) => e.executionId)).toEqual(["space1", "sea1"]);
    expect(plan.waiting.map((w) => [w.entry.executionId, w.position, w.reason])).toEqual([
      ["space2", 1, 'concurrency key "space" of "t" is busy: 1 of 1 running'],
    ]);
  });

  it("ages waiting entries: a lower priority overtakes anything more than (gap) × AGING_MS younger", () => {
    const old = entry("old", { priority: -3, enqueuedAt: 0 });
    // Three points behind, but it came more than three minutes earlier: it goes first.
    expect(planAdmissions([old, entry("later", { enqueuedAt: 3 * AGING_MS + 1 })], [], 1).admit[0]!.executionId).toBe("old");
    // Within three minutes, the higher priority goes first.
    expect(planAdmissions([old, entry("sooner", { enqueuedAt: 3 * AGING_MS - 1 })], [], 1).admit[0]!.executionId).toBe("sooner");
  });
});

describe("AdmissionQueue", () => {
  it("admits in priority order, then arrival, and skips full groups without blocking others", () => {
    const queue = new AdmissionQueue();
    queue.started({ executionId: "r", templateId: "t", templateLimit: 1, concurrencyKey: null });
    for (const e of [entry("t1", { templateLimit: 1, priority: 9 }), entry("u-low", { templateId: "u", priority: -1 }), entry("u-high", { templateId: "u", priority: 2 })]) queue.add(e);
    expect(queue.admit(10).map((e) => e.executionId)).toEqual(["u-high", "u-low"]);
    expect(queue.admissible(10)).toBe(0);
    queue.ended("r");
    expect(queue.admissible(10)).toBe(1);
    expect(queue.admit(10).map((e) => e.executionId)).toEqual(["t1"]);
  });

  it("takes a removed entry out of line and re-ranks a re-added one", () => {
    const queue = new AdmissionQueue();
    const a = entry("a");
    const b = entry("b");
    queue.add(a);
    queue.add(b);
    queue.remove("a");
    queue.add({ ...a, priority: -1 });
    queue.remove("b");
    expect(queue.admit(5).map((e) => [e.executionId, e.priority])).toEqual([["a", -1]]);
    expect(queue.size).toBe(0);
  });

  it("admits exactly what planAdmissions admits, over random arrivals, ends and reprioritizations", () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 40; round++) {
      const queue = new AdmissionQueue();
      const queued = new Map<string, QueueEntry>();
      const running = new Map<string, RunningEntry>();
      const limit = 1 + random(8);
      let now = 0;
      for (let op = 0; op < 300; op++) {
        now += random(3) * 20_000;
        const choice = random(10);
        if (choice < 5) {
          const template = `t${random(3)}`;
          const keyed = template === "t2";
          const e = entry(`e${round}-${op}`, {
            templateId: template,
            templateLimit: template === "t0" ? null : 1 + Number(template.slice(1)),
            concurrencyKey: keyed ? `k${random(3)}` : null,
            priority: random(5) - 2,
            enqueuedAt: now,
          });
          queued.set(e.executionId, e);
          queue.add(e);
        } else if (choice < 8 && running.size > 0) {
          const id = [...running.keys()][random(running.size)]!;
          running.delete(id);
          queue.ended(id);
        } else if (queued.size > 0) {
          const id = [...queued.keys()][random(queued.size)]!;
          const changed = { ...queued.get(id)!, priority: random(5) - 2 };
          queue.remove(id);
          queue.add(changed);
          queued.set(id, changed);
        }
        const expected = planAdmissions([...queued.values()], [...running.values()], limit).admit.map((e) => e.executionId);
        const admitted = queue.admit(limit - queue.running).map((e) => e.executionId);
        expect(admitted).toEqual(expected);
        for (const id of admitted) {
          running.set(id, queued.get(id)!);
          queued.delete(id);
        }
      }
    }
  });

  it("admits 2,000 of 10,000 queued in well under a second", () => {
    const queue = new AdmissionQueue();
    for (let i = 0; i < 10_000; i++) queue.add(entry(`n${i}`, { templateId: `t${i % 50}`, templateLimit: 1000, priority: i % 7 }));
    const started = performance.now();
    let admitted = 0;
    for (let i = 0; i < 2000; i++) admitted += queue.admit(1).length;
    expect(admitted).toBe(2000);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
