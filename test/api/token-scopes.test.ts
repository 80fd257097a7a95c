/**
 * Proves scoped, expiring tokens through the real API: each scope reaches what it should and gets a 403
 * naming the scope it lacks elsewhere; a `run` token sees only the executions it started; a token mints
 * only its own scope or less, and never outlives itself; an expired token is refused; the OpenAPI
 * document names the scope of every route; replacing the API_TOKEN secret revokes the old value's row.
 * (Storage is shared by the tests of this file: the rotation test runs last.)
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { authenticateToken } from "../../workers/orchestrator/src/auth/api-tokens.ts";
import { database } from "../../workers/orchestrator/src/db/client.ts";
import { api, apiJson } from "../support/api.ts";
import { saveTemplate } from "../support/executions.ts";

const hello = { id: "scoped", name: "Scoped", steps: [{ id: "a", agent: "echo", input: { value: 1 } }] };

async function mint(name: string, body: Record<string, unknown> = {}, token?: string) {
  return apiJson<{ id: string; token: string; scope: string; expiresAt: number | null }>("/v1/tokens", {
    body: { name, ...body },
    expect: 201,
    ...(token ? { token } : {}),
  });
}

async function status(path: string, token: string, method = "GET", body?: unknown): Promise<number> {
  return (await api(path, { token, method, ...(body === undefined ? {} : { body }) })).status;
}

describe("token scopes", () => {
  it("lets each scope do what it names and nothing more, and says which scope is missing", async () => {
    await saveTemplate(hello);
    const read = await mint("reader", { scope: "read" });
    const run = await mint("runner", { scope: "run" });
    const operate = await mint("operator", { scope: "operate" });

    expect(await status("/v1/templates", read.token)).toBe(200);
    expect(await status("/v1/executions", read.token, "POST", { template: "scoped" })).toBe(403);
    const refused = await api("/v1/templates/scoped", { token: read.token, method: "DELETE" });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: { code: "forbidden", message: expect.stringContaining("needs a token of scope admin"), details: { requiredScope: "admin", tokenScope: "read" } },
    });
    expect(await status("/v1/tokens", read.token)).toBe(403);

    const started = await apiJson("/v1/executions", { token: run.token, body: { template: "scoped" }, expect: 202 });
    expect(await status(`/v1/executions/${started.id}`, run.token)).toBe(200);
    expect(await status(`/v1/executions/${started.id}/cancel`, run.token, "POST")).toBe(403);
    expect(await status("/v1/templates", run.token)).toBe(403);

    // 200, or 409 when the execution already ended: either way the scope let it through.
    expect(await status(`/v1/executions/${started.id}/cancel`, operate.token, "POST")).not.toBe(403);
    expect(await status("/v1/config", operate.token, "PUT", { mode: "auto" })).toBe(403);
    expect(await status(`/v1/executions/${started.id}`, read.token)).toBe(200);
  });

  it("shows a run token only the executions it started", async () => {
    const mine = await mint("runner-a", { scope: "run" });
    const theirs = await mint("runner-b", { scope: "run" });
    const own = await apiJson("/v1/executions", { token: mine.token, body: { template: "scoped" }, expect: 202 });
    const other = await apiJson("/v1/executions", { token: theirs.token, body: { template: "scoped" }, expect: 202 });

    expect(await status(`/v1/executions/${other.id}`, mine.token)).toBe(404);
    expect(await status(`/v1/executions/${other.id}/logs`, mine.token)).toBe(404);
    expect(await status(`/v1/executions/${other.id}/events`, mine.token)).toBe(404);
    const page = await apiJson("/v1/executions", { token: mine.token });
    expect(page.executions.map((e: { id: string }) => e.id)).toEqual([own.id]);
    // An admin sees both.
    const all = await apiJson("/v1/executions");
    expect(all.executions.map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining([own.id, other.id]));
  });

  it("mints only its own scope or less, defaulting to its own, and never beyond its own expiry", async () => {
    const operate = await mint("op-minter", { scope: "operate", expiresInSeconds: 3600 });
    const child = await mint("op-child", {}, operate.token);
    expect(child.scope).toBe("operate");
    expect(child.expiresAt).toBe(operate.expiresAt);
    const shorter = await mint("op-read", { scope: "read", expiresInSeconds: 60 }, operate.token);
    expect(shorter.expiresAt).toBeLessThan(operate.expiresAt!);

    const escalate = await api("/v1/tokens", { token: operate.token, body: { name: "op-admin", scope: "admin" } });
    expect(escalate.status).toBe(403);
    expect((await escalate.json<any>()).error.message).toContain("operate, run or read");
    const run = await mint("run-minter", { scope: "run" });
    expect((await api("/v1/tokens", { token: run.token, body: { name: "run-read", scope: "read" } })).status).toBe(403);
    expect((await mint("run-child", {}, run.token)).scope).toBe("run");
  });

  it("refuses a reused name, and lists scope and expiry (never secrets)", async () => {
    expect((await api("/v1/tokens", { body: { name: "reader" } })).status).toBe(409);
    const { tokens } = await apiJson("/v1/tokens");
    expect(tokens.find((t: { name: string }) => t.name === "op-minter")).toMatchObject({ scope: "operate", expiresAt: expect.any(Number) });
    expect(tokens.find((t: { name: string }) => t.name === "default")).toMatchObject({ scope: "admin", expiresAt: null });
  });

  it("refuses an expired token", async () => {
    const brief = await mint("brief", { expiresInSeconds: 60 });
    expect(await status("/v1/templates", brief.token)).toBe(200);
    await env.DB.prepare("UPDATE api_tokens SET expires_at = ? WHERE id = ?").bind(Date.now() - 1, brief.id).run();
    const response = await api("/v1/templates", { token: brief.token });
    expect(response.status).toBe(401);
    expect((await response.json<any>()).error.message).toContain("expired");
  });

  it("names the scope each route needs in the OpenAPI document", async () => {
    const doc = await apiJson("/v1/openapi.json", { token: null });
    const scopeOf = (path: string, method: string) => doc.paths[path][method]["x-baton-scope"];
    expect(scopeOf("/v1/executions", "post")).toBe("run");
    expect(scopeOf("/v1/executions/{id}/cancel", "post")).toBe("operate");
    expect(scopeOf("/v1/executions/{id}/steps/{step}/approve", "post")).toBe("operate");
    expect(scopeOf("/v1/templates", "get")).toBe("read");
    expect(scopeOf("/v1/templates/{id}", "put")).toBe("admin");
    expect(doc.paths["/v1/templates/{id}"].put.security).toEqual([{ bearerAuth: ["admin"] }]);
    for (const [path, methods] of Object.entries<Record<string, { security?: unknown[]; "x-baton-scope"?: string }>>(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (Array.isArray(operation.security) && operation.security.length === 0) continue;
        expect(operation["x-baton-scope"], `${method} ${path}`).toMatch(/^(admin|operate|run|read)$/);
      }
    }
  });

  it("revokes the old API_TOKEN's row when the secret is replaced", async () => {
    expect(await status("/v1/templates", "test-token")).toBe(200);
    // The same check the bearer middleware makes, as an isolate with the new secret makes it.
    expect(await authenticateToken(database(env.DB), "rotated-secret", "rotated-secret")).toMatchObject({ identity: { name: "default", scope: "admin" } });
    const rows = await env.DB.prepare("SELECT revoked_at FROM api_tokens WHERE name = 'default' ORDER BY created_at").all<{ revoked_at: number | null }>();
    expect(rows.results.map((r) => r.revoked_at !== null)).toEqual([true, false]);
    expect(await authenticateToken(database(env.DB), "test-token", "rotated-secret")).toBeUndefined();
  });
});
