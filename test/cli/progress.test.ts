/**
 * Proves the live display of `baton run --watch` from states and events alone: bars for progress such
 * as `15/30`, the attempt and countdown of a retry, why a step waits (an approval with its message, a
 * lock), durations and errors; and that events fold into the state in order, each once, through the
 * reducer the console shares (shared/client/reduce.ts).
 */
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import type { ExecutionEvent, ExecutionState, StepState } from "#shared/execution.ts";
import { eventLine } from "../../scripts/baton/event-line.ts";
import { bar, duration, renderProgress } from "../../scripts/baton/progress.ts";
import { applyEvent, outrunsState } from "../../shared/client/reduce.ts";
import { renderJson, renderTable } from "../../scripts/baton/table.ts";

const now = 1_800_000_100_000;

function step(id: string, overrides: Partial<StepState> = {}): StepState {
  return {
    id,
    type: "agent",
    agent: "echo",
    status: "pending",
    attempt: 0,
    maxAttempts: 1,
    input: null,
    output: null,
    error: null,
    progress: null,
    waitingFor: null,
    wakeAt: null,
    startedAt: null,
    endedAt: null,
    usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0 },
    items: null,
    childExecutionId: null,
    ...overrides,
  };
}

function execution(steps: StepState[], overrides: Partial<ExecutionState> = {}): ExecutionState {
  return {
    id: "ex_test",
    templateId: "ebook",
    templateVersion: 3,
    status: "running",
    params: {},
    priority: 0,
    idempotencyKey: null,
    parentExecutionId: null,
    createdBy: "token:default",
    createdAt: now - 60_000,
    startedAt: now - 42_000,
    endedAt: null,
    error: null,
    reason: null,
    costUsd: 0.0125,
    output: null,
    steps,
    lastEventSeq: 10,
    startApproval: null,
    ...overrides,
  };
}

const event = (seq: number, type: ExecutionEvent["type"], data: Record<string, unknown>): ExecutionEvent => ({ seq, type, executionId: "ex_test", at: now + seq, data });

describe("renderProgress", () => {
  const state = execution([
    step("analyze", { status: "completed", attempt: 1, startedAt: now - 41_000, endedAt: now - 39_500 }),
    step("images", { status: "running", attempt: 1, startedAt: now - 39_000, progress: { current: 15, total: 30, message: "cover art" } }),
    step("retouch", { status: "retrying", attempt: 2, maxAttempts: 4, error: { code: "agent_error", message: "rate limited" }, wakeAt: now + 3_000 }),
    step("review", { type: "approval", agent: null, status: "waiting", waitingFor: "approval", input: { message: "Publish space?" }, wakeAt: now + 3_600_000 }),
    step("publish", { status: "waiting", waitingFor: 'lock "storefront"' }),
    step("archive"),
  ]);

  it("draws a line per step with what it is doing", () => {
    const lines = renderProgress(state, { now, color: false });
    expect(lines[0]).toBe("ebook v3  ex_test  running  42s  $0.0125");
    expect(lines[1]).toBe("  ✓ analyze  completed  1.5s");
    expect(lines[2]).toBe(`  ▸ images   running    [${"█".repeat(10)}${"░".repeat(10)}]  15/30  cover art`);
    expect(lines[3]).toBe("  ↻ retouch  retrying   attempt 2/4 failed — rate limited · retry in 3.0s");
    expect(lines[4]).toBe('  ⏸ review   waiting    waiting for approval: "Publish space?" (times out in 1h00m)');
    expect(lines[5]).toBe('  ⏸ publish  waiting    waiting for lock "storefront"');
    expect(lines[6]).toBe("  · archive  pending");
  });

  it("moves the countdown as time passes, and colors only when asked", () => {
    expect(renderProgress(state, { now: now + 2_000, color: false })[3]).toContain("retry in 1.0s");
    const colored = renderProgress(state, { now, color: true });
    expect(colored.join("\n")).toContain("\x1b[");
    expect(colored.map((line) => stripVTControlCharacters(line))).toEqual(renderProgress(state, { now, color: false }));
  });

  it("shows how an execution ended", () => {
    const failed = execution([step("a", { status: "failed", error: { code: "agent_error", message: "boom" } })], { status: "failed", endedAt: now - 1_000, error: { code: "step_failed", message: 'step "a" failed' } });
    expect(renderProgress(failed, { now, color: false })).toEqual([
      "ebook v3  ex_test  failed  41s  $0.0125",
      "  ✗ a     failed     agent_error: boom",
      '  step_failed: step "a" failed',
    ]);
  });

  it("shows the last line a streaming step wrote, and flattens outside text to one line", () => {
    const streaming = execution([step("a", { status: "running", attempt: 1, startedAt: now - 2_000 })]);
    expect(renderProgress(streaming, { now, color: false, streamTails: new Map([["a", "third line"]]) })[1]).toBe("  ▸ a     running    2.0s  › third line");
    const multiline = execution([step("r", { type: "approval", agent: null, status: "waiting", waitingFor: "approval", input: { message: "Publish\nit?\x1b[2J" } })]);
    expect(renderProgress(multiline, { now, color: false })[1]).toBe('  ⏸ r     waiting    waiting for approval: "Publish it? [2J"');
  });

  it("formats bars and durations", () => {
    expect(bar(0, 30)).toBe(`[${"░".repeat(20)}]`);
    expect(bar(30, 30)).toBe(`[${"█".repeat(20)}]`);
    expect(bar(5, 0)).toBe(`[${"░".repeat(20)}]`);
    expect([duration(1234), duration(42_000), duration(185_000), duration(3_720_000)]).toEqual(["1.2s", "42s", "3m05s", "1h02m"]);
  });
});

