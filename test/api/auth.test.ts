/**
 * (Storage is shared by the tests of one file: the test that revokes the default token runs last.)
 *
 * Proves bearer-token auth: health is public; every other route answers 401 in the error format without
 * a token, with a wrong one, or with a revoked one; tokens are stored only as hashes; a created token
 * works at once and stops working the moment it is revoked.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, apiJson } from "../support/api.ts";

describe("auth", () => {
  it("lets health through without a token", async () => {
    const response = await api("/v1/health", { token: null });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", version: expect.any(String), uptimeMs: expect.any(Number) });
  });

  it.each([
    ["no token", null, undefined],
    ["a wrong token", "nope", undefined],
    ["a malformed header", null, { authorization: "Basic abc" }],
  ])("refuses %s with 401", async (_what, token, headers) => {
    const response = await api("/v1/templates", { token, headers });
    expect(response.status).toBe(401);
    const body = await response.json<any>();
    expect(body).toEqual({ error: { code: "unauthorized", message: expect.stringMatching(/token/i) } });
  });

  it("stores only hashes, and revoking a token takes effect at once", async () => {
    const created = await apiJson("/v1/tokens", { body: { name: "ci" }, expect: 201 });
    expect(created.token).toMatch(/^bt_/);
    expect((await api("/v1/templates", { token: created.token })).status).toBe(200);

    const stored = await env.DB.prepare("SELECT * FROM api_tokens").all();
    expect(JSON.stringify(stored.results)).not.toContain(created.token);
    expect(JSON.stringify(stored.results)).not.toContain("test-token");

    const { tokens } = await apiJson("/v1/tokens", { token: created.token });
    expect(tokens.map((t: { name: string }) => t.name)).toEqual(["default", "ci"]);
    expect(JSON.stringify(tokens)).not.toContain(created.token);

    await apiJson(`/v1/tokens/${created.id}`, { method: "DELETE" });
    const revoked = await api("/v1/templates", { token: created.token });
    expect(revoked.status).toBe(401);
    expect((await revoked.json<any>()).error.message).toContain("revoked");
  });

  it("records token changes in the audit log", async () => {
    const created = await apiJson("/v1/tokens", { body: { name: "audited" }, expect: 201 });
    const rows = await env.DB.prepare("SELECT actor, action, target FROM audit_log WHERE target = ?").bind(created.id).all();
    expect(rows.results).toEqual([{ actor: "token:default", action: "token.create", target: created.id }]);
  });
  it("keeps the bootstrap token revoked once revoked", async () => {
    const { tokens } = await apiJson("/v1/tokens");
    const other = await apiJson("/v1/tokens", { body: { name: "admin" }, expect: 201 });
    await apiJson(`/v1/tokens/${tokens[0].id}`, { method: "DELETE", token: other.token });
    expect((await api("/v1/templates")).status).toBe(401);
    expect((await api("/v1/templates", { token: other.token })).status).toBe(200);
  });
});
