/**
 * Proves that `/v1/config` is the one place for every key of the configuration: the allowed CORS
 * origins and the webhook endpoints are keys of it (read and written there, secrets write-only and kept
 * across saves, bad fields named by their path under the key), the older `/v1/cors` and `/v1/webhooks`
 * routes answer from the same store, and each change leaves one audit row without a secret in it.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, apiJson } from "../support/api.ts";

const secret = "s3cret-s3cret-s3cret";
const hook = { id: "ops", url: "https://hooks.test/hooks/ops", events: ["execution.failed"] };

describe("/v1/config", () => {
  it("reads and writes cors and webhooks as keys, shared with the older routes", async () => {
    const fresh = await apiJson<any>("/v1/config");
    expect(fresh).toMatchObject({ globalConcurrency: 50, cors: { allowedOrigins: [] }, webhooks: { endpoints: [] } });

    const saved = await apiJson<any>("/v1/config", {
      method: "PUT",
      body: { globalConcurrency: 9, cors: { allowedOrigins: ["https://app.example.com"] }, webhooks: { endpoints: [{ ...hook, secret }] } },
    });
    expect(saved).toMatchObject({
      globalConcurrency: 9,
      cors: { allowedOrigins: ["https://app.example.com"] },
      webhooks: { endpoints: [{ ...hook, enabled: true, secretHint: `…${secret.slice(-4)}` }] },
    });
    expect(JSON.stringify(saved)).not.toContain(secret);
    expect(await apiJson("/v1/cors")).toEqual({ allowedOrigins: ["https://app.example.com"] });
    expect(await apiJson("/v1/webhooks")).toEqual(saved.webhooks);

    // Sent without its secret, an endpoint keeps the one it has; the older route writes the same key.
    await apiJson("/v1/config", { method: "PUT", body: { webhooks: { endpoints: [{ ...hook, events: ["execution.completed"] }] } } });
    await apiJson("/v1/cors", { method: "PUT", body: { allowedOrigins: [] } });
    const after = await apiJson<any>("/v1/config");
    expect(after).toMatchObject({ globalConcurrency: 9, cors: { allowedOrigins: [] }, webhooks: { endpoints: [{ id: "ops", events: ["execution.completed"] }] } });
    const stored = await env.DB.prepare("SELECT value FROM config WHERE key = 'webhooks'").first<{ value: string }>();
    expect(stored?.value).toContain(secret);

    const audits = await env.DB.prepare("SELECT action, details FROM audit_log WHERE action IN ('config.update', 'cors.update') ORDER BY id").all<{ action: string; details: string }>();
    expect(audits.results.map((row) => row.action)).toEqual(["config.update", "config.update", "cors.update"]);
    expect(audits.results.some((row) => row.details.includes(secret))).toBe(false);
    await apiJson("/v1/config", { method: "PUT", body: { globalConcurrency: 50, webhooks: { endpoints: [] } } });
  });

  it("names each bad field by its path under its key", async () => {
    const response = await api("/v1/config", {
      method: "PUT",
      body: { cors: { allowedOrigins: ["https://x.example/path"] }, webhooks: { endpoints: [{ id: "new", url: "https://hooks.test/new" }] } },
    });
    expect(response.status).toBe(422);
    const paths = (await response.json<any>()).error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(["cors.allowedOrigins.0"]);

    const noSecret = await api("/v1/config", { method: "PUT", body: { webhooks: { endpoints: [{ id: "new", url: "https://hooks.test/new" }] } } });
    expect(noSecret.status).toBe(422);
    expect((await noSecret.json<any>()).error.details).toEqual([{ path: "webhooks.endpoints.0.secret", message: expect.stringContaining("secret") }]);
    expect((await apiJson<any>("/v1/config")).webhooks).toEqual({ endpoints: [] });
  });
});
