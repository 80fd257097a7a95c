/**
 * Proves the sample templates that `npm start` seeds are valid and really run on the sample agents: the
 * ebook production pipeline goes through all its stages to the approval and, once approved, publishes;
 * the research article completes; hello completes.
 */
import { describe, expect, it } from "vitest";
import article from "#shared/samples/article.json";
import countdown from "#shared/samples/countdown.json";
import ebook from "#shared/samples/ebook.json";
import hello from "#shared/samples/hello.json";
import { apiJson } from "../support/api.ts";
import { start, waitFor } from "../support/executions.ts";

describe("sample templates", () => {
  it("are all valid", async () => {
    for (const template of [ebook, article, hello, countdown]) {
      const verdict = await apiJson("/v1/templates/validate", { body: template });
      expect(verdict, template.id).toMatchObject({ valid: true, issues: [] });
    }
  });

  it("ebook: runs every stage, waits for approval, publishes once approved", async () => {
    await apiJson("/v1/templates", { body: ebook, expect: 201 });
    const id = await start("ebook", { theme: "deep sea creatures", pages: 3 });
    const waiting = await waitFor(id, (e) => e.status === "waiting" || e.status === "failed", 20_000);
    expect(waiting.status).toBe("waiting");
    const byId = Object.fromEntries(waiting.steps.map((s) => [s.id, s]));
    expect(Object.values(byId).map((s) => s.status)).toEqual(["completed", "completed", "completed", "completed", "completed", "completed", "waiting", "pending"]);
    expect(byId.images!.progress).toEqual(expect.objectContaining({ current: 3, total: 3 }));
    expect((byId.review!.input as { message: string }).message).toMatch(/^Publish ".+" \(3 pages, inspector score \d+\)\?$/);
    expect(waiting.costUsd).toBeGreaterThan(0);

    await apiJson(`/v1/executions/${id}/steps/review/approve`, { body: { comment: "lovely" } });
    const done = await waitFor(id);
    expect(done.status).toBe("completed");
    expect(done.output).toEqual({ publish: expect.objectContaining({ listingId: expect.any(String), status: expect.any(String) }) });
  });

  it("article and hello complete on their own", async () => {
    await apiJson("/v1/templates", { body: article, expect: 201 });
    await apiJson("/v1/templates", { body: hello, expect: 201 });
    const written = await waitFor(await start("article", { topic: "urban beekeeping" }));
    expect(written.status).toBe("completed");
    expect(written.output).toEqual({ review: expect.objectContaining({ kind: "article", passed: expect.any(Boolean) }) });
    const greeted = await waitFor(await start("hello"));
    expect(greeted.output).toEqual({ count: { value: "Hello, world!", attempt: 1 } });
  });
});
