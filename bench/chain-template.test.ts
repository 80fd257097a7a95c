/**
 * Proves that the templates `npm run bench` saves are ones the orchestrator accepts and runs to the
 * end, step after step, so that a change to the template contract breaks `npm test` rather than a
 * bench run on a quiet machine. It measures nothing.
 */
import { describe, expect, it } from "vitest";
import { saveTemplate, start, waitFor } from "../test/support/executions.ts";
import { chainTemplate } from "./baton-workload.ts";

describe("bench chain templates", () => {
  it("run every echo step, each after the one before, plain and watched", async () => {
    for (const template of [chainTemplate(4), chainTemplate(3, true)]) {
      await saveTemplate(template);
      const done = await waitFor(await start(template.id));
      expect(done.status).toBe("completed");
      expect(done.steps.map((s) => [s.id, s.status, s.output])).toEqual(
        template.steps.map((s, i) => [s.id, "completed", { value: i + 1, attempt: 1 }]),
      );
      const starts = done.steps.map((s) => s.startedAt ?? Number.NaN);
      const ends = done.steps.map((s) => s.endedAt ?? Number.NaN);
      for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThanOrEqual(ends[i - 1]!);
    }
  });
});
