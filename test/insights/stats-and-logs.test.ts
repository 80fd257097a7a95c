/**
 * Proves `GET /v1/stats` and `GET /v1/logs` against real executions (echo agent steps, real D1 history):
 * the stats count exactly what ran (by status, today's outcomes, success rate, cost, the hour's and the
 * day's buckets) and follow the caller's UTC offset; agents' log lines reach the cross-execution log
 * through the history writer with their template, and the level, template, execution, text and time
 * filters, cursor paging and `after` following all hold; the cron drops lines past `logRetentionDays`.
 * Bad queries name the field.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { pruneLogs } from "../../workers/orchestrator/src/logs/prune.ts";
import type { LogSearchPage } from "#shared/api/logs.ts";
import type { Stats } from "#shared/api/stats.ts";
import { api, apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";
import { eventually } from "../support/eventually.ts";

const logs = (query: string) => apiJson<LogSearchPage>(`/v1/logs${query}`);

describe("stats and logs", () => {
  const ids: Record<string, string> = {};

  it("runs the executions the numbers come from", async () => {
    await saveTemplate({ id: "paid", name: "Paid", steps: [{ id: "work", agent: "echo", input: { value: 1, costUsd: 0.25 } }] });
    await saveTemplate({
      id: "flaky",
      name: "Flaky",
      params: { times: { type: "integer", default: 1 } },
      steps: [{ id: "try", agent: "echo", input: { fail: { times: "{{params.times}}" } }, retry: { limit: 1, delayMs: 10 } }],
    });
    ids.paid1 = await start("paid");
    ids.paid2 = await start("paid");
    ids.recovers = await start("flaky", { times: 1 });
    ids.fails = await start("flaky", { times: 5 });
    const ended = await Promise.all(Object.values(ids).map((id) => waitFor(id)));
    expect(ended.map((e) => e.status).sort()).toEqual(["completed", "completed", "completed", "failed"]);
  });

  it("counts them exactly, by status, today, per hour and per day", async () => {
    const stats = await apiJson<Stats>("/v1/stats");
    expect(stats.byStatus).toMatchObject({ completed: 3, failed: 1, running: 0, queued: 0 });
    expect(stats.today).toMatchObject({ created: 4, finished: 4, completed: 3, failed: 1, cancelled: 0, successRate: 0.75, costUsd: 0.5 });
    expect(stats.hourly).toHaveLength(24);
    expect(stats.daily).toHaveLength(14);
    const thisHour = stats.hourly[23]!;
    expect(thisHour).toMatchObject({ created: 4, completed: 3, failed: 1, costUsd: 0.5 });
    expect(stats.hourly.slice(0, 23).every((b) => b.created === 0 && b.costUsd === 0)).toBe(true);
    expect(stats.daily[13]).toMatchObject({ created: 4, completed: 3, failed: 1, costUsd: 0.5, start: stats.today.since });
    expect(stats.today.since).toBe(Math.floor(stats.at / 86_400_000) * 86_400_000);
    expect(stats.topTemplates).toEqual([
      { templateId: "flaky", created: 2, failed: 1 },
      { templateId: "paid", created: 2, failed: 0 },
    ]);
  });

  it("begins today at the caller's midnight", async () => {
    const stats = await apiJson<Stats>("/v1/stats?utcOffsetMinutes=330&days=3");
    const offset = 330 * 60_000;
    expect(stats.today.since).toBe(Math.floor((stats.at + offset) / 86_400_000) * 86_400_000 - offset);
    expect(stats.daily).toHaveLength(3);
    expect(stats.daily.reduce((sum, b) => sum + b.created, 0)).toBe(4);
    const bad = await api("/v1/stats?utcOffsetMinutes=9999&days=0");
    expect(bad.status).toBe(422);
    const body = await bad.json<{ error: { details: { path: string }[] } }>();
    expect(body.error.details.map((d) => d.path).sort()).toEqual(["days", "utcOffsetMinutes"]);
  });

  it("shows agents' log lines across executions, with their template, filtered", async () => {
    // Each failing attempt logs one warning: 1 for the one that recovers, 2 (both attempts) for the one that fails.
    const all = await eventually(() => logs("?level=warn"), (page) => page.logs.length >= 3);
    expect(all.logs).toHaveLength(3);
    expect(all.logs.every((line) => line.templateId === "flaky" && line.level === "warn" && line.stepId === "try")).toBe(true);
    // Newest first.
    expect(all.logs.map((l) => l.id)).toEqual([...all.logs.map((l) => l.id)].sort((a, b) => b - a));

    const failing = await logs(`?execution=${ids.fails}`);
    expect(failing.logs.map((l) => l.attempt).sort()).toEqual([1, 2]);
    expect((await logs("?template=paid")).logs).toEqual([]);
    expect((await logs("?level=error")).logs).toEqual([]);
    expect((await logs(`?q=${encodeURIComponent("ATTEMPT 2 FAILS")}`)).logs.map((l) => l.executionId)).toEqual([ids.fails]);
    expect((await logs(`?since=${Date.now() + 60_000}`)).logs).toEqual([]);
    expect((await logs(`?until=${all.logs[2]!.at}`)).logs.every((l) => l.at < all.logs[2]!.at)).toBe(true);
  });

  it("pages with a cursor and follows with after", async () => {
    const first = await logs("?limit=2");
    expect(first.logs).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await logs(`?limit=2&cursor=${first.nextCursor}`);
    expect(second.logs).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const everyId = [...first.logs, ...second.logs].map((l) => l.id);
    expect(new Set(everyId).size).toBe(3);

    const oldest = Math.min(...everyId);
    const following = await logs(`?after=${oldest}`);
    expect(following.logs.map((l) => l.id)).toEqual(everyId.filter((id) => id > oldest).sort((a, b) => a - b));
    expect(following.nextCursor).toBeNull();

    const bad = await api("/v1/logs?cursor=bm9wZQ&level=loud");
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain("level");
    const forged = await api("/v1/logs?cursor=bm9wZQ");
    expect(forged.status).toBe(422);
    expect(JSON.stringify(await forged.json())).toContain("cursor");
  });

  it("drops lines older than logRetentionDays on the cron, and keeps the rest", async () => {
    await apiJson("/v1/config", { method: "PUT", body: { logRetentionDays: 2 } });
    const before = (await logs("")).logs.length;
    expect(before).toBe(3);
    await pruneLogs(env, new Date(Date.now() + 86_400_000));
    expect((await logs("")).logs).toHaveLength(3);
    await pruneLogs(env, new Date(Date.now() + 3 * 86_400_000));
    expect((await logs("")).logs).toHaveLength(0);
  });
});
