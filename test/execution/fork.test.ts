/**
 * Proves forking from a step: the fork of a 4-step chain runs (calls the agent for) only the step it
 * forks from and what follows, takes over the earlier outputs at no cost and says so (`reusedFrom`),
 * links both ways (`forkedFrom`, `forks`), refuses an input that breaks the agent's schema with the
 * field's path, and refuses to fork an execution that is still running.
 */
import { describe, expect, it } from "vitest";
import { api, apiJson } from "../support/api.ts";
import { getExecution, saveTemplate, start, waitFor } from "../support/executions.ts";
import { eventsOfType, readEvents } from "../support/sse.ts";

const chain = {
  id: "chain4",
  name: "Chain of four",
  params: { label: { type: "string", default: "first" } },
  steps: [
    { id: "a", agent: "echo", input: { value: "{{params.label}}", costUsd: 0.01 } },
    { id: "b", agent: "echo", needs: ["a"], input: { value: "{{steps.a.output.value}}", costUsd: 0.01 } },
    { id: "c", agent: "echo", needs: ["b"], input: { value: "{{steps.b.output.value}}", costUsd: 0.01 } },
    { id: "d", agent: "echo", needs: ["c"], input: { value: "{{steps.c.output.value}}", costUsd: 0.01 } },
  ],
};

describe("fork", () => {
  it("reruns only the step it forks from and those after it, reusing the rest at no cost", async () => {
    await saveTemplate(chain);
    const origin = await waitFor(await start("chain4"));
    expect(origin.status).toBe("completed");
    expect(origin.costUsd).toBeCloseTo(0.04);

    const forked = await apiJson(`/v1/executions/${origin.id}/fork`, { body: { fromStep: "c", input: { value: "edited", costUsd: 0.01 } }, expect: 202 });
    expect(forked).toMatchObject({ created: true, forkedFrom: { executionId: origin.id, stepId: "c" } });
    const fork = await waitFor(forked.id);
    expect(fork.status).toBe("completed");
    expect(fork.forkedFrom).toEqual({ executionId: origin.id, stepId: "c" });
    const byId = Object.fromEntries(fork.steps.map((s) => [s.id, s]));
    for (const id of ["a", "b"]) {
      expect(byId[id]).toMatchObject({ status: "completed", reusedFrom: origin.id, output: origin.steps.find((s) => s.id === id)!.output });
      expect(byId[id]!.usage.costUsd).toBe(0);
    }
    expect(byId.c).toMatchObject({ reusedFrom: null, input: { value: "edited", costUsd: 0.01 }, output: { value: "edited" } });
    expect(byId.d!.output).toMatchObject({ value: "edited" });
    expect(fork.costUsd).toBeCloseTo(0.02);

    // The agent was called (a step started) for c and d only.
    const events = await readEvents(await api(`/v1/executions/${fork.id}/events`));
    expect(eventsOfType(events, "step.started").map((e) => e.data.stepId)).toEqual(["c", "d"]);
    expect(eventsOfType(events, "usage.updated").map((e) => e.data.stepId)).toEqual(["c", "d"]);

    const originAfter = await getExecution(origin.id);
    expect(originAfter.forks).toEqual([{ executionId: fork.id, stepId: "c", at: expect.any(Number) }]);
    expect(originAfter.status).toBe("completed");

    // A fork of a fork, with a param override and the input resolved afresh.
    const again = await apiJson(`/v1/executions/${fork.id}/fork`, { body: { fromStep: "a", params: { label: "second" } }, expect: 202 });
    const second = await waitFor(again.id);
    expect(second.status).toBe("completed");
    expect(second.output).toEqual({ d: { value: "second", attempt: 1 } });
    expect(second.steps.every((s) => s.reusedFrom === null)).toBe(true);
  });

  it("refuses an input that breaks the agent's schema, with the field's path", async () => {
    await saveTemplate(chain);
    const origin = await waitFor(await start("chain4"));
    const response = await api(`/v1/executions/${origin.id}/fork`, { body: { fromStep: "c", input: { delayMs: -5 } } });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.map((d) => d.path)).toContain("input.delayMs");

    const unknownStep = await api(`/v1/executions/${origin.id}/fork`, { body: { fromStep: "nope" } });
    expect(unknownStep.status).toBe(422);
  });

  it("refuses to fork an execution that is still running", async () => {
    await saveTemplate({ id: "slow1", name: "Slow", steps: [{ id: "wait", agent: "echo", input: { delayMs: 3000 } }] });
    const id = await start("slow1");
    const response = await api(`/v1/executions/${id}/fork`, { body: { fromStep: "wait" } });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_state");
    await apiJson(`/v1/executions/${id}/cancel`, { method: "POST" });
  });
});
