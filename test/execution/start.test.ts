/**
 * Proves starting an execution: 202 with an id, params validated against the template (defaults applied,
 * every bad field named by path), the same idempotency key returning the same execution (409 with other
 * params; keys are per caller), and clear errors
 * for unknown templates, versions and archived templates. Executions stay pinned to their version.
 */
import { describe, expect, it } from "vitest";
import { api, apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";

const themed = {
  id: "themed",
  name: "Themed",
  params: {
    theme: { type: "string", required: true, minLength: 2 },
    pages: { type: "integer", default: 30, minimum: 1, maximum: 100 },
  },
  steps: [{ id: "a", agent: "echo", input: { value: "{{params.theme}}/{{params.pages}}" } }],
};

describe("start", () => {
  it("applies defaults and accepts overrides", async () => {
    await saveTemplate(themed);
    const response = await apiJson("/v1/executions", { body: { template: "themed", params: { theme: "space" } }, expect: 202 });
    expect(response).toMatchObject({ id: expect.stringMatching(/^ex_/), created: true });
    expect((await waitFor(response.id)).params).toEqual({ theme: "space", pages: 30 });
    const overridden = await waitFor(await start("themed", { theme: "sea", pages: 7 }));
    expect(overridden.steps[0]!.output).toEqual({ value: "sea/7", attempt: 1 });
  });

  it("names every bad param by path", async () => {
    await saveTemplate(themed);
    const response = await api("/v1/executions", { body: { template: "themed", params: { theme: "x", pages: 1000, extra: 1 } } });
    expect(response.status).toBe(422);
    const body = await response.json<any>();
    expect(body.error.code).toBe("validation_failed");
    const paths = body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(["params.extra", "params.pages", "params.theme"]);
    const missing = await (await api("/v1/executions", { body: { template: "themed" } })).json<any>();
    expect(missing.error.details).toEqual([expect.objectContaining({ path: "params.theme" })]);
  });

  it("returns the same execution for the same idempotency key", async () => {
    await saveTemplate(themed);
    const body = { template: "themed", params: { theme: "space" }, idempotencyKey: "order-42" };
    const first = await apiJson("/v1/executions", { body, expect: 202 });
    const second = await apiJson("/v1/executions", { body, expect: 202 });
    expect(second).toMatchObject({ id: first.id, created: false });
    const other = await apiJson("/v1/executions", { body: { ...body, idempotencyKey: "order-43" }, expect: 202 });
    expect(other.id).not.toBe(first.id);
    await waitFor(first.id);
    const listed = await apiJson(`/v1/executions?template=themed&q=space`);
    expect(listed.executions.filter((e: { id: string }) => e.id === first.id)).toHaveLength(1);
  });

  it("answers 409 idempotency_conflict, naming the execution, when a key is reused with other params", async () => {
    await saveTemplate(themed);
    const body = { template: "themed", params: { theme: "space" }, idempotencyKey: "order-77" };
    const first = await apiJson("/v1/executions", { body, expect: 202 });
    // The same params, defaults written out or not, are the same request.
    expect(await apiJson("/v1/executions", { body: { ...body, params: { theme: "space", pages: 30 } }, expect: 202 })).toMatchObject({ id: first.id, created: false });
    const conflict = await api("/v1/executions", { body: { ...body, params: { theme: "ocean" } } });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({
      error: {
        code: "idempotency_conflict",
        message: expect.stringContaining(first.id),
        details: { executionId: first.id, idempotencyKey: "order-77" },
      },
    });
  });

  it("scopes idempotency keys per caller: another token's same key starts its own execution", async () => {
    await saveTemplate(themed);
    const other = await apiJson("/v1/tokens", { body: { name: "second-caller", scope: "run" }, expect: 201 });
    const body = { template: "themed", params: { theme: "space" }, idempotencyKey: "shared-key" };
    const mine = await apiJson("/v1/executions", { body, expect: 202 });
    const theirs = await apiJson("/v1/executions", { body: { ...body, params: { theme: "ocean" } }, token: other.token, expect: 202 });
    expect(theirs).toMatchObject({ created: true });
    expect(theirs.id).not.toBe(mine.id);
    expect(await apiJson("/v1/executions", { body, token: other.token, expect: 409 })).toMatchObject({ error: { details: { executionId: theirs.id } } });
  });

  it("refuses unknown templates, versions and archived templates", async () => {
    await saveTemplate(themed);
    expect((await api("/v1/executions", { body: { template: "nope" } })).status).toBe(404);
    expect((await api("/v1/executions", { body: { template: "themed", version: 9, params: { theme: "ab" } } })).status).toBe(404);
    const bad = await api("/v1/executions", { body: { template: 5, params: [] } });
    expect(bad.status).toBe(422);
    expect((await bad.json<any>()).error.details.map((d: { path: string }) => d.path).sort()).toEqual(["params", "template"]);
    await apiJson("/v1/templates/themed", { method: "DELETE" });
    const archived = await api("/v1/executions", { body: { template: "themed", params: { theme: "ab" } } });
    expect(archived.status).toBe(409);
  });

  it("pins an execution to the version it started with", async () => {
    await saveTemplate({ id: "pinned", name: "Pinned", steps: [{ id: "a", agent: "echo", input: { value: "v1", delayMs: 300 } }] });
    const id = await start("pinned");
    await saveTemplate({ id: "pinned", name: "Pinned", steps: [{ id: "a", agent: "echo", input: { value: "v2" } }] });
    const done = await waitFor(id);
    expect(done.templateVersion).toBe(1);
    expect(done.steps[0]!.output).toEqual({ value: "v1", attempt: 1 });
    expect((await waitFor(await start("pinned"))).steps[0]!.output).toEqual({ value: "v2", attempt: 1 });
  });
});
