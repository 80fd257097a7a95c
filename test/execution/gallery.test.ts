/**
 * Proves every gallery template (shared/samples, listed in shared/samples/gallery.ts) validates, saves,
 * and runs with its default params to its end, or to its approval and then, approved, to its end, on the
 * llm agent's stand-in (LLM_STAND_IN=1 in this suite). Checks what each is for: forEach steps fan out
 * and merge, conditions run exactly one route, locks and approvals are passed, and every llm answer is
 * marked as the stand-in's, so an offline run can never pass for a model's.
 */
import { describe, expect, it } from "vitest";
import type { ExecutionState } from "#shared/execution.ts";
import { gallery } from "#shared/samples/gallery.ts";
import { apiJson } from "../support/api.ts";
import { start, waitFor } from "../support/executions.ts";

const ended = (e: ExecutionState) => ["completed", "failed", "cancelled"].includes(e.status);
const endedOrWaiting = (e: ExecutionState) => ended(e) || e.steps.some((s) => s.type === "approval" && s.status === "waiting");

async function runToEnd(id: string): Promise<ExecutionState> {
  let state = await waitFor(id, endedOrWaiting, 30_000);
  for (let round = 0; round < 5 && !ended(state); round++) {
    const waiting = state.steps.find((s) => s.type === "approval" && s.status === "waiting")!;
    await apiJson(`/v1/executions/${id}/steps/${waiting.id}/approve`, { method: "POST", body: { comment: "gallery test" } });
    state = await waitFor(id, endedOrWaiting, 30_000);
  }
  return state;
}

describe("the gallery", () => {
  it("has at least ten templates beyond the four first samples, each with a description and defaults for every param", () => {
    const firstSamples = ["hello", "article", "countdown", "ebook"];
    const added = gallery.filter((entry) => !firstSamples.includes(entry.template.id));
    expect(added.length).toBeGreaterThanOrEqual(10);
    for (const { template } of added) {
      expect(template.description?.length, template.id).toBeGreaterThan(20);
      for (const [name, spec] of Object.entries(template.params ?? {})) {
        expect(spec.default !== undefined || !spec.required, `${template.id}.params.${name}`).toBe(true);
      }
    }
  });

  describe.each(gallery.map((entry) => [entry.template.id, entry] as const))("%s", (id, entry) => {
    it("validates, saves and runs to its end on the stand-in", async () => {
      const verdict = await apiJson<{ valid: boolean; issues: unknown[] }>("/v1/templates/validate", { body: entry.template });
      expect(verdict.issues).toEqual([]);
      expect(verdict.valid).toBe(true);
      await apiJson(`/v1/templates/${id}`, { method: "PUT", body: entry.template, expect: [200, 201] });

      const required = Object.entries(entry.template.params ?? {}).filter(([, spec]) => spec.required && spec.default === undefined);
      const params = Object.fromEntries(required.map(([name]) => [name, "space"]));
      const state = await runToEnd(await start(id, params));
      expect(state.status, JSON.stringify(state.steps.map((s) => [s.id, s.status, s.error]))).toBe("completed");

      for (const step of state.steps.filter((s) => s.agent === "llm" && s.status === "completed")) {
        const outputs = step.items ? (step.output as unknown[]) : [step.output];
        for (const output of outputs) expect(output, `${id}.${step.id}`).toMatchObject({ model: "stand-in", standIn: true });
      }
      for (const step of state.steps.filter((s) => s.items)) {
        expect(step.items!.completed, `${id}.${step.id} items`).toBe(step.items!.total);
        expect(step.items!.total).toBeGreaterThan(1);
      }
    });
  });

  it("classify-route runs exactly the route of the category it found", async () => {
    const state = await waitFor(await start("classify-route", { message: "The API answers 500 on every request since the deploy." }));
    const classify = state.steps.find((s) => s.id === "classify")!;
    const category = (classify.output as { data: { category: string } }).data.category;
    const routes = state.steps.filter((s) => s.id !== "classify");
    expect(routes.filter((s) => s.status === "completed").map((s) => s.id)).toEqual([category]);
    expect(routes.filter((s) => s.status === "skipped")).toHaveLength(3);
  });

  it("summarize-document splits into chunks, summarises each, and merges them", async () => {
    const state = await waitFor(await start("summarize-document", { chunkChars: 400 }));
    const split = state.steps.find((s) => s.id === "split")!.output as { chunks: string[] };
    const each = state.steps.find((s) => s.id === "summarise")!;
    expect(split.chunks.length).toBeGreaterThan(3);
    expect(each.items?.total).toBe(split.chunks.length);
    const collected = state.steps.find((s) => s.id === "collect")!.output as { text: string };
    expect(collected.text).toContain(`Part ${split.chunks.length}:`);
    expect((state.output as { merge: { text: string } }).merge.text).toMatch(/^\[stand-in\]/);
  });
});
