/**
 * Proves registering an HTTP agent at run time: `POST /v1/agents` checks `GET {url}/health` and
 * `GET {url}/describe` against a real HTTP agent (the auxiliary Worker in test/support/http-agents, the
 * orchestrator's outbound service) and stores what it said; an agent that is unreachable, unhealthy or
 * answers something other than a description is refused with the reason, and nothing is stored. Also
 * proves deregistration (and registering the name again), and that names and URLs are checked.
 * It does not prove steps run on HTTP agents: http-steps.test.ts does.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { agent } from "../support/agents.ts";
import { api, apiJson } from "../support/api.ts";

async function refusal(body: Record<string, unknown>, status = 422) {
  const response = await api("/v1/agents", { body });
  expect(response.status).toBe(status);
  return (await response.json<{ error: { code: string; message: string; details?: Array<{ path: string; message: string }> } }>()).error;
}

async function registered(name: string): Promise<boolean> {
  const { agents } = await apiJson<{ agents: Array<{ name: string }> }>("/v1/agents");
  return agents.some((a) => a.name === name);
}

describe("registering an HTTP agent", () => {
  it("registers a healthy agent with what it describes, and lists it as healthy", async () => {
    const created = await apiJson("/v1/agents", { body: { name: "remote-echo", url: "http://echo.agents.test/" }, expect: 201 });
    const described = await agent("echo").describe();
    expect(created).toMatchObject({
      name: "remote-echo",
      kind: "http",
      url: "http://echo.agents.test",
      version: described.version,
      description: described.description,
      enabled: true,
      status: "healthy",
      lastError: null,
      inputSchema: described.input,
      outputSchema: described.output,
      metrics: { allTime: { runs: 0, successRate: null } },
    });
    expect(created.latencyMs).toBeGreaterThanOrEqual(0);
    expect(created.lastSeenAt).toBeGreaterThan(Date.now() - 10_000);

    const { agents } = await apiJson("/v1/agents");
    expect(agents.find((a: { name: string }) => a.name === "remote-echo")).toMatchObject({ kind: "http", status: "healthy" });
    const audit = await env.DB.prepare("SELECT action, target FROM audit_log WHERE action = 'agent.register'").all();
    expect(audit.results).toEqual([{ action: "agent.register", target: "remote-echo" }]);
  });

  it("keeps the admin's description when one is given", async () => {
    const created = await apiJson("/v1/agents", { body: { name: "labelled", url: "http://echo.agents.test", description: "Echo, far away" }, expect: 201 });
    expect(created.description).toBe("Echo, far away");
  });

  it("refuses an agent it cannot reach", async () => {
    const error = await refusal({ name: "ghost", url: "http://unreachable.agents.test" });
    expect(error.code).toBe("validation_failed");
    expect(error.message).toContain("GET http://unreachable.agents.test/health could not be reached");
    expect(error.details).toEqual([{ path: "url", message: expect.stringContaining("could not be reached") }]);
    expect(await registered("ghost")).toBe(false);
  });

  it("refuses an agent that says it is unhealthy, with what it said", async () => {
    const error = await refusal({ name: "sick", url: "http://sick.agents.test" });
    expect(error.message).toContain("unhealthy");
    expect(error.message).toContain("its database is unreachable");
    expect(await registered("sick")).toBe(false);
  });

  it("refuses an agent whose /describe is not JSON, or not a description", async () => {
    const garbled = await refusal({ name: "garbled", url: "http://garbled.agents.test" });
    expect(garbled.message).toContain("GET http://garbled.agents.test/describe answered HTTP 200 with something that is not JSON");
    const shapeless = await refusal({ name: "shapeless", url: "http://shapeless.agents.test" });
    expect(shapeless.message).toContain("malformed JSON");
    expect(shapeless.message).toContain("version");
    expect(shapeless.message).toContain("input");
    expect(await registered("garbled")).toBe(false);
    expect(await registered("shapeless")).toBe(false);
  });

  it("refuses bad names and URLs before calling anything", async () => {
    const badName = await refusal({ name: "Remote Echo", url: "http://echo.agents.test" });
    expect(badName.details).toEqual([expect.objectContaining({ path: "name" })]);
    const ftp = await refusal({ name: "ftp-agent", url: "ftp://echo.agents.test" });
    expect(ftp.details).toEqual([{ path: "url", message: "must be an http or https URL (got ftp)" }]);
    const query = await refusal({ name: "query-agent", url: "http://echo.agents.test/?token=1" });
    expect(query.details![0]!.message).toContain("must not have a query");
    const relative = await refusal({ name: "relative", url: "/agents/echo" });
    expect(relative.details![0]!.path).toBe("url");
  });

  it("refuses a name that is taken, by a bound agent or a registered one", async () => {
    const bound = await refusal({ name: "echo", url: "http://echo.agents.test" }, 409);
    expect(bound.message).toContain("AGENT_ECHO");
    await apiJson("/v1/agents", { body: { name: "twice", url: "http://echo.agents.test" }, expect: 201 });
    const again = await refusal({ name: "twice", url: "http://echo.agents.test" }, 409);
    expect(again.message).toContain("DELETE /v1/agents/twice");
  });

  it("deregisters an HTTP agent, keeps its row for history, and lets the name be registered again", async () => {
    await apiJson("/v1/agents", { body: { name: "passing", url: "http://echo.agents.test" }, expect: 201 });
    const removed = await apiJson("/v1/agents/passing", { method: "DELETE" });
    expect(removed).toEqual({ name: "passing", deregisteredAt: expect.any(Number) });
    expect(await registered("passing")).toBe(false);
    expect((await api("/v1/agents/passing")).status).toBe(404);
    const row = await env.DB.prepare("SELECT deregistered_at FROM agents WHERE name = 'passing'").first<{ deregistered_at: number }>();
    expect(row!.deregistered_at).toBe(removed.deregisteredAt);
    expect((await api("/v1/agents/passing", { method: "DELETE" })).status).toBe(404);

    await apiJson("/v1/agents", { body: { name: "passing", url: "http://switch.agents.test" }, expect: 201 });
    expect((await apiJson("/v1/agents/passing")).url).toBe("http://switch.agents.test");
  });
});
