import { describe, expect, it } from "vitest";
import { byExecution, PendingHistory } from "./pending.ts";
import type { ExecutionRow } from "./rows.ts";

const execution = (id: string, status: string) => ({ id, status }) as ExecutionRow;
const stepRun = (executionId: string, stepId: string, status: string) => ({ executionId, stepId, type: "agent", status });

describe("PendingHistory", () => {
  it("keeps the newest row of each execution and step, and every usage and audit entry", () => {
    const pending = new PendingHistory();
    pending.add(1, "a", { execution: execution("a", "running"), stepRuns: [stepRun("a", "s1", "running")], usage: [{ costUsd: 1 } as never] });
    pending.add(2, "a", { execution: execution("a", "completed"), stepRuns: [stepRun("a", "s1", "completed"), stepRun("a", "s2", "completed")], usage: [{ costUsd: 2 } as never] });
    pending.add(3, "b", { execution: execution("b", "queued"), audit: [{ action: "execution.start" } as never] });
    const rows = pending.snapshot();
    expect(rows.map((r) => [r.table, r.rev, r.row.status ?? r.row.costUsd ?? r.row.action])).toEqual([
      ["usage", 1, 1],
      ["executions", 2, "completed"],
      ["stepRuns", 2, "completed"],
      ["stepRuns", 2, "completed"],
      ["usage", 2, 2],
      ["executions", 3, "queued"],
      ["audit", 3, "execution.start"],
    ]);
    expect(pending.size).toBe(7);
  });

  it("forgets written rows but keeps one a newer handover replaced meanwhile", () => {
    const pending = new PendingHistory();
    pending.add(1, "a", { execution: execution("a", "running") });
    pending.add(2, "b", { execution: execution("b", "running") });
    const flushed = pending.snapshot();
    pending.add(3, "a", { execution: execution("a", "completed") });
    expect(pending.hasThrough(1)).toBe(true);
    pending.written(flushed);
    expect(pending.snapshot().map((r) => [r.executionId, r.row.status])).toEqual([["a", "completed"]]);
    // What D1 now lacks is only what handover 3 brought.
    expect(pending.hasThrough(2)).toBe(false);
    expect(pending.hasThrough(3)).toBe(true);
    expect([...pending.liveRevs()]).toEqual([3]);
  });

  it("answers that a replaced row is still owed to a commit made before the replacement", () => {
    const pending = new PendingHistory();
    pending.add(1, "a", { execution: execution("a", "running") });
    pending.add(2, "a", { execution: execution("a", "completed") });
    // A reader that committed after handover 1 must not be told D1 is current: handover 2 carries 1's row.
    expect(pending.hasThrough(1)).toBe(true);
    expect(pending.liveRevs()).toEqual(new Set([2]));
  });

  it("drops only the rows it was given, not newer ones", () => {
    const pending = new PendingHistory();
    pending.add(1, "a", { execution: execution("a", "running") });
    const given = pending.snapshot();
    pending.add(2, "a", { execution: execution("a", "completed") });
    pending.drop(given);
    expect(pending.size).toBe(1);
  });

  it("groups a snapshot by execution, in order", () => {
    const pending = new PendingHistory();
    pending.add(1, "a", { execution: execution("a", "running") });
    pending.add(2, "b", { execution: execution("b", "running") });
    pending.add(3, "a", { stepRuns: [stepRun("a", "s1", "running")] });
    expect(byExecution(pending.snapshot()).map((group) => group.map((r) => `${r.executionId}:${r.table}`))).toEqual([["a:executions", "a:stepRuns"], ["b:executions"]]);
  });
});
