/**
 * Proves the money and rate guards: a per-key rate limit refuses with the key, the count and when it
 * frees up, and frees up; an execution budget stops the run mid-way with spent vs budget; a daily budget
 * refuses new starts and raises its 80 % alert once; config is validated with paths and audited.
 */
import { abortAllDurableObjects } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";

describe("limits", () => {
  it("refuses a start past the rate limit with the key, count and release time, then frees up", async () => {
    await saveTemplate({
      id: "saturation",
      name: "Saturation",
      params: { theme: { type: "string", required: true } },
      steps: [{ id: "a", agent: "echo" }],
      rateLimit: { key: "{{params.theme}}", limit: 2, window: "2s" },
    });
    const t0 = Date.now();
    await start("saturation", { theme: "space" });
    await start("saturation", { theme: "space" });
    await start("saturation", { theme: "sea" });
    const refused = await api("/v1/executions", { body: { template: "saturation", params: { theme: "space" } } });
    expect(refused.status).toBe(429);
    const { error } = await refused.json<any>();
    expect(error.code).toBe("rate_limited");
    expect(error.message).toContain('key "space"');
    expect(error.details).toMatchObject({ key: "space", count: 2, limit: 2, window: "2s" });
    expect(error.details.freesAt).toBeGreaterThan(t0 + 1500);
    await new Promise((r) => setTimeout(r, Math.max(0, error.details.freesAt - Date.now()) + 50));
    expect((await api("/v1/executions", { body: { template: "saturation", params: { theme: "space" } } })).status).toBe(202);
  });

  it("stops an execution mid-run when its budget is spent", async () => {
    await saveTemplate({
      id: "pricey",
      name: "Pricey",
      budget: { maxCostUsd: 0.05 },
      steps: [
        { id: "one", agent: "echo", input: { costUsd: 0.03 } },
        { id: "two", agent: "echo", needs: ["one"], input: { costUsd: 0.03 } },
        { id: "three", agent: "echo", needs: ["two"], input: { costUsd: 0.03 } },
      ],
    });
    const done = await waitFor(await start("pricey"));
    expect(done.status).toBe("failed");
    expect(done.steps.map((s) => s.status)).toEqual(["completed", "completed", "failed"]);
    expect(done.error).toMatchObject({ code: "budget_exceeded" });
    expect(done.error!.message).toContain("$0.0600 of the $0.0500 budget");
    expect(done.costUsd).toBeCloseTo(0.06);
  });

  it("refuses starts past the daily budget and raises the 80 % alert once", async () => {
    await saveTemplate({ id: "daily", name: "Daily", steps: [{ id: "a", agent: "echo", input: { costUsd: 0.02 } }] });
    await apiJson("/v1/config", { method: "PUT", body: { templateDailyBudgetsUsd: { daily: 0.03 } } });
    const first = await waitFor(await start("daily"));
    expect(first.status).toBe("completed");
    await env.EXECUTIONS.get(env.EXECUTIONS.idFromName(first.id)).commitHistory();
    // $0.02 of $0.03 is under 80 %: a second start goes through and brings the day to $0.04.
    const second = await waitFor(await start("daily"));
    await env.EXECUTIONS.get(env.EXECUTIONS.idFromName(second.id)).commitHistory();
    const refused = await api("/v1/executions", { body: { template: "daily" } });
    expect(refused.status).toBe(429);
    const { error } = await refused.json<any>();
    expect(error).toMatchObject({ code: "budget_exceeded", details: { scope: "template", budgetUsd: 0.03 } });
    expect(error.message).toContain('daily budget of template "daily"');
    await api("/v1/executions", { body: { template: "daily" } });
    const alerts = await env.DB.prepare("SELECT kind, key FROM alerts").all();
    expect(alerts.results).toEqual([{ kind: "budget.alert", key: expect.stringMatching(/^budget80:template:daily:\d{4}-\d\d-\d\d$/) }]);
    await apiJson("/v1/config", { method: "PUT", body: { templateDailyBudgetsUsd: {} } });
  });

  it("validates config with the path of each bad field, audits and applies changes", async () => {
    const response = await api("/v1/config", { method: "PUT", body: { globalConcurrency: 0, mode: "sometimes", dailyBudgetUsd: -1, bogus: 1 } });
    expect(response.status).toBe(422);
    const paths = (await response.json<any>()).error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(["", "dailyBudgetUsd", "globalConcurrency", "mode"]);
    const before = await apiJson("/v1/config");
    expect(before).toMatchObject({ globalConcurrency: 50, mode: "auto", dailyBudgetUsd: null });
    const after = await apiJson("/v1/config", { method: "PUT", body: { globalConcurrency: 7 } });
    expect(after).toMatchObject({ globalConcurrency: 7, mode: "auto" });
    expect((await apiJson("/v1/queue")).globalLimit).toBe(7);
    const audit = await env.DB.prepare("SELECT actor, action FROM audit_log WHERE action = 'config.update' ORDER BY id DESC LIMIT 1").first();
    expect(audit).toEqual({ actor: "token:default", action: "config.update" });
    await apiJson("/v1/config", { method: "PUT", body: { globalConcurrency: 50 } });
  });

  it("in approval mode, makes every start wait for an admin", async () => {
    await saveTemplate({ id: "gated", name: "Gated", steps: [{ id: "a", agent: "echo", input: { value: 1 } }] });
    await apiJson("/v1/config", { method: "PUT", body: { mode: "approval" } });
    try {
      const id = await start("gated");
      const waiting = await waitFor(id, (e) => e.status === "waiting");
      expect(waiting.startedAt).toBeNull();
      // Waking up again (after a restart) does not start it either.
      await abortAllDurableObjects();
      const woken = await apiJson(`/v1/executions/${id}`);
      expect(woken).toMatchObject({ status: "waiting", startedAt: null });
      expect(woken.steps[0].status).toBe("pending");
      await new Promise((r) => setTimeout(r, 300));
      const { approvals } = await apiJson("/v1/approvals");
      expect(approvals).toContainEqual(expect.objectContaining({ executionId: id, stepId: "$start" }));
      await apiJson(`/v1/executions/${id}/steps/$start/approve`, { method: "POST" });
      expect((await waitFor(id)).status).toBe("completed");

      const rejected = await start("gated");
      await apiJson(`/v1/executions/${rejected}/steps/$start/reject`, { body: { comment: "no" } });
      expect(await waitFor(rejected)).toMatchObject({ status: "cancelled", reason: expect.stringContaining("start rejected") });
    } finally {
      await apiJson("/v1/config", { method: "PUT", body: { mode: "auto" } });
    }
  });
});
