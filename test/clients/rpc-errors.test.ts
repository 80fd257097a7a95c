/**
 * Proves that refusals cross the `OrchestratorService` binding with their stable code: `batonService`
 * rebuilds each as a `BatonError` carrying the code, the status it maps to and the details (every bad
 * field), for the same conditions the HTTP API refuses. Also proves a binding without `props.caller` is
 * refused, and that each change is audited under the caller's name. From a separate Worker using the
 * binding bare: the error's message reads as `code: field: problem`, and `BatonError.from` rebuilds the
 * code, status and details from it.
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

type RawCall = { ok: false; name: string; message: string; rebuilt: Record<string, unknown> | null } | { ok: true; result: unknown };

async function callBare(method: string, ...args: unknown[]): Promise<RawCall> {
  const response = await env.RPC_CALLER.fetch("http://rpc-caller.example/call", { method: "POST", body: JSON.stringify({ method, args }) });
  return response.json();
}

describe("OrchestratorService errors seen by a Worker using the binding bare", () => {
  it("reads as code: field: problem, and BatonError.from gives the code, status and details", async () => {
    await saveTemplate({ id: "wordy", name: "Wordy", params: { word: { type: "string", required: true } }, steps: [{ id: "a", agent: "echo" }] });
    const missing = await callBare("startExecution", { template: "wordy", params: {} });
    expect(missing).toEqual({
      ok: false,
      name: "BatonError",
      message: 'validation_failed: params.word: required param "word" is missing; give a string',
      rebuilt: {
        code: "validation_failed",
        status: 422,
        message: expect.stringContaining('required param "word" is missing'),
        details: [{ path: "params.word", message: 'required param "word" is missing; give a string' }],
        isBatonError: true,
      },
    });

    const twoBad = await callBare("startExecution", { template: "", priority: 1000 });
    expect(twoBad.ok).toBe(false);
    if (twoBad.ok) return;
    expect(twoBad.message).toMatch(/^validation_failed: (template|priority): .+; (template|priority): .+$/);
    expect((twoBad.rebuilt?.details as { path: string }[]).map((d) => d.path).sort()).toEqual(["priority", "template"]);
  });

  it("a refusal without field details reads as code: message", async () => {
    const missing = await callBare("getExecution", "ex_00000000000000000000");
    expect(missing).toEqual({
      ok: false,
      name: "BatonError",
      message: 'not_found: No execution "ex_00000000000000000000".',
      rebuilt: { code: "not_found", status: 404, message: 'No execution "ex_00000000000000000000".', isBatonError: true },
    });
  });
});

describe("BatonError.from", () => {
  it("reads the code from the message alone when the properties did not cross (older caller)", () => {
    const bare = Object.assign(new Error('invalid_state: Execution "ex_1" is completed; nothing to resume.'), { name: "BatonError" });
    expect(BatonError.from(bare)).toMatchObject({ code: "invalid_state", status: 409, message: 'Execution "ex_1" is completed; nothing to resume.' });
  });

  it("reads the code from the message a local wrangler dev in another process passes on", () => {
    const relayed = new Error('BatonError: validation_failed: params.nmae: unknown param "nmae"; this template takes name');
    expect(BatonError.from(relayed)).toMatchObject({ code: "validation_failed", status: 422, message: 'params.nmae: unknown param "nmae"; this template takes name' });
  });

  it("is undefined for errors that are not Baton's", () => {
    expect(BatonError.from(new TypeError("fetch failed"))).toBeUndefined();
    expect(BatonError.from(Object.assign(new Error("no code here"), { name: "BatonError" }))).toBeUndefined();
    expect(BatonError.from("a string")).toBeUndefined();
  });
});
