/**
 * Proves the MCP server at /mcp with the official SDK client, through the real Worker: the tools are
 * listed (and a template that opts in is a tool of its own), hello starts and is followed to the end with
 * progress notifications, a gate is approved, budgets and `mcp.templates` hold for assistants as for any
 * caller, `mcp.requireStartApproval` holds a start for an admin, starts are audited as `mcp:<token>`,
 * an ended execution is forked from a step,
 * and a bad token gets 401. It does not prove any particular desktop client's configuration file.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import hello from "#shared/samples/hello.json";
import { forgetConfig } from "../../workers/orchestrator/src/config/store.ts";
import { apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";
import { connectMcp, MCP_URL, toolJson, workerFetch } from "../support/mcp.ts";

const gated = {
  id: "gated",
  name: "Gated",
  description: "Makes something, waits for a yes, ships it.",
  mcp: { tool: true },
  params: { thing: { type: "string", required: true } },
  steps: [
    { id: "make", agent: "echo", input: { value: "{{params.thing}}" } },
    { id: "review", type: "approval", needs: ["make"], message: "Ship {{params.thing}}?" },
    { id: "ship", agent: "echo", needs: ["review"], input: { value: "shipped" } },
  ],
};

async function setConfig(body: Record<string, unknown>): Promise<void> {
  await apiJson("/v1/config", { method: "PUT", body });
  forgetConfig();
}

afterEach(async () => {
  await setConfig({ mcp: { templates: null, requireStartApproval: false }, templateDailyBudgetsUsd: {} });
});

describe("MCP server", () => {
  it("lists the built-in tools and the templates that opt in as tools", async () => {
    await saveTemplate(hello);
    await saveTemplate(gated);
    const client = await connectMcp();
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(["list_pipelines", "start_pipeline", "get_execution", "wait_for_execution", "list_approvals", "approve_step", "reject_step", "cancel_execution", "fork_execution"]),
    );
    const own = tools.find((t) => t.name === "run_gated");
    expect(own).toMatchObject({
      description: expect.stringContaining("Makes something, waits for a yes"),
      inputSchema: { type: "object", properties: { thing: { type: "string" } }, required: ["thing"] },
    });
    expect(names).not.toContain("run_hello");
    const listed = toolJson(await client.callTool({ name: "list_pipelines", arguments: {} })).json;
    expect(listed.pipelines).toContainEqual(expect.objectContaining({ template: "hello", params: expect.objectContaining({ properties: { name: { type: "string", default: "world" } } }) }));
    await client.close();
  });

  it("starts hello and waits for it, with a progress notification per step; the start is audited as mcp:<token>", async () => {
    await saveTemplate(hello);
    const client = await connectMcp();
    const started = toolJson(await client.callTool({ name: "start_pipeline", arguments: { template: "hello", params: { name: "Ada" } } }));
    expect(started.isError).toBe(false);
    const id = started.json.id as string;
    expect(id).toMatch(/^ex_/);

    const progress: Array<{ progress: number; total?: number; message?: string }> = [];
    const waited = toolJson(
      await client.callTool({ name: "wait_for_execution", arguments: { id, timeoutSeconds: 30 } }, undefined, {
        onprogress: (p) => progress.push(p),
        timeout: 40_000,
      }),
    );
    expect(waited.json).toMatchObject({ id, status: "completed", timedOut: false });
    expect(waited.json.steps.map((s: { id: string; status: string }) => `${s.id}:${s.status}`)).toEqual(["greet:completed", "count:completed"]);
    expect(waited.json.steps[0].output).toEqual({ value: "Hello, Ada!", attempt: 1 });
    expect(waited.json.leftOut).toContain("steps[].input (what each step was given)");
    expect(progress.map((p) => p.message)).toEqual(["step greet completed", "step count completed", "execution completed"]);
    expect(progress.map((p) => p.progress)).toEqual([1, 2, 2]);
    expect(progress.every((p) => p.total === 2)).toBe(true);

    const state = await apiJson(`/v1/executions/${id}`);
    expect(state.createdBy).toBe("mcp:default");

    // Forked from its second step, the first is reused: not run again, its output kept.
    const forked = toolJson(await client.callTool({ name: "fork_execution", arguments: { id, fromStep: "count", input: { value: "again" } } }));
    expect(forked.isError).toBe(false);
    expect(forked.json).toMatchObject({ created: true, forkedFrom: { executionId: id, stepId: "count" } });
    const fork = await waitFor(forked.json.id as string);
    expect(fork.status).toBe("completed");
    expect(fork.steps[0]).toMatchObject({ status: "completed", output: { value: "Hello, Ada!", attempt: 1 } });
    expect(fork.steps[1]!.output).toEqual({ value: "again", attempt: 1 });
    await client.close();
  });

  it("returns where an execution stands at the timeout, and early when it waits for an approval", async () => {
    await saveTemplate({ id: "slow", name: "Slow", steps: [{ id: "nap", agent: "echo", input: { delayMs: 5000 } }] });
    await saveTemplate(gated);
    const client = await connectMcp();
    const slow = toolJson(await client.callTool({ name: "start_pipeline", arguments: { template: "slow" } })).json;
    const timedOut = toolJson(await client.callTool({ name: "wait_for_execution", arguments: { id: slow.id, timeoutSeconds: 1 } }));
    expect(timedOut.json).toMatchObject({ status: "running", timedOut: true, steps: [{ id: "nap", status: "running" }] });

    const gate = toolJson(await client.callTool({ name: "run_gated", arguments: { thing: "a kite" } })).json;
    const t0 = Date.now();
    const blocked = toolJson(await client.callTool({ name: "wait_for_execution", arguments: { id: gate.id, timeoutSeconds: 60 } }));
    expect(blocked.json).toMatchObject({ status: "waiting", timedOut: false, waitingForApproval: ["review"] });
    expect(Date.now() - t0).toBeLessThan(15_000);
    await client.close();
  });

  it("approves a gate: the template's own tool starts it, list_approvals shows it, approve_step lets it finish", async () => {
    await saveTemplate(gated);
    const client = await connectMcp();
    const started = toolJson(await client.callTool({ name: "run_gated", arguments: { thing: "a boat" } }));
    expect(started.isError).toBe(false);
    const id = started.json.id as string;
    await waitFor(id, (e) => e.status === "waiting");

    let approvals: Array<{ executionId: string; stepId: string; message: string }> = [];
    for (let i = 0; i < 40 && !approvals.some((a) => a.executionId === id); i++) {
      approvals = toolJson(await client.callTool({ name: "list_approvals", arguments: {} })).json.approvals;
      if (!approvals.some((a) => a.executionId === id)) await new Promise((r) => setTimeout(r, 100));
    }
    expect(approvals).toContainEqual(expect.objectContaining({ executionId: id, stepId: "review", message: "Ship a boat?" }));

    const approved = toolJson(await client.callTool({ name: "approve_step", arguments: { id, step: "review", comment: "go" } }));
    expect(approved.isError).toBe(false);
    const done = await waitFor(id);
    expect(done.status).toBe("completed");
    expect(done.steps[1]!.output).toMatchObject({ approved: true, by: "mcp:default", comment: "go" });
    await client.close();
  });

  it("refuses a start over the daily budget, with the reason", async () => {
    await saveTemplate({ id: "spendy", name: "Spendy", steps: [{ id: "a", agent: "echo", input: { costUsd: 0.05 } }] });
    await setConfig({ templateDailyBudgetsUsd: { spendy: 0.04 } });
    const first = await waitFor(await start("spendy"));
    await env.EXECUTIONS.get(env.EXECUTIONS.idFromName(first.id)).commitHistory();

    const client = await connectMcp();
    const refused = toolJson(await client.callTool({ name: "start_pipeline", arguments: { template: "spendy" } }));
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/^budget_exceeded: The daily budget of template "spendy" is \$0\.04/);
    await client.close();
  });

  it("hides a template left out of mcp.templates: not listed, not a tool, cannot be started", async () => {
    await saveTemplate(hello);
    await saveTemplate(gated);
    await setConfig({ mcp: { templates: ["hello"] } });
    const client = await connectMcp();
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).not.toContain("run_gated");
    const listed = toolJson(await client.callTool({ name: "list_pipelines", arguments: {} })).json;
    expect(listed.pipelines.map((p: { template: string }) => p.template)).toEqual(["hello"]);

    const refused = toolJson(await client.callTool({ name: "start_pipeline", arguments: { template: "gated", params: { thing: "x" } } }));
    expect(refused).toMatchObject({ isError: true, text: 'not_found: No template "gated".' });
    const asTool = toolJson(await client.callTool({ name: "run_gated", arguments: { thing: "x" } }));
    expect(asTool.isError).toBe(true);
    // An execution of the hidden template, started over the API, cannot be read through MCP either.
    const hidden = await start("gated", { thing: "y" });
    const read = toolJson(await client.callTool({ name: "get_execution", arguments: { id: hidden } }));
    expect(read).toMatchObject({ isError: true, text: `not_found: No execution "${hidden}".` });
    await client.close();
  });

  it("holds an assistant's start for an admin when mcp.requireStartApproval is on", async () => {
    await saveTemplate(hello);
    await setConfig({ mcp: { requireStartApproval: true } });
    const client = await connectMcp();
    const { json } = toolJson(await client.callTool({ name: "start_pipeline", arguments: { template: "hello" } }));
    const waiting = await waitFor(json.id, (e) => e.status === "waiting");
    expect(waiting.startedAt).toBeNull();
    // The same start over the API is not held.
    const direct = await waitFor(await start("hello"));
    expect(direct.status).toBe("completed");
    await apiJson(`/v1/executions/${json.id}/steps/$start/approve`, { body: {} });
    expect((await waitFor(json.id)).status).toBe("completed");
    await client.close();
  });

  it("answers 401 to a bad or missing token, before any MCP message is read", async () => {
    await expect(connectMcp("not-a-token")).rejects.toMatchObject({ code: 401, message: expect.stringContaining("unknown or has been revoked") });
    const bare = await workerFetch(MCP_URL, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(bare.status).toBe(401);
    expect(await bare.json()).toMatchObject({ error: { code: "unauthorized" } });
  });
});
