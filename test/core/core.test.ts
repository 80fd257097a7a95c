/**
 * Proves the core's own promises, in plain Node: what a step costs in stored rows and events, that a
 * fan-out's work per item does not grow with its size, that every limit is enforced with an error that
 * names it, and the control rules (pause, interrupted attempts). The shell and the runtime are proven by
 * the workerd suites; the invariants under random faults by simulate.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { Template } from "#shared/template.ts";
import { World } from "./world.ts";

const chain = (count: number): Template =>
  ({
    id: "chain",
    name: "Chain",
    steps: Array.from({ length: count }, (_, i) => ({ id: `s${i}`, type: "agent", agent: "echo", input: { i }, ...(i > 0 ? { needs: [`s${i - 1}`] } : {}) })),
  }) as Template;

const fanOut = (concurrency: number, extra: Record<string, unknown> = {}): Template =>
  ({
    id: "fan",
    name: "Fan",
    steps: [{ id: "each", type: "agent", agent: "echo", input: { value: "{{item}}" }, forEach: { items: "{{params.items}}", concurrency }, ...extra }],
  }) as Template;

/** Answers every agent call with a success until nothing is pending; returns the turns that stored events. */
function runToEnd(world: World): number {
  let turns = 0;
  world.admit();
  for (let call = world.takeCommand("call-agent"); call; call = world.takeCommand("call-agent")) {
    const before = world.log.length;
    world.feed({ type: "attempt-settled", key: call.key, attempt: call.attempt, outcome: { ok: true, result: { output: { v: 1 } } } });
    if (world.log.length > before) turns++;
  }
  return turns;
}

describe("what a step costs", () => {
  it("stores one row per no-op step: a step's completion and the next one's start are one turn", () => {
    const world = new World(chain(20));
    const settleTurns = runToEnd(world);
    expect(world.state.status).toBe("completed");
    // One turn per settled attempt; the create and admit turns come once per execution.
    expect(settleTurns).toBe(20);
    expect(world.log.filter((e) => e.type === "step.started")).toHaveLength(20);
  });

  it("writes a step's output once: the state keeps where it is, not the output", () => {
    const world = new World(chain(2));
    runToEnd(world);
    expect(world.state.steps.s0!.output).toEqual({ seq: expect.any(Number), field: "output" });
    expect(JSON.stringify(world.state)).not.toContain('"v":1');
  });
});

describe("fan-out", () => {
  it("does the same work per item at 30,000 items as at 1,000: two events per item, the rest coalesced", () => {
    for (const count of [1_000, 30_000]) {
      const items = Array.from({ length: count }, (_, i) => i);
      const world = new World(fanOut(50), { params: { items } });
      world.admit();
      let maxActive = 0;
      for (let call = world.takeCommand("call-agent"); call; call = world.takeCommand("call-agent")) {
        world.now += 1;
        world.feed({ type: "attempt-settled", key: call.key, attempt: call.attempt, outcome: { ok: true, result: { output: call.item } } });
        maxActive = Math.max(maxActive, Object.keys(world.state.steps.each!.fanOut?.active ?? {}).length);
      }
      expect(world.state.status).toBe("completed");
      expect(maxActive).toBeLessThanOrEqual(50);
      const perItem = world.log.length / count;
      expect(perItem).toBeGreaterThanOrEqual(2);
      expect(perItem).toBeLessThan(2.01);
    }
  });
});

