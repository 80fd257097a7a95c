/**
 * Proves, through workerd, that the engine's limits live in `/v1/config` with defaults, that a patch of
 * one limit keeps the others, that a bad value is refused with its path, and that an execution started
 * under a limit is held to it with an error naming the limit. The limits' arithmetic is proven in the
 * core's unit tests (test/core/core.test.ts).
 */
import { afterAll, describe, expect, it } from "vitest";
import { api, apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";

describe("limits", () => {
  afterAll(async () => {
    await apiJson("/v1/config", { method: "PUT", body: { limits: { itemsPerForEach: 100_000 } } });
  });

  it("are in /v1/config with defaults that let a 100,000-item fan-out run", async () => {
    const config = await apiJson<{ limits: Record<string, number> }>("/v1/config");
    expect(config.limits).toEqual({ itemsPerForEach: 100_000, eventsPerExecution: 1_000_000, logLinesPerStep: 1_000, outputBytes: 1_000_000 });
  });

  it("change one at a time, and refuse a bad value with its path", async () => {
    const changed = await apiJson<{ limits: Record<string, number> }>("/v1/config", { method: "PUT", body: { limits: { itemsPerForEach: 3 } } });
    expect(changed.limits).toMatchObject({ itemsPerForEach: 3, logLinesPerStep: 1_000 });
    const bad = await api("/v1/config", { method: "PUT", body: { limits: { outputBytes: -1 } } });
    expect(bad.status).toBe(422);
    const body = await bad.json<{ error: { code: string; details: { path: string }[] } }>();
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.map((d) => d.path)).toContain("limits.outputBytes");
  });

  it("hold an execution to the limits it started under, naming the limit", async () => {
    await apiJson("/v1/config", { method: "PUT", body: { limits: { itemsPerForEach: 3 } } });
    await saveTemplate({
      id: "too-many",
      name: "Too many",
      params: { items: { type: "array", required: true } },
      steps: [{ id: "each", agent: "echo", input: { value: "{{item}}" }, forEach: { items: "{{params.items}}", concurrency: 2 } }],
    });
    const id = await start("too-many", { items: [1, 2, 3, 4, 5] });
    const done = await waitFor(id);
    expect(done.status).toBe("failed");
    expect(done.steps[0]!.error).toMatchObject({ code: "limit_exceeded", message: expect.stringContaining("limits.itemsPerForEach (3)") });
  });
});
