/**
 * Proves the registry of bound agents: each `AGENT_<NAME>` binding is discovered through its
 * `describe()` (and checked with `health()`) the first time something needs the registry (an execution,
 * or `GET /v1/agents`), with its schemas and pricing; health is checked again on demand and by the cron; disabling an agent refuses new
 * executions that use it (naming the step) and fails a step that reaches it in a running one; enabling
 * brings it back; a bound agent cannot be deregistered. Tests in this file share one D1, in order.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../workers/orchestrator/src/index.ts";
import { agent, sampleAgents } from "../support/agents.ts";
import { api, apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";

interface AgentRow {
  name: string;
  kind: string;
  input_schema: string | null;
  last_checked_at: number | null;
  last_error: string | null;
}

async function agentRows(): Promise<AgentRow[]> {
  return (await env.DB.prepare("SELECT name, kind, input_schema, last_checked_at, last_error FROM agents ORDER BY name").all<AgentRow>()).results;
}

describe("bound agents", () => {
  it("are discovered through describe() when the first execution needs them", async () => {
    expect(await agentRows()).toEqual([]);
    await saveTemplate({ id: "first", name: "First", steps: [{ id: "a", agent: "echo", input: { value: 1 } }] });
    expect((await waitFor(await start("first"))).status).toBe("completed");
    const rows = await agentRows();
    expect(rows.map((r) => r.name)).toEqual([...sampleAgents].sort());
    const echo = rows.find((r) => r.name === "echo")!;
    expect(echo.kind).toBe("binding");
    expect(JSON.parse(echo.input_schema!)).toEqual((await agent("echo").describe()).input);
    expect(echo.last_checked_at).not.toBeNull();
    expect(rows.find((r) => r.name === "llm")!.last_error).toBeNull();
  });

  it("are listed with what they describe: version, schemas, pricing", async () => {
    const { agents } = await apiJson("/v1/agents");
    expect(agents.map((a: { name: string }) => a.name)).toEqual([...sampleAgents].sort());
    for (const listed of agents) {
      expect(listed).toMatchObject({ kind: "binding", url: null, enabled: true, status: "healthy" });
    }
    const described = await agent("market-scout").describe();
    expect(await apiJson("/v1/agents/market-scout")).toMatchObject({
      name: "market-scout",
      version: described.version,
      description: described.description,
      inputSchema: described.input,
      outputSchema: described.output,
      pricing: described.pricing,
    });
    expect((await api("/v1/agents/nobody")).status).toBe(404);
  });

  it("are checked on demand: healthy, with latency and when it was seen", async () => {
    const before = Date.now();
    const echo = await apiJson("/v1/agents/echo/check", { method: "POST" });
    expect(echo).toMatchObject({ status: "healthy", consecutiveFailures: 0, lastError: null });
    expect(echo.latencyMs).toBeGreaterThanOrEqual(0);
    expect(echo.lastCheckedAt).toBeGreaterThanOrEqual(before);
    expect(echo.lastSeenAt).toBeGreaterThanOrEqual(before);
    // The llm agent runs on its stand-in here: healthy, and its check says so.
    const llm = await apiJson("/v1/agents/llm/check", { method: "POST" });
    expect(llm).toMatchObject({ status: "healthy", consecutiveFailures: 0, lastError: null });
  });

  it("are all checked by the cron every minute", async () => {
    const before = Date.now();
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime: before }), env, ctx);
    await waitOnExecutionContext(ctx);
    const { agents } = await apiJson("/v1/agents");
    for (const listed of agents) expect(listed.lastCheckedAt, listed.name).toBeGreaterThanOrEqual(before);
    expect(agents.find((a: { name: string }) => a.name === "writer").status).toBe("healthy");
    expect(agents.find((a: { name: string }) => a.name === "llm")).toMatchObject({ status: "healthy", consecutiveFailures: 0 });
  });

  it("can be disabled: new executions are refused, a running one fails when it reaches the agent", async () => {
    await saveTemplate({
      id: "gated",
      name: "Gated",
      steps: [
        { id: "ok", type: "approval" },
        { id: "scout", agent: "market-scout", needs: ["ok"], input: { theme: "space" } },
      ],
    });
    const running = await start("gated");
    await waitFor(running, (e) => e.status === "waiting");

    expect(await apiJson("/v1/agents/market-scout/disable", { method: "POST" })).toMatchObject({ status: "disabled", enabled: false });
    const refused = await api("/v1/executions", { body: { template: "gated" } });
    expect(refused.status).toBe(422);
    expect((await refused.json<any>()).error.details).toEqual([
      { path: "template.steps.1.agent", message: 'agent "market-scout" is disabled; enable it or change the template' },
    ]);
    await apiJson(`/v1/executions/${running}/steps/ok/approve`, { method: "POST", body: {} });
    const failed = await waitFor(running);
    expect(failed.steps[1]).toMatchObject({ status: "failed", attempt: 0, error: { code: "agent_disabled", message: expect.stringContaining("POST /v1/agents/market-scout/enable") } });

    expect(await apiJson("/v1/agents/market-scout/enable", { method: "POST" })).toMatchObject({ status: "healthy", enabled: true });
    const again = await start("gated");
    await waitFor(again, (e) => e.status === "waiting");
    await apiJson(`/v1/executions/${again}/steps/ok/approve`, { method: "POST", body: {} });
    expect((await waitFor(again)).status).toBe("completed");
    const audit = await env.DB.prepare("SELECT action FROM audit_log WHERE target = 'market-scout' ORDER BY id").all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(["agent.disable", "agent.enable"]);
  });

  it("cannot be deregistered through the API: the binding is the registration", async () => {
    const response = await api("/v1/agents/echo", { method: "DELETE" });
    expect(response.status).toBe(409);
    expect((await response.json<any>()).error.message).toContain("AGENT_ECHO");
    expect((await apiJson("/v1/agents/echo")).name).toBe("echo");
  });

  it("are described again and checked by POST /v1/agents/refresh", async () => {
    await env.DB.prepare("UPDATE agents SET version = '0.0.0', last_checked_at = NULL WHERE name = 'echo'").run();
    const { agents } = await apiJson("/v1/agents/refresh", { method: "POST" });
    const echo = agents.find((a: { name: string }) => a.name === "echo");
    expect(echo.version).toBe((await agent("echo").describe()).version);
    expect(echo.lastCheckedAt).not.toBeNull();
  });
});
