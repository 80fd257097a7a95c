/**
 * Proves the template endpoints: create, list, read, validate without saving; every save that changes
 * the definition makes a new version while old versions stay readable; an unchanged save makes none;
 * archiving hides a template but keeps its history; each change leaves its audit row; cross-field rules
 * reject with paths.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, apiJson } from "../support/api.ts";

// Storage is shared by the tests of one file, so each test uses its own template ids.
const base = {
  id: "ebook",
  name: "Ebook production",
  params: { theme: { type: "string", required: true }, pages: { type: "integer", default: 30, minimum: 1, maximum: 100 } },
  steps: [
    { id: "analyze", agent: "market-scout", input: { theme: "{{params.theme}}" }, retry: { limit: 3, delayMs: 500, backoff: "exponential" }, timeoutMs: 30000 },
    { id: "review", type: "approval", needs: ["analyze"], message: "Publish {{params.theme}}?" },
  ],
};

describe("templates", () => {
  it("creates version 1 and refuses to create it twice", async () => {
    const created = await apiJson("/v1/templates", { body: base, expect: 201 });
    expect(created).toMatchObject({ id: "ebook", version: 1, latestVersion: 1, created: true, versionCreatedBy: "token:default" });
    // Defaults are filled in on save.
    expect(created.definition.priority).toBe(0);
    expect(created.definition.steps[0].type).toBe("agent");
    const again = await api("/v1/templates", { body: base });
    expect(again.status).toBe(409);
    expect((await again.json<any>()).error.code).toBe("conflict");
    const { templates } = await apiJson("/v1/templates");
    expect(templates.map((t: { id: string }) => t.id)).toContain("ebook");
  });

  it("makes v2 on a changed PUT while ?version=1 still returns v1", async () => {
    const ebook = { ...base, id: "versioned" };
    await apiJson("/v1/templates", { body: ebook, expect: 201 });
    const v2 = await apiJson("/v1/templates/versioned", { method: "PUT", body: { ...ebook, name: "Ebook v2" } });
    expect(v2).toMatchObject({ version: 2, latestVersion: 2, created: true, name: "Ebook v2" });
    expect((await apiJson("/v1/templates/versioned?version=1")).definition.name).toBe("Ebook production");
    expect((await apiJson("/v1/templates/versioned")).definition.name).toBe("Ebook v2");
    const same = await apiJson("/v1/templates/versioned", { method: "PUT", body: { ...ebook, name: "Ebook v2" } });
    expect(same).toMatchObject({ version: 2, created: false });
    const { versions } = await apiJson("/v1/templates/versioned/versions");
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect((await api("/v1/templates/versioned?version=7")).status).toBe(404);
  });

  it("PUT creates a new template and takes its id from the URL", async () => {
    const { id: _id, ...withoutId } = base;
    const created = await apiJson("/v1/templates/from-url", { method: "PUT", body: withoutId, expect: 201 });
    expect(created.definition.id).toBe("from-url");
    const mismatch = await api("/v1/templates/from-url", { method: "PUT", body: { ...base, id: "other" } });
    expect(mismatch.status).toBe(422);
    expect((await mismatch.json<any>()).error.details).toEqual([expect.objectContaining({ path: "id" })]);
  });

  it("archives on DELETE: hidden from the list, history still readable, restored by a save", async () => {
    const ebook = { ...base, id: "archived" };
    await apiJson("/v1/templates", { body: ebook, expect: 201 });
    const archived = await apiJson("/v1/templates/archived", { method: "DELETE" });
    expect(archived.archivedAt).toEqual(expect.any(Number));
    const ids = async (query = "") => (await apiJson(`/v1/templates${query}`)).templates.map((t: { id: string }) => t.id);
    expect(await ids()).not.toContain("archived");
    expect(await ids("?archived=true")).toContain("archived");
    expect((await apiJson("/v1/templates/archived?version=1")).archivedAt).toEqual(expect.any(Number));
    const restored = await apiJson("/v1/templates", { body: ebook, expect: 201 });
    expect(restored).toMatchObject({ version: 2, archivedAt: null });
    expect((await api("/v1/templates/none", { method: "DELETE" })).status).toBe(404);
    // Each change left its audit row, committed with it: created, archived, then saved again (an update).
    const audit = await env.DB.prepare("SELECT actor, action FROM audit_log WHERE target = 'archived' ORDER BY id").all<{ actor: string; action: string }>();
    expect(audit.results.map((row) => row.action)).toEqual(["template.create", "template.archive", "template.update"]);
    expect(new Set(audit.results.map((row) => row.actor))).toEqual(new Set(["token:default"]));
  });

  it("rejects cross-field problems with the path of each", async () => {
    const response = await api("/v1/templates", {
      body: {
        ...base,
        id: "broken",
        steps: [
          { id: "a", agent: "no-such-agent", needs: ["ghost"] },
          { id: "b", agent: "echo", needs: ["c"], input: { x: "{{params.missing}}" } },
          { id: "c", agent: "echo", needs: ["b"] },
        ],
      },
    });
    expect(response.status).toBe(422);
    const paths = (await response.json<any>()).error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["steps.0.agent", "steps.0.needs.0", "steps.1.input.x"]));
    expect(paths.some((p: string) => p.startsWith("steps.1.needs") || p.startsWith("steps.2.needs"))).toBe(true);
    // Nothing was stored.
    expect((await api("/v1/templates/broken")).status).toBe(404);
  });

  it("validates without saving", async () => {
    const ok = await apiJson("/v1/templates/validate", { body: { ...base, id: "unsaved" } });
    expect(ok).toMatchObject({ valid: true, issues: [] });
    const bad = await apiJson("/v1/templates/validate", { body: { ...base, id: "unsaved", schedule: { cron: "61 * * * *", params: { theme: "x" } } } });
    expect(bad.valid).toBe(false);
    expect(bad.issues).toEqual([expect.objectContaining({ path: "schedule.cron" })]);
    expect((await api("/v1/templates/unsaved")).status).toBe(404);
  });
});
