/**
 * Proves the ConsoleGateway's `api`: it serves the public API's routes without a bearer token to the
 * admin its caller names, and the audit log records that admin for every change; a viewer gets reads
 * only (viewer-policy.ts), whatever the console's UI shows; it refuses anything outside /v1. And that the public fetch handler offers no way to claim an admin: no header
 * stands in for a token, and the gateway's own fetch is not a way in.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ConsoleIdentity } from "#shared/console.ts";
import { api } from "../support/api.ts";
import { gateway } from "../support/console.ts";
import { historyInD1 } from "../support/executions.ts";

const admin: ConsoleIdentity = { userId: "u-ada", email: "ada@example.com", role: "admin" };
const template = { id: "console-made", name: "Made in the console", steps: [{ id: "a", agent: "echo", input: { value: 1 } }] };

function consoleCall(path: string, init: RequestInit = {}): Request {
  return new Request(`https://console.test${path}`, init);
}

describe("ConsoleGateway.api", () => {
  it("serves the API without a token and audits every change as the admin", async () => {
    const saved = await gateway.api(
      consoleCall(`/v1/templates/${template.id}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(template) }),
      admin,
    );
    expect(saved.status).toBe(201);
    const started = await gateway.api(
      consoleCall("/v1/executions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ template: template.id, params: {} }) }),
      admin,
    );
    expect(started.status).toBe(202);
    const { id } = await started.json<{ id: string }>();

    const listed = await gateway.api(consoleCall("/v1/templates"), admin);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(await listed.json())).toContain(template.id);

    await historyInD1();
    const audit = await env.DB.prepare("SELECT actor, action, target FROM audit_log WHERE target IN (?, ?) ORDER BY id").bind(template.id, id).all();
    expect(audit.results.length).toBeGreaterThanOrEqual(2);
    expect(audit.results.every((row) => row.actor === "admin:ada@example.com")).toBe(true);
    expect(audit.results.map((row) => row.target)).toEqual(expect.arrayContaining([template.id, id]));
    const execution = await env.DB.prepare("SELECT created_by FROM executions WHERE id = ?").bind(id).first();
    expect(execution?.created_by).toBe("admin:ada@example.com");
  });

  it("answers in the API's error format, gives viewers reads only, and refuses paths outside /v1", async () => {
    const missing = await gateway.api(consoleCall("/v1/templates/nope"), admin);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "not_found" } });

    const viewer = { ...admin, role: "viewer" as const };
    expect((await gateway.api(consoleCall("/v1/templates"), viewer)).status).toBe(200);
    const refused = [
      consoleCall(`/v1/templates/${template.id}`, { method: "DELETE" }),
      consoleCall("/v1/executions", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
      consoleCall("/v1/users"),
      consoleCall("/v1/tokens"),
      consoleCall("/v1/webhooks"),
    ];
    for (const request of refused) {
      const answer = await gateway.api(request, viewer);
      expect(answer.status, `${request.method} ${request.url}`).toBe(403);
      expect(await answer.json()).toMatchObject({ error: { code: "forbidden" } });
    }

    for (const path of ["/", "/v2/templates", "/cdn-cgi/local/scheduled"]) {
      const outside = await gateway.api(consoleCall(path), admin);
      expect(outside.status).toBe(404);
    }
  });

  it("offers no way to claim an admin on the public path", async () => {
    const claims: Record<string, string>[] = [
      { "x-baton-admin": "ada@example.com" },
      { "x-console-identity": JSON.stringify(admin) },
      { cookie: "__Host-baton_session=bs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
      { authorization: "Bearer admin:ada@example.com" },
    ];
    for (const headers of claims) {
      const response = await api("/v1/templates", { token: null, headers });
      expect(response.status).toBe(401);
    }
    const viaFetch = await exports.ConsoleGateway.fetch(new Request("https://console.test/v1/templates", { headers: { "x-baton-admin": "ada@example.com" } }));
    expect(viaFetch.status).toBe(404);
  });
});
