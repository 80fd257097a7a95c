/**
 * Proves the queue: never more running than the global, template and key limits allow under a burst,
 * everything queued eventually runs, priority order (then first come), reprioritizing and removing
 * queued executions, and `GET /v1/queue` naming each waiting execution's position and reason.
 */
import { describe, expect, it } from "vitest";
import type { ExecutionState } from "#shared/execution.ts";
import { api, apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";

/** The most executions that ran at the same moment, from their start and end times. */
function peakConcurrency(executions: ExecutionState[]): number {
  const points = executions.flatMap((e) => [
    { at: e.startedAt!, delta: 1 },
    { at: e.endedAt!, delta: -1 },
  ]);
  points.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let now = 0;
  let peak = 0;
  for (const p of points) peak = Math.max(peak, (now += p.delta));
  return peak;
}

const sleeper = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id,
  params: { theme: { type: "string", default: "any" }, ms: { type: "integer", default: 150 } },
  steps: [{ id: "work", agent: "echo", input: { value: "{{params.theme}}", delayMs: "{{params.ms}}" } }],
  ...extra,
});

describe("dispatcher", () => {
  it("holds the global limit under a burst and runs everything in the end", async () => {
    await apiJson("/v1/config", { method: "PUT", body: { globalConcurrency: 3 } });
    await saveTemplate(sleeper("burst"));
    const ids = await Promise.all(Array.from({ length: 12 }, () => start("burst")));
    const done = await Promise.all(ids.map((id) => waitFor(id, undefined, 20_000)));
    expect(done.every((e) => e.status === "completed")).toBe(true);
    expect(peakConcurrency(done)).toBeLessThanOrEqual(3);
    expect(peakConcurrency(done)).toBeGreaterThanOrEqual(2);
    await apiJson("/v1/config", { method: "PUT", body: { globalConcurrency: 50 } });
  });

  it("shows the waiting ones in GET /v1/queue with their position and reason", async () => {
    await saveTemplate(sleeper("limited", { concurrency: { limit: 2 } }));
    // The first two hold the template's places long enough for the queue to be looked at.
    const ids = [];
    for (let i = 0; i < 10; i++) ids.push(await start("limited", { ms: i < 2 ? 1500 : 10 }));
    const queue = await apiJson("/v1/queue");
    const ours = queue.queued.filter((q: { templateId: string }) => q.templateId === "limited");
    expect(queue.running.filter((r: { templateId: string }) => r.templateId === "limited")).toHaveLength(2);
    expect(ours).toHaveLength(8);
    expect(ours.map((q: { position: number }) => q.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ours[0].reason).toBe('template "limited" limit reached: 2 of 2 running');
    expect(ours.map((q: { executionId: string }) => q.executionId)).toEqual(ids.slice(2));
    const states = await Promise.all(ids.map((id) => waitFor(id, undefined, 20_000)));
    expect(peakConcurrency(states)).toBe(2);
  });

  it("admits by priority, then first come", async () => {
    await saveTemplate(sleeper("ordered", { concurrency: { limit: 1 } }));
    const first = await start("ordered", { ms: 400 });
    const low = await start("ordered", { ms: 10 }, { priority: -5 });
    const normal = await start("ordered", { ms: 10 });
    const high = await start("ordered", { ms: 10 }, { priority: 5 });
    const [a, l, n, h] = await Promise.all([first, low, normal, high].map((id) => waitFor(id)));
    expect(a!.startedAt!).toBeLessThan(h!.startedAt!);
    expect(h!.startedAt!).toBeLessThan(n!.startedAt!);
    expect(n!.startedAt!).toBeLessThan(l!.startedAt!);
  });

  it("limits per concurrency key: one theme at a time, other themes in parallel", async () => {
    await saveTemplate(sleeper("per-theme", { concurrency: { limit: 1, key: "{{params.theme}}" } }));
    const space1 = await start("per-theme", { theme: "space", ms: 300 });
    const space2 = await start("per-theme", { theme: "space", ms: 300 });
    const sea = await start("per-theme", { theme: "sea", ms: 300 });
    const queue = await apiJson("/v1/queue");
    expect(queue.queued.filter((q: { templateId: string }) => q.templateId === "per-theme")).toEqual([
      expect.objectContaining({ executionId: space2, concurrencyKey: "space", reason: expect.stringContaining('concurrency key "space"') }),
    ]);
    const [s1, s2, se] = await Promise.all([space1, space2, sea].map((id) => waitFor(id)));
    expect(se!.startedAt!).toBeLessThan(s1!.endedAt!);
    expect(s2!.startedAt!).toBeGreaterThanOrEqual(s1!.endedAt!);
  });

  it("reprioritizes and removes queued executions", async () => {
    await saveTemplate(sleeper("movable", { concurrency: { limit: 1 } }));
    const running = await start("movable", { ms: 1500 });
    const a = await start("movable", { ms: 10 });
    const b = await start("movable", { ms: 10 });
    const c = await start("movable", { ms: 10 });
    await apiJson(`/v1/executions/${c}`, { method: "PATCH", body: { priority: 10 } });
    const queuedIds = async () =>
      (await apiJson("/v1/queue")).queued.filter((q: { templateId: string }) => q.templateId === "movable").map((q: { executionId: string }) => q.executionId);
    expect(await queuedIds()).toEqual([c, a, b]);
    await apiJson(`/v1/executions/${a}/cancel`, { body: { reason: "not needed" } });
    expect(await queuedIds()).toEqual([c, b]);
    expect((await waitFor(a)).status).toBe("cancelled");
    await Promise.all([running, b, c].map((id) => waitFor(id)));
    const late = await api(`/v1/executions/${b}`, { method: "PATCH", body: { priority: 1 } });
    expect(late.status).toBe(409);
    const bad = await api(`/v1/executions/${b}`, { method: "PATCH", body: { priority: 1000 } });
    expect(bad.status).toBe(422);
  });
});
