/**
 * Proves running an agent directly (`POST /v1/agents/:name/run`, RPC `runAgent`): bad input is refused
 * before anything starts, with every bad field named; good input becomes an ordinary one-step execution
 * of template `agent--<name>` that completes with the agent's output and cost, is listed in history under
 * the agent, retries only when asked, and whose template id no user template may take.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BatonError } from "#shared/baton-error.ts";
import { batonService, type OrchestratorRpc } from "#shared/rpc.ts";
import { api, apiJson } from "../support/api.ts";
import { waitFor } from "../support/executions.ts";

type ErrorBody = { error: { code: string; message: string; details: { path: string; message: string }[] } };

describe("POST /v1/agents/:name/run", () => {
  it("names every bad field of the input, and starts nothing", async () => {
    const before = await apiJson<{ executions: unknown[] }>("/v1/executions?template=agent--echo");
    const response = await api("/v1/agents/echo/run", { body: { input: { delayMs: "soon", fail: { times: -1 } } } });
    expect(response.status).toBe(422);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.map((d) => d.path).sort()).toEqual(["input.delayMs", "input.fail.times"]);
    expect(body.error.message).toContain("input.");
    const after = await apiJson<{ executions: unknown[] }>("/v1/executions?template=agent--echo");
    expect(after.executions.length).toBe(before.executions.length);
  });

  it("refuses a missing input and an unknown agent", async () => {
    const missing = (await (await api("/v1/agents/echo/run", { body: {} })).json()) as ErrorBody;
    expect(missing.error.details.map((d) => d.path)).toEqual(["input"]);
    const unknown = await api("/v1/agents/nobody/run", { body: { input: {} } });
    expect(unknown.status).toBe(404);
  });

  it("runs good input to completion as a one-step execution, with its cost, listed under the agent", async () => {
    const started = await apiJson<{ id: string; template: string }>("/v1/agents/echo/run", {
      body: { input: { value: "hello", costUsd: 0.25 } },
      expect: 202,
    });
    expect(started.template).toBe("agent--echo");
    const done = await waitFor(started.id);
    expect(done.status).toBe("completed");
    expect(done.templateId).toBe("agent--echo");
    expect(done.steps.map((s) => [s.id, s.agent, s.status])).toEqual([["run", "echo", "completed"]]);
    expect(done.output).toEqual({ run: { value: "hello", attempt: 1 } });
    expect(done.costUsd).toBeCloseTo(0.25);

    const history = await apiJson<{ executions: { id: string }[] }>("/v1/executions?agent=echo&template=agent--echo");
    expect(history.executions.map((e) => e.id)).toContain(started.id);
    const listed = await apiJson<{ templates: { id: string }[] }>("/v1/templates");
    expect(listed.templates.map((t) => t.id)).not.toContain("agent--echo");
    const template = await apiJson<{ name: string }>("/v1/templates/agent--echo");
    expect(template.name).toBe("Run agent echo");
  });

  it("does not retry unless asked", async () => {
    const once = await apiJson<{ id: string }>("/v1/agents/echo/run", { body: { input: { fail: { times: 1 } } }, expect: 202 });
    const failed = await waitFor(once.id);
    expect(failed.status).toBe("failed");
    expect(failed.steps[0]?.attempt).toBe(1);

    const retried = await apiJson<{ id: string }>("/v1/agents/echo/run", {
      body: { input: { value: 2, fail: { times: 1 } }, retry: { limit: 1, delayMs: 0 } },
      expect: 202,
    });
    const done = await waitFor(retried.id);
    expect(done.status).toBe("completed");
    expect(done.output).toEqual({ run: { value: 2, attempt: 2 } });
  });

  it("reserves the agent-- ids: a user template there is refused at its id", async () => {
    const response = await api("/v1/templates/agent--mine", {
      method: "PUT",
      body: { name: "Mine", steps: [{ id: "a", agent: "echo" }] },
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.details).toEqual([{ path: "id", message: expect.stringContaining("reserved for direct agent runs") }]);
  });
});

describe("RPC runAgent", () => {
  const baton = batonService(exports.OrchestratorService({ props: { caller: "direct-run-test" } }) as unknown as OrchestratorRpc);

  it("runs the agent, and refuses bad input with the same field paths", async () => {
    const { id } = await baton.runAgent("echo", { input: { value: "over rpc" } });
    expect((await waitFor(id)).output).toEqual({ run: { value: "over rpc", attempt: 1 } });
    const refused = await baton.runAgent("echo", { input: { progress: "lots" } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BatonError);
    expect((refused as BatonError).details).toEqual([{ path: "input.progress", message: expect.any(String) }]);
  });
});