describe("limits", () => {
  it("fails a forEach over limits.itemsPerForEach, naming the limit", () => {
    const world = new World(fanOut(2), { params: { items: [1, 2, 3] }, limits: { itemsPerForEach: 2 } });
    world.admit();
    expect(world.state.status).toBe("failed");
    expect(world.state.steps.each!.error).toMatchObject({ code: "limit_exceeded", message: expect.stringContaining("limits.itemsPerForEach (2)") });
  });

  it("fails an attempt whose output is over limits.outputBytes, without retrying it", () => {
    const world = new World({ id: "big", name: "Big", steps: [{ id: "a", type: "agent", agent: "echo", retry: { limit: 3, delayMs: 0, backoff: "constant" } }] } as Template, {
      limits: { outputBytes: 10 },
    });
    world.admit();
    world.succeed({ text: "far more than ten bytes" });
    expect(world.state.steps.a!.error).toMatchObject({ code: "output_too_large", message: expect.stringContaining("limits.outputBytes (10)") });
    expect(world.state.steps.a!.attempt).toBe(1);
  });

  it("keeps at most limits.logLinesPerStep lines of a step, the last one saying so", () => {
    const world = new World(chain(1), { limits: { logLinesPerStep: 3 } });
    world.admit();
    const call = world.pending.find((c) => c.type === "call-agent") as { key: string; attempt: number };
    for (let i = 0; i < 10; i++) world.feed({ type: "log", key: call.key, attempt: call.attempt, level: "info", message: `line ${i}` });
    const logs = world.log.filter((e) => e.type === "step.log");
    expect(logs).toHaveLength(3);
    expect(logs[2]!.data.message).toContain("limits.logLinesPerStep is 3");
  });

  it("fails the execution at limits.eventsPerExecution", () => {
    const world = new World(chain(1), { limits: { eventsPerExecution: 8 } });
    world.admit();
    const call = world.pending.find((c) => c.type === "call-agent") as { key: string; attempt: number };
    for (let i = 0; i < 10 && world.state.status === "running"; i++) {
      world.feed({ type: "progress", key: call.key, attempt: call.attempt, progress: { current: i, total: 10 } });
    }
    expect(world.state.status).toBe("failed");
    expect(world.state.error).toMatchObject({ code: "limit_exceeded", message: expect.stringContaining("limits.eventsPerExecution (8)") });
  });
});

describe("control", () => {
  it("pauses: the running step finishes, no new one starts; resume goes on", () => {
    const world = new World(chain(2));
    world.admit();
    expect(world.feed({ type: "pause", by: "admin", reason: null })).toBeUndefined();
    world.succeed();
    expect(world.statuses()).toEqual(["completed", "pending"]);
    world.feed({ type: "resume", by: "admin" });
    expect(world.statuses()).toEqual(["completed", "running"]);
  });

  it("does not count an attempt a restart interrupted against the step's retries", () => {
    const world = new World(chain(1));
    world.admit();
    world.crash();
    const call = world.takeCommand("call-agent");
    expect(call?.attempt).toBe(2);
    world.feed({ type: "attempt-settled", key: call!.key, attempt: 2, outcome: { ok: false, retryable: true, error: { code: "x", message: "x" } } });
    // No retries declared: the real failure fails the step, the interruption did not use the one attempt.
    expect(world.state.steps.s0!.status).toBe("failed");
    expect(world.log.filter((e) => e.type === "step.retrying" && e.data.interrupted === true)).toHaveLength(1);
  });

  it("keeps the input of a step that waits for a lock before its first attempt", () => {
    const world = new World({ id: "locked", name: "Locked", steps: [{ id: "use", type: "agent", agent: "echo", input: { value: "got it" }, locks: ["kiln"] }] } as Template);
    world.admit();
    const ask = world.takeCommand("acquire-lock")!;
    world.feed({ type: "lock-busy", key: ask.key, name: ask.name, position: 1, heldBy: ["someone"] });
    world.crash();
    world.tick(10_000);
    const again = world.takeCommand("acquire-lock")!;
    world.feed({ type: "lock-granted", key: again.key, name: again.name });
    expect(world.takeCommand("call-agent")?.input).toEqual({ value: "got it" });
  });

  it("rejects what does not apply, changing nothing", () => {
    const world = new World(chain(1));
    world.admit();
    const before = world.log.length;
    expect(world.feed({ type: "retry", by: "admin" })).toMatchObject({ code: "invalid_state" });
    expect(world.feed({ type: "approval", stepId: "nope", approved: true, by: "admin", comment: null })).toMatchObject({ code: "not_found" });
    expect(world.log.length).toBe(before);
  });
});
