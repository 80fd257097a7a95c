/**
 * Proves the engine drives the DAG through the real runtime: outputs flow into later inputs, independent
 * branches overlap in time, `when` skips and skipping propagates, forEach fans out under its cap and
 * keeps item order, and a `pipeline` step runs a child execution and waits for it.
 */
import { describe, expect, it } from "vitest";
import { apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";
import { readEvents } from "../support/sse.ts";
import { api } from "../support/api.ts";

describe("DAG", () => {
  it("passes params and upstream outputs into inputs, keeping their types", async () => {
    await saveTemplate({
      id: "flow",
      name: "Flow",
      params: { v: { type: "string", default: "hi" }, n: { type: "integer", default: 3 } },
      steps: [
        { id: "a", agent: "echo", input: { value: { text: "{{params.v}}", count: "{{params.n}}" } } },
        { id: "b", agent: "echo", needs: ["a"], input: { value: "{{steps.a.output.value.text}}!" } },
      ],
    });
    const done = await waitFor(await start("flow", { v: "yo" }));
    expect(done.status).toBe("completed");
    expect(done.steps[0]!.output).toEqual({ value: { text: "yo", count: 3 }, attempt: 1 });
    expect(done.output).toEqual({ b: { value: "yo!", attempt: 1 } });
  });

  it("runs independent branches at the same time", async () => {
    await saveTemplate({
      id: "fork",
      name: "Fork",
      steps: [
        { id: "left", agent: "echo", input: { delayMs: 300 } },
        { id: "right", agent: "echo", input: { delayMs: 300 } },
        { id: "join", agent: "echo", needs: ["left", "right"] },
      ],
    });
    const done = await waitFor(await start("fork"));
    const [left, right, join] = done.steps;
    expect(done.status).toBe("completed");
    // Both branches started before either ended: they overlapped instead of running one after the other.
    expect(right!.startedAt!).toBeLessThan(left!.endedAt!);
    expect(left!.startedAt!).toBeLessThan(right!.endedAt!);
    expect(join!.startedAt!).toBeGreaterThanOrEqual(Math.max(left!.endedAt!, right!.endedAt!));
  });

  it("skips a step whose condition is false, and everything that needs it", async () => {
    await saveTemplate({
      id: "gate",
      name: "Gate",
      params: { publish: { type: "boolean", default: false } },
      steps: [
        { id: "decide", agent: "echo", input: { value: { go: "{{params.publish}}" } } },
        { id: "publish", agent: "echo", needs: ["decide"], when: "{{steps.decide.output.value.go}}" },
        { id: "announce", agent: "echo", needs: ["publish"] },
        { id: "archive", agent: "echo", needs: ["decide"], when: { value: "{{steps.decide.output.value.go}}", equals: false } },
      ],
    });
    const skipped = await waitFor(await start("gate"));
    expect(skipped.status).toBe("completed");
    expect(skipped.steps.map((s) => [s.id, s.status])).toEqual([
      ["decide", "completed"],
      ["publish", "skipped"],
      ["announce", "skipped"],
      ["archive", "completed"],
    ]);
    const ran = await waitFor(await start("gate", { publish: true }));
    expect(ran.steps.map((s) => s.status)).toEqual(["completed", "completed", "completed", "skipped"]);
  });

  it("fans out over an array under the concurrency cap and keeps outputs in item order", async () => {
    await saveTemplate({
      id: "fan",
      name: "Fan",
      params: { words: { type: "array", default: ["a", "b", "c", "d", "e", "f", "g"] } },
      steps: [
        {
          id: "each",
          agent: "echo",
          forEach: { items: "{{params.words}}", concurrency: 2 },
          input: { value: "{{index}}:{{item}}", delayMs: 60 },
        },
      ],
    });
    const id = await start("fan");
    const done = await waitFor(id);
    expect(done.status).toBe("completed");
    expect(done.steps[0]!.output).toEqual(["0:a", "1:b", "2:c", "3:d", "4:e", "5:f", "6:g"].map((value) => ({ value, attempt: 1 })));
    expect(done.steps[0]!.items).toEqual({ total: 7, completed: 7, failed: 0, running: 0 });

    const events = await readEvents(await api(`/v1/executions/${id}/events`));
    let running = 0;
    let peak = 0;
    for (const e of events) {
      const { data } = e.data;
      if (!("item" in data) || data.item === undefined) continue;
      if (e.type === "step.started") peak = Math.max(peak, ++running);
      if (e.type === "step.completed") running--;
    }
    expect(peak).toBe(2);
  });

  it("runs a pipeline step as a child execution and waits for its output", async () => {
    await saveTemplate({ id: "child", name: "Child", params: { x: { type: "string", required: true } }, steps: [{ id: "only", agent: "echo", input: { value: "{{params.x}}" } }] });
    await saveTemplate({
      id: "parent",
      name: "Parent",
      steps: [
        { id: "sub", type: "pipeline", template: "child", params: { x: "from parent" } },
        { id: "after", agent: "echo", needs: ["sub"], input: { value: "{{steps.sub.output.only.value}}" } },
      ],
    });
    const done = await waitFor(await start("parent"));
    expect(done.status).toBe("completed");
    expect(done.output).toEqual({ after: { value: "from parent", attempt: 1 } });
    const childId = done.steps[0]!.childExecutionId!;
    const child = await apiJson(`/v1/executions/${childId}`);
    expect(child).toMatchObject({ status: "completed", parentExecutionId: done.id, templateId: "child" });
  });
});
