/**
 * Proves errors as data: a step whose agent always fails completes through its fallback agent (and its
 * state and a `step.fallback` event say so); with `onError: "continue"` a failed step stays failed, a
 * step after it reads `{{steps.<id>.error}}`, and the execution completes listing what it went past.
 */
import { describe, expect, it } from "vitest";
import { api, apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";
import { readEvents } from "../support/sse.ts";

describe("fallbacks and onError", () => {
  it("completes a step whose agent always fails through its fallback", async () => {
    await saveTemplate({
      id: "rescued",
      name: "Rescued",
      steps: [
        {
          id: "try",
          agent: "echo",
          input: { value: "own", fail: { times: 99 } },
          retry: { limit: 1, delayMs: 10, backoff: "constant" },
          fallback: { agent: "echo", input: { value: "from the fallback" } },
        },
        { id: "after", agent: "echo", needs: ["try"], input: { value: "{{steps.try.output.value}}" } },
      ],
    });
    const done = await waitFor(await start("rescued"));
    expect(done.status).toBe("completed");
    expect(done.steps[0]).toMatchObject({ status: "completed", attempt: 3, output: { value: "from the fallback" }, fallback: { agent: "echo", error: { code: "agent_error" } } });
    expect(done.steps[1]!.output).toMatchObject({ value: "from the fallback" });
    const events = await readEvents(await api(`/v1/executions/${done.id}/events`));
    const fallback = events.filter((e) => e.type === "step.fallback");
    expect(fallback).toHaveLength(1);
    expect(fallback[0]!.data.data).toMatchObject({ stepId: "try", agent: "echo", attempt: 2, input: { value: "from the fallback" } });
  });

  it("fails the step when the fallback fails too, and refuses an unknown fallback agent", async () => {
    await saveTemplate({
      id: "sunk",
      name: "Sunk",
      steps: [{ id: "try", agent: "echo", input: { fail: { times: 99, retryable: false } }, fallback: { agent: "echo" } }],
    });
    const done = await waitFor(await start("sunk"));
    expect(done.status).toBe("failed");
    expect(done.steps[0]).toMatchObject({ status: "failed", attempt: 2, fallback: { agent: "echo", error: { code: "non_retryable" } } });

    const refused = await api("/v1/templates/bad-fallback", {
      method: "PUT",
      body: { id: "bad-fallback", name: "Bad", steps: [{ id: "x", agent: "echo", fallback: { agent: "nobody" } }] },
    });
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { error: { details: { path: string; message: string }[] } };
    expect(body.error.details[0]).toMatchObject({ path: "steps.0.fallback.agent" });
    expect(body.error.details[0]!.message).toContain('fallback agent "nobody"');
  });

  it("goes on past a step with onError continue; the next step reads its error", async () => {
    await saveTemplate({
      id: "repair",
      name: "Repair",
      steps: [
        { id: "draft", agent: "echo", input: { fail: { times: 99, retryable: false } }, onError: "continue" },
        { id: "fix", agent: "echo", needs: ["draft"], input: { value: "{{steps.draft.error.message}}" } },
      ],
    });
    const done = await waitFor(await start("repair"));
    expect(done.status).toBe("completed");
    expect(done.continuedFailures).toEqual(["draft"]);
    expect(done.steps[0]).toMatchObject({ status: "failed", continued: true, error: { code: "non_retryable" } });
    expect(done.steps[1]!.status).toBe("completed");
    expect((done.steps[1]!.output as { value: string }).value).toContain("fails as asked");
    expect(done.output).toEqual({ fix: { value: expect.stringContaining("fails as asked"), attempt: 1 } });
  });

  it("rejects a reference to a step's error outside its upstream", async () => {
    const response = await apiJson("/v1/templates/bad-error-ref", {
      method: "PUT",
      body: { id: "bad-error-ref", name: "Bad", steps: [{ id: "x", agent: "echo", input: { value: "{{steps.y.error}}" } }, { id: "y", agent: "echo" }] },
      expect: 422,
    });
    expect(JSON.stringify(response)).toContain('add \\"y\\" to needs');
  });
});