describe("applyEvent", () => {
  it("folds step and execution events into the state, each once", () => {
    let state = execution([step("a"), step("b", { maxAttempts: 3 })], { lastEventSeq: 2, status: "running" });
    const events = [
      event(2, "step.started", { stepId: "a", status: "running", attempt: 1 }),
      event(3, "step.started", { stepId: "a", status: "running", attempt: 1 }),
      event(4, "step.progress", { stepId: "a", status: "running", current: 15, total: 30 }),
      event(5, "step.completed", { stepId: "a", status: "completed", attempt: 1, output: { ok: true } }),
      event(6, "step.started", { stepId: "b", status: "running", attempt: 1 }),
      event(7, "step.retrying", { stepId: "b", status: "retrying", attempt: 1, error: { code: "agent_error", message: "flaky" }, nextAttemptAt: now + 500 }),
      event(8, "usage.updated", { stepId: "b", usage: { inputTokens: 10, outputTokens: 5, cachedTokens: 0, costUsd: 0.4875 }, totalCostUsd: 0.5 }),
      event(9, "step.progress", { stepId: "b", item: 2, status: "failed" }),
    ];
    for (const e of events) state = applyEvent(state, e);
    const [a, b] = state.steps;
    expect(a).toMatchObject({ status: "completed", progress: { current: 15, total: 30 }, output: { ok: true }, endedAt: now + 5 });
    // Event 2 was already in the state, so `a` started at event 3; the item event did not touch `b`.
    expect(a!.startedAt).toBe(now + 3);
    expect(b).toMatchObject({ status: "retrying", attempt: 1, wakeAt: now + 500, error: { message: "flaky" } });
    expect(state).toMatchObject({ costUsd: 0.5, lastEventSeq: 9 });

    state = applyEvent(state, event(10, "approval.required", { stepId: "b", message: "ok?", timeoutAt: null }));
    expect(state.steps[1]).toMatchObject({ status: "waiting", waitingFor: "approval", input: { message: "ok?" } });
    // Every active step waits, so the execution shows as waiting, as the server shows it.
    expect(state.status).toBe("waiting");
    state = applyEvent(state, event(11, "execution.cancelled", { reason: "enough", costUsd: 0.6 }));
    expect(state).toMatchObject({ status: "cancelled", reason: "enough", costUsd: 0.6, endedAt: now + 11 });
  });

  it("keeps the start approval, a fallback agent and usage, and names the events it cannot fold", () => {
    let state = execution([step("a"), step("b")], { lastEventSeq: 0, status: "queued", startedAt: null, startApproval: null });
    state = applyEvent(state, event(1, "execution.queued", { templateId: "ebook", version: 3, priority: 0 }));
    state = applyEvent(state, event(2, "approval.required", { stepId: "$start", message: "Start?", timeoutAt: null, onTimeout: null }));
    expect(state).toMatchObject({ status: "waiting", startApproval: { message: "Start?", requestedAt: now + 2 } });
    expect(state.steps.every((s) => s.status === "pending")).toBe(true);
    state = applyEvent(state, event(3, "approval.resolved", { stepId: "$start", approved: true, by: "admin", at: now + 3 }));
    state = applyEvent(state, event(4, "execution.queued", { templateId: "ebook", version: 3, priority: 0 }));
    state = applyEvent(state, event(5, "execution.started", {}));
    expect(state).toMatchObject({ status: "running", startApproval: null, startedAt: now + 5 });

    const usage = { inputTokens: 1, outputTokens: 2, cachedTokens: 0, costUsd: 0.25 };
    state = applyEvent(state, event(6, "step.fallback", { stepId: "a", status: "retrying", attempt: 2, agent: "echo-2", error: { code: "agent_error", message: "down" } }));
    state = applyEvent(state, event(7, "usage.updated", { stepId: "a", usage, totalCostUsd: 0.25 }));
    state = applyEvent(state, event(8, "usage.updated", { stepId: "b", item: 1, usage, totalCostUsd: 0.5 }));
    // As the server shows it: the step keeps its own agent, and says which fallback took over and why.
    expect(state.steps[0]).toMatchObject({ status: "retrying", fallback: { agent: "echo-2", error: { message: "down" } }, waitingFor: 'fallback agent "echo-2"' });
    expect(state.steps[0]).toMatchObject({ error: { message: "down" }, usage: { inputTokens: 1, costUsd: 0.25 } });
    // An item's usage adds up on its step; the item's own status does not describe the step.
    expect(state.steps[1]).toMatchObject({ status: "pending", usage: { outputTokens: 2, costUsd: 0.25 } });
    expect(state.costUsd).toBe(0.5);

    expect(outrunsState(event(9, "step.completed", { stepId: "b", item: 1, status: "completed" }))).toBe(true);
    expect(outrunsState(event(9, "step.log", { stepId: "b", item: 1, status: "running", attempt: 1, level: "info", message: "x" }))).toBe(false);
    expect(outrunsState(event(9, "step.completed", { stepId: "b", status: "completed" }))).toBe(false);
  });
});

describe("plain output", () => {
  it("prints one line per event", () => {
    const line = eventLine(event(7, "step.retrying", { stepId: "b", attempt: 1, error: { message: "flaky" }, delayMs: 1500 }));
    expect(line).toMatch(/^\d\d:\d\d:\d\d\s+7\s+step\.retrying\s+b\s+attempt 1 failed: flaky; next in 1\.5s$/);
  });

  it("renders tables and unknown JSON answers as tables", () => {
    expect(renderTable([{ id: "a", n: 1 }, { id: "bb", n: 22 }], [{ header: "id", value: (r) => r.id }, { header: "n", value: (r) => String(r.n), align: "right" }])).toBe(
      "ID   N\na    1\nbb  22",
    );
    const text = renderJson({ globalLimit: 2, running: [{ executionId: "ex_1", admittedAt: 1_800_000_000_000 }], queued: [] });
    expect(text).toBe("globalLimit: 2\n\nrunning (1)\nEXECUTIONID  ADMITTEDAT\nex_1         2027-01-15T08:00:00Z\n\nqueued (0)\n  (none)");
  });
});
