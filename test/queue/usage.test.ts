/**
 * Proves usage and estimates: usage reported by agents is recorded per attempt and rolled up by day,
 * template and agent over a time range; an estimate gives p50/p90 cost and duration from history, per
 * step, with how many runs it rests on, prefers runs with the same params, and says when there is none.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";

const flush = (id: string) => env.EXECUTIONS.get(env.EXECUTIONS.idFromName(id)).commitHistory();

describe("usage and estimates", () => {
  it("rolls usage up by day, template and agent", async () => {
    await saveTemplate({
      id: "costly",
      name: "Costly",
      steps: [
        { id: "a", agent: "echo", input: { costUsd: 0.01 } },
        { id: "b", agent: "market-scout", needs: ["a"], input: { theme: "tea" } },
      ],
    });
    const since = Date.now();
    const ids = [await start("costly"), await start("costly")];
    for (const id of ids) {
      await waitFor(id);
      await flush(id);
    }
    const byTemplate = await apiJson(`/v1/usage?groupBy=template&since=${since}`);
    const costly = byTemplate.rows.find((r: { key: string }) => r.key === "costly");
    expect(costly).toMatchObject({ executions: 2, attempts: 4 });
    expect(costly.inputTokens).toBeGreaterThan(0);
    expect(costly.costUsd).toBeGreaterThan(0.02);
    const byAgent = await apiJson(`/v1/usage?groupBy=agent&since=${since}`);
    expect(byAgent.rows.find((r: { key: string }) => r.key === "echo")).toMatchObject({ attempts: 2, costUsd: 0.02 });
    const byDay = await apiJson("/v1/usage");
    expect(byDay.groupBy).toBe("day");
    expect(byDay.rows.at(-1).key).toBe(new Date().toISOString().slice(0, 10));
    expect(byDay.total.costUsd).toBeCloseTo(byDay.rows.reduce((sum: number, r: { costUsd: number }) => sum + r.costUsd, 0));
    const empty = await apiJson(`/v1/usage?since=${Date.now() + 60_000}`);
    expect(empty.rows).toEqual([]);
    expect((await api("/v1/usage?groupBy=week")).status).toBe(422);
    expect((await api("/v1/usage?since=yesterday")).status).toBe(422);
  });

  it("estimates cost and duration from history, and says when there is none", async () => {
    await saveTemplate({
      id: "estimable",
      name: "Estimable",
      params: { cost: { type: "number", default: 0.01 } },
      steps: [{ id: "work", agent: "echo", input: { costUsd: "{{params.cost}}", delayMs: 20 } }],
    });
    const none = await apiJson("/v1/templates/estimable/estimate", { method: "POST" });
    expect(none).toMatchObject({ basedOn: 0, costUsd: null, durationMs: null, note: expect.stringContaining("No completed runs") });
    for (const cost of [0.01, 0.01, 0.01, 0.05]) {
      const id = await start("estimable", { cost });
      await waitFor(id);
      await flush(id);
    }
    const estimate = await apiJson("/v1/templates/estimable/estimate", { method: "POST" });
    expect(estimate.basedOn).toBe(4);
    expect(estimate.costUsd.p50).toBeCloseTo(0.01);
    expect(estimate.costUsd.p90).toBeGreaterThan(0.02);
    expect(estimate.durationMs.p50).toBeGreaterThanOrEqual(20);
    expect(estimate.steps).toEqual([expect.objectContaining({ stepId: "work", basedOn: 4 })]);
    const sameParams = await apiJson("/v1/templates/estimable/estimate", { body: { params: { cost: 0.01 } } });
    expect(sameParams.basedOn).toBe(3);
    expect(sameParams.costUsd.p90).toBeCloseTo(0.01);
    expect((await api("/v1/templates/nope/estimate", { method: "POST" })).status).toBe(404);
  });
});
