/**
 * Proves Baton's own requests do not reach inside when deployed (the test runtime runs with
 * OUTBOUND_POLICY="deployed", as wrangler.toml sets it): HTTP agents and webhook URLs at loopback,
 * private, link-local and metadata addresses (however the address is written), at internal names, or at
 * names that resolve to such addresses (asked over DNS-over-HTTPS, answered by the test HTTP agents'
 * Worker) are refused with the reason, and nothing is stored; an allow-listed host is let through;
 * locally (`npm start`) loopback is allowed. Also that what an agent answers is not echoed back: an
 * internal page's body never reaches a step's error.
 */
import { describe, expect, it } from "vitest";
import { checkUrlStatically } from "../../workers/orchestrator/src/outbound/policy.ts";
import { api, apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";

async function registration(name: string, url: string) {
  const response = await api("/v1/agents", { body: { name, url } });
  return { status: response.status, body: await response.json<any>() };
}

describe("outbound policy", () => {
  it.each([
    ["http://127.0.0.1:9000", "loopback"],
    ["http://2130706433:9000", "loopback"],
    ["http://[::1]:8080", "loopback"],
    ["http://10.1.2.3", "private"],
    ["http://192.168.0.10", "private"],
    ["http://[fd00::1]", "private"],
    ["http://169.254.169.254", "cloud metadata"],
    ["http://[::ffff:169.254.169.254]", "cloud metadata"],
    ["http://169.254.10.1", "link-local"],
    ["http://localhost:9000", "internal name"],
    ["http://metadata.google.internal", "internal name"],
    ["http://intranet", "single-label"],
    ["http://agent.inside.test", "resolves to 10.0.0.7"],
  ])("refuses to register an agent at %s (%s)", async (url, why) => {
    const { status, body } = await registration("inside", url);
    expect(status).toBe(422);
    expect(body.error.message).toContain(why);
    expect(body.error.details).toEqual([{ path: "url", message: expect.stringContaining("outbound policy") }]);
    expect((await apiJson("/v1/agents")).agents.map((a: { name: string }) => a.name)).not.toContain("inside");
  });

  it("lets an allow-listed host through, and refuses it again once removed", async () => {
    await apiJson("/v1/config", { method: "PUT", body: { outboundAllowHosts: ["agent.inside.test"] } });
    try {
      const allowed = await registration("allowed-inside", "http://agent.inside.test");
      expect(allowed.status).toBe(201);
    } finally {
      await apiJson("/v1/config", { method: "PUT", body: { outboundAllowHosts: [] } });
    }
    expect((await registration("allowed-again", "http://agent.inside.test")).status).toBe(422);
  });

  it("refuses webhook endpoints inside, naming the bad field", async () => {
    const response = await api("/v1/webhooks", {
      method: "PUT",
      body: { endpoints: [{ id: "meta", url: "http://169.254.169.254/latest/meta-data", secret: "0123456789abcdef" }] },
    });
    expect(response.status).toBe(422);
    expect((await response.json<any>()).error.details).toEqual([{ path: "endpoints.0.url", message: expect.stringContaining("cloud metadata") }]);
  });

  it("allows loopback locally (npm start), but still not private or metadata addresses", () => {
    const local = { mode: "local" as const, allowHosts: [] };
    expect(checkUrlStatically(new URL("http://127.0.0.1:9000"), local)).toEqual({ ok: true });
    expect(checkUrlStatically(new URL("http://localhost:9000"), local)).toEqual({ ok: true });
    expect(checkUrlStatically(new URL("http://169.254.169.254"), local)).toMatchObject({ ok: false });
    expect(checkUrlStatically(new URL("http://10.0.0.1"), local)).toMatchObject({ ok: false });
    expect(checkUrlStatically(new URL("http://127.0.0.1:9000"), { mode: "deployed", allowHosts: [] })).toMatchObject({ ok: false });
  });

  it("never echoes an agent's body into a step's error", async () => {
    await apiJson("/v1/agents", { body: { name: "leaky", url: "http://leaky.agents.test" }, expect: 201 });
    await saveTemplate({ id: "leaky-run", name: "Leaky", steps: [{ id: "call", agent: "leaky", input: { value: 1 }, retry: { limit: 0 } }] });
    const done = await waitFor(await start("leaky-run"));
    const step = done.steps.find((s) => s.id === "call")!;
    expect(step.error?.message).toContain("not shown");
    expect(JSON.stringify(done)).not.toContain("hunter2");
  });
});
