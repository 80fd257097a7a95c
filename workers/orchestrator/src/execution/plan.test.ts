/** Proves DAG readiness and settlement as plain functions. */
import { describe, expect, it } from "vitest";
import type { StepStatus } from "#shared/execution.ts";
import type { Step } from "#shared/template.ts";
import { executionProgress, readySteps, sinkSteps } from "./plan.ts";

const step = (id: string, needs: string[] = []): Step => ({ id, type: "agent", agent: "echo", needs });
const steps = [step("a"), step("b"), step("c", ["a", "b"]), step("d", ["c"])];
const statuses = (map: Record<string, StepStatus>) => (id: string) => map[id] ?? "pending";

describe("readySteps", () => {
  it("readies roots, then a join only once all its needs completed", () => {
    expect(readySteps(steps, statuses({})).ready.map((s) => s.id)).toEqual(["a", "b"]);
    expect(readySteps(steps, statuses({ a: "completed", b: "running" })).ready).toEqual([]);
    expect(readySteps(steps, statuses({ a: "completed", b: "completed" })).ready.map((s) => s.id)).toEqual(["c"]);
  });

  it("skips what needs a skipped step, and waits on failed needs", () => {
    expect(readySteps(steps, statuses({ a: "skipped", b: "completed" })).skipped.map((s) => [s.step.id, s.reason])).toEqual([["c", 'needs "a", which was skipped']]);
    expect(readySteps(steps, statuses({ a: "failed", b: "completed" }))).toEqual({ ready: [], skipped: [] });
  });
});

describe("executionProgress", () => {
  it("is active while anything runs or can start, waiting when only waits remain", () => {
    expect(executionProgress(["running", "pending"], false)).toEqual({ state: "active", waiting: false });
    expect(executionProgress(["waiting", "pending"], false)).toEqual({ state: "active", waiting: true });
    expect(executionProgress(["completed", "pending"], true)).toEqual({ state: "active", waiting: false });
  });

  it("settles failed when a step failed or could never run", () => {
    expect(executionProgress(["completed", "skipped"], false)).toEqual({ state: "settled", failed: false });
    expect(executionProgress(["failed", "completed"], false)).toEqual({ state: "settled", failed: true });
    expect(executionProgress(["completed", "pending"], false)).toEqual({ state: "settled", failed: true });
  });
});

describe("sinkSteps", () => {
  it("are the steps nothing needs", () => {
    expect(sinkSteps(steps).map((s) => s.id)).toEqual(["d"]);
  });
});
