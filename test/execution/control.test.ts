/**
 * Proves the controls: cancel abandons running attempts and keeps the reason, pause stops new steps
 * while running ones finish, resume goes on, retry re-runs a failed execution from its failed steps
 * (completed steps keep their outputs), and the bulk pause-all and emergency stop reach every execution.
 */
import { describe, expect, it } from "vitest";
import { api, apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";

const chain = (id: string, delayMs: number) => ({
  id,
  name: id,
  steps: [
    { id: "one", agent: "echo", input: { value: 1, delayMs } },
    { id: "two", agent: "echo", needs: ["one"], input: { value: 2, delayMs } },
    { id: "three", agent: "echo", needs: ["two"], input: { value: 3 } },
  ],
});

describe("controls", () => {
  it("cancels a running execution, abandoning its attempt and keeping the reason", async () => {
    await saveTemplate(chain("cancel-me", 2000));
    const id = await start("cancel-me");
    await waitFor(id, (e) => e.steps[0]!.status === "running");
    const cancelled = await apiJson(`/v1/executions/${id}/cancel`, { body: { reason: "changed my mind" } });
    expect(cancelled).toMatchObject({ status: "cancelled", reason: "changed my mind" });
    expect(cancelled.steps.map((s: { status: string }) => s.status)).toEqual(["cancelled", "cancelled", "cancelled"]);
    // The abandoned attempt finishing later changes nothing.
    await new Promise((r) => setTimeout(r, 2200));
    expect((await apiJson(`/v1/executions/${id}`)).status).toBe("cancelled");

    const again = await api(`/v1/executions/${id}/cancel`, { method: "POST" });
    expect(again.status).toBe(409);
    expect((await again.json<any>()).error.code).toBe("invalid_state");
  });

  it("pauses: the running step finishes, no new one starts; resume goes on to the end", async () => {
    await saveTemplate(chain("pause-me", 300));
    const id = await start("pause-me");
    await waitFor(id, (e) => e.steps[0]!.status === "running");
    expect((await apiJson(`/v1/executions/${id}/pause`, { method: "POST" })).status).toBe("paused");
    const paused = await waitFor(id, (e) => e.steps[0]!.status === "completed");
    await new Promise((r) => setTimeout(r, 300));
    const still = await apiJson(`/v1/executions/${id}`);
    expect(still.status).toBe("paused");
    expect(still.steps[1].status).toBe("pending");
    expect(paused.steps[0]!.output).toEqual({ value: 1, attempt: 1 });

    expect((await apiJson(`/v1/executions/${id}/resume`, { method: "POST" })).status).toBe("running");
    expect((await waitFor(id)).status).toBe("completed");
    expect((await api(`/v1/executions/${id}/resume`, { method: "POST" })).status).toBe(409);
  });

  it("retries a failed execution from its failed step, keeping completed outputs", async () => {
    await saveTemplate({
      id: "retry-me",
      name: "retry-me",
      steps: [
        { id: "first", agent: "echo", input: { value: "kept" } },
        // Fails its first attempt only; the retried execution makes attempt 2.
        { id: "second", agent: "echo", needs: ["first"], input: { fail: { times: 1 } } },
      ],
    });
    const id = await start("retry-me");
    const failed = await waitFor(id);
    expect(failed.status).toBe("failed");
    const firstEndedAt = failed.steps[0]!.endedAt;

    const retried = await apiJson(`/v1/executions/${id}/retry`, { method: "POST" });
    expect(retried.status).toMatch(/running|completed/);
    const done = await waitFor(id);
    expect(done.status).toBe("completed");
    // The completed step was not run again; the failed one ran once more, as attempt 2.
    expect(done.steps[0]!.endedAt).toBe(firstEndedAt);
    expect(done.steps[0]!.attempt).toBe(1);
    expect(done.steps[1]).toMatchObject({ status: "completed", attempt: 2, output: { value: null, attempt: 2 } });
    expect((await api(`/v1/executions/${id}/retry`, { method: "POST" })).status).toBe(409);
  });

  it("pause-all and emergency-stop reach every active execution", async () => {
    await saveTemplate(chain("bulk", 500));
    const ids = [await start("bulk"), await start("bulk")];
    for (const id of ids) await waitFor(id, (e) => e.status === "running");
    await new Promise((r) => setTimeout(r, 300)); // let the D1 history catch up
    const paused = await apiJson("/v1/executions/pause-all", { method: "POST" });
    expect(paused.affected).toEqual(expect.arrayContaining(ids));
    for (const id of ids) expect((await apiJson(`/v1/executions/${id}`)).status).toBe("paused");
    await new Promise((r) => setTimeout(r, 300));
    const stopped = await apiJson("/v1/executions/emergency-stop", { body: { reason: "drill" } });
    expect(stopped.affected).toEqual(expect.arrayContaining(ids));
    for (const id of ids) expect((await apiJson(`/v1/executions/${id}`))).toMatchObject({ status: "cancelled", reason: "drill" });
  });
});
