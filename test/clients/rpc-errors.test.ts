/**
 * Proves that refusals cross the `OrchestratorService` binding with their stable code: `batonService`
 * rebuilds each as a `BatonError` carrying the code, the status it maps to and the details (every bad
 * field), for the same conditions the HTTP API refuses. Also proves a binding without `props.caller` is
 * refused, and that each change is audited under the caller's name.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BatonError } from "#shared/baton-error.ts";
import { batonService, type OrchestratorRpc } from "#shared/rpc.ts";
import { saveTemplate, waitFor } from "../support/executions.ts";

function binding(props: Record<string, unknown>): OrchestratorRpc {
  return exports.OrchestratorService({ props }) as unknown as OrchestratorRpc;
}

const baton = batonService(binding({ caller: "rpc-test" }));

async function refusal(call: Promise<unknown>): Promise<BatonError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BatonError);
  return error as BatonError;
}

describe("OrchestratorService errors", () => {
  it("not_found for an unknown execution or template", async () => {
    const missing = await refusal(baton.getExecution("ex_00000000000000000000"));
    expect(missing).toMatchObject({ code: "not_found", status: 404, message: 'No execution "ex_00000000000000000000".' });
    expect((await refusal(baton.startExecution({ template: "nothing" }))).code).toBe("not_found");
    expect((await refusal(baton.getTemplate("nothing", { version: 3 }))).code).toBe("not_found");
    expect((await refusal(baton.estimate("nothing"))).code).toBe("not_found");
  });

  it("validation_failed names every bad field, for arguments and for params", async () => {
    const badRequest = await refusal(baton.startExecution({ template: "", priority: 1000 } as never));
    expect(badRequest).toMatchObject({ code: "validation_failed", status: 422 });
    expect((badRequest.details as { path: string }[]).map((d) => d.path).sort()).toEqual(["priority", "template"]);

    await saveTemplate({ id: "needs-theme", name: "Needs a theme", params: { theme: { type: "string", required: true } }, steps: [{ id: "a", agent: "echo" }] });
    const badParams = await refusal(baton.startExecution({ template: "needs-theme", params: {} }));
    expect(badParams.code).toBe("validation_failed");
    expect(badParams.details).toEqual([expect.objectContaining({ path: expect.stringContaining("theme") })]);

    const badTemplate = await refusal(baton.saveTemplate({ id: "broken", name: "Broken", steps: [{ id: "a", agent: "no-such-agent" }] }));
    expect(badTemplate.code).toBe("validation_failed");
    expect(badTemplate.details).toEqual([expect.objectContaining({ path: "steps.0.agent" })]);

    expect((await refusal(baton.listExecutions({ status: ["sleeping"] } as never))).code).toBe("validation_failed");
    expect((await refusal(baton.listExecutions({ cursor: "not-a-cursor" }))).details).toEqual([expect.objectContaining({ path: "cursor" })]);
  });

  it("invalid_state for a change the execution's state does not allow", async () => {
    await saveTemplate({ id: "quick", name: "Quick", steps: [{ id: "a", agent: "echo" }] });
    const { id } = await baton.startExecution({ template: "quick" });
    await waitFor(id);
    const error = await refusal(baton.resumeExecution(id));
    expect(error).toMatchObject({ code: "invalid_state", status: 409 });
  });

  it("unauthorized when the binding does not name its caller", async () => {
    const anonymous = batonService(binding({}));
    const error = await refusal(anonymous.listTemplates());
    expect(error.code).toBe("unauthorized");
    expect(error.message).toContain("props");
  });

  it("audits each change under the caller's name, and streams events like the SSE endpoint", async () => {
    await saveTemplate({ id: "audited", name: "Audited", steps: [{ id: "a", agent: "echo", input: { progress: 2 } }] });
    const { id, created } = await baton.startExecution({ template: "audited", idempotencyKey: "once" });
    expect(created).toBe(true);
    expect((await baton.startExecution({ template: "audited", idempotencyKey: "once" })).created).toBe(false);

    const types: string[] = [];
    for await (const event of baton.follow(id)) types.push(event.type);
    expect(types.at(0)).toBe("execution.queued");
    expect(types.at(-1)).toBe("execution.completed");
    const tail: number[] = [];
    for await (const event of baton.follow(id, { after: types.length - 2 })) tail.push(event.seq);
    expect(tail).toEqual([types.length - 1, types.length]);

    expect(await baton.estimate("audited")).toMatchObject({ templateId: "audited", basedOn: expect.any(Number) });

    const audit = await env.DB.prepare("SELECT actor, action FROM audit_log WHERE target = ?").bind(id).all();
    expect(audit.results).toEqual([{ actor: "service:rpc-test", action: "execution.start" }]);
  });
});
