/**
 * Proves schedules through the real cron handler: a template whose cron matches the minute starts with
 * its schedule params, a second firing for the same minute starts nothing more, `manual` mode pauses
 * schedules and `approval` mode makes the scheduled start wait for an admin.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../workers/orchestrator/src/index.ts";
import { apiJson } from "../support/api.ts";
import { saveTemplate } from "../support/executions.ts";

async function fireCron(at: Date): Promise<void> {
  const ctx = createExecutionContext();
  worker.scheduled(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function executionsOf(template: string) {
  return (await apiJson(`/v1/executions?template=${template}`)).executions;
}

describe("schedules", () => {
  it("starts a scheduled template once per matching minute, with its params", async () => {
    await saveTemplate({
      id: "nightly",
      name: "Nightly",
      params: { theme: { type: "string", required: true } },
      steps: [{ id: "a", agent: "echo", input: { value: "{{params.theme}}" } }],
      schedule: { cron: "30 2 * * *", params: { theme: "space" } },
    });
    await fireCron(new Date("2026-11-23T02:29:00Z"));
    expect(await executionsOf("nightly")).toHaveLength(0);
    await fireCron(new Date("2026-11-23T02:30:00Z"));
    await fireCron(new Date("2026-11-23T02:30:20Z"));
    const runs = await executionsOf("nightly");
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ params: { theme: "space" }, createdBy: "system:schedule" });
    await fireCron(new Date("2026-11-24T02:30:00Z"));
    expect(await executionsOf("nightly")).toHaveLength(2);
  });

  it("pauses schedules in manual mode and gates them in approval mode", async () => {
    await saveTemplate({ id: "hourly", name: "Hourly", steps: [{ id: "a", agent: "echo" }], schedule: { cron: "0 * * * *" } });
    try {
      await apiJson("/v1/config", { method: "PUT", body: { mode: "manual" } });
      await fireCron(new Date("2026-11-23T05:00:00Z"));
      expect(await executionsOf("hourly")).toHaveLength(0);
      await apiJson("/v1/config", { method: "PUT", body: { mode: "approval" } });
      await fireCron(new Date("2026-11-23T06:00:00Z"));
      const [gated] = await executionsOf("hourly");
      expect(gated).toMatchObject({ status: "waiting", startedAt: null });
    } finally {
      await apiJson("/v1/config", { method: "PUT", body: { mode: "auto" } });
    }
  });
});
