/**
 * Proves approval steps: the execution waits with `approval.required`, the pending approval is listed,
 * approving records who and the comment and lets the pipeline go on, rejecting fails it, and a timeout
 * resolves it as the template says.
 */
import { describe, expect, it } from "vitest";
import { api, apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";
import { readEvents } from "../support/sse.ts";

const template = (id: string, approval: Record<string, unknown> = {}) => ({
  id,
  name: id,
  params: { theme: { type: "string", default: "space" } },
  steps: [
    { id: "make", agent: "echo", input: { value: "{{params.theme}}" } },
    { id: "review", type: "approval", needs: ["make"], message: "Publish {{params.theme}}?", ...approval },
    { id: "publish", agent: "echo", needs: ["review"], input: { value: "{{steps.review.output.by}}" } },
  ],
});

describe("approvals", () => {
  it("waits for an approval, lists it, and continues once approved", async () => {
    await saveTemplate(template("approve-me"));
    const id = await start("approve-me");
    const waiting = await waitFor(id, (e) => e.status === "waiting");
    expect(waiting.steps[1]).toMatchObject({ status: "waiting", waitingFor: "approval" });

    const { approvals } = await apiJson("/v1/approvals");
    // The approvals list reads D1, which the execution updates in batches.
    const listed = approvals.length > 0 ? approvals : (await new Promise((r) => setTimeout(r, 400)), (await apiJson("/v1/approvals")).approvals);
    expect(listed).toContainEqual(expect.objectContaining({ executionId: id, stepId: "review", message: "Publish space?" }));

    await apiJson(`/v1/executions/${id}/steps/review/approve`, { body: { comment: "ship it" } });
    const done = await waitFor(id);
    expect(done.status).toBe("completed");
    expect(done.steps[1]!.output).toMatchObject({ approved: true, by: "token:default", comment: "ship it" });
    expect(done.output).toEqual({ publish: { value: "token:default", attempt: 1 } });

    const types = (await readEvents(await api(`/v1/executions/${id}/events`))).map((e) => e.type);
    expect(types).toContain("approval.required");
    expect(types).toContain("approval.resolved");
  });

  it("fails the execution when the approval is rejected", async () => {
    await saveTemplate(template("reject-me"));
    const id = await start("reject-me");
    await waitFor(id, (e) => e.status === "waiting");
    await apiJson(`/v1/executions/${id}/steps/review/reject`, { body: { comment: "not now" } });
    const done = await waitFor(id);
    expect(done.status).toBe("failed");
    expect(done.steps[1]).toMatchObject({ status: "failed", error: { code: "rejected" } });
    expect(done.steps[1]!.error!.message).toContain("not now");
    expect(done.steps[2]!.status).toBe("pending");
  });

  it("refuses a decision on a step that is not waiting, with 409", async () => {
    await saveTemplate(template("twice"));
    const id = await start("twice");
    await waitFor(id, (e) => e.status === "waiting");
    await apiJson(`/v1/executions/${id}/steps/review/approve`, { method: "POST" });
    const again = await api(`/v1/executions/${id}/steps/review/approve`, { method: "POST" });
    expect(again.status).toBe(409);
    expect((await again.json<any>()).error.code).toBe("invalid_state");
    const notApproval = await api(`/v1/executions/${id}/steps/make/approve`, { method: "POST" });
    expect(notApproval.status).toBe(409);
    const missing = await api(`/v1/executions/${id}/steps/nope/approve`, { method: "POST" });
    expect(missing.status).toBe(404);
  });

  it("resolves an approval on timeout as onTimeout says", async () => {
    await saveTemplate(template("auto-approve", { timeoutMs: 200, onTimeout: "approve" }));
    await saveTemplate(template("auto-reject", { timeoutMs: 200 }));
    const approved = await waitFor(await start("auto-approve"));
    expect(approved.status).toBe("completed");
    expect(approved.steps[1]!.output).toMatchObject({ approved: true, by: "system:timeout" });
    const rejected = await waitFor(await start("auto-reject"));
    expect(rejected.status).toBe("failed");
    expect(rejected.steps[1]!.error).toMatchObject({ code: "rejected" });
  });
});
