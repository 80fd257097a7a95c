/**
 * Proves the sharded control plane (CONTROL_SHARDS = 4 in
 * wrangler.toml) keeps every promise the single objects kept: the global limit holds exactly across
 * dispatcher shards (checked from the executions' own events), concurrency keys and rate limits hold
 * across shards, a list right after a burst of starts sees every one, a restarted shard loses no queued
 * execution, and the live feed merges the hub shards with resumable cursors. It does not prove the
 * behaviour when a shard count changes (docs/scale.md says what happens then).
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ControlPlane } from "#shared/api/control-plane.ts";
import type { ExecutionEvent } from "#shared/execution.ts";
import { controlShardNameOf, controlShardOf } from "../../workers/orchestrator/src/control-plane/control-shards.ts";
import { api, apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";

const eventsOf = async (id: string) => ((await env.EXECUTIONS.get(env.EXECUTIONS.idFromName(id)).events(0, 1000)) ?? []) as ExecutionEvent[];

/** [started, ended] of each execution, from its own event log. */
async function runIntervals(ids: readonly string[]): Promise<{ id: string; from: number; to: number }[]> {
  return Promise.all(
    ids.map(async (id) => {
      const events = await eventsOf(id);
      const from = events.find((e) => e.type === "execution.started")!.at;
      const to = events.find((e) => e.type === "execution.completed")!.at;
      return { id, from, to };
    }),
  );
}

/** The most intervals open at one moment (an end at the same ms as a start frees its place first). */
function maxOverlap(intervals: readonly { from: number; to: number }[]): number {
  const points = intervals.flatMap((i) => [{ at: i.from, d: 1 }, { at: i.to, d: -1 }]).sort((a, b) => a.at - b.at || a.d - b.d);
  let open = 0;
  let max = 0;
  for (const p of points) max = Math.max(max, (open += p.d));
  return max;
}

const busyObjects = async (role: string) => ((await apiJson<ControlPlane>("/v1/control-plane")).objects).filter((o) => o.role === role && o.calls > 0).length;

const shardCalls = async () =>
  (await apiJson<ControlPlane>("/v1/control-plane")).objects.filter((o) => o.role === "shard").reduce((sum, o) => sum + o.calls, 0);

async function waitAll(ids: readonly string[], timeoutMs: number): Promise<void> {
  for (const id of ids) expect((await waitFor(id, undefined, timeoutMs)).status).toBe("completed");
}

describe("sharded control plane", () => {
  // 200 executions ten at a time: a few seconds on a quiet machine, minutes on a crowded one.
  it("holds the global limit exactly across dispatcher shards: 200 executions, limit 10", { timeout: 600_000 }, async () => {
    await apiJson("/v1/config", { method: "PUT", body: { globalConcurrency: 10 } });
    await saveTemplate({ id: "spread", name: "Spread", steps: [{ id: "a", agent: "echo", input: { value: 1, delayMs: 20 } }] });
    const ids: string[] = [];
    for (let batch = 0; batch < 4; batch++) ids.push(...(await Promise.all(Array.from({ length: 50 }, () => start("spread")))));
    await waitAll(ids, 550_000);
    const overlap = maxOverlap(await runIntervals(ids));
    expect(overlap).toBeLessThanOrEqual(10);
    // Not one at a time either: the shards shared the ten places.
    expect(overlap).toBeGreaterThan(2);
    expect(new Set(ids.map((id) => controlShardNameOf(env, { executionId: id, templateId: "spread", templateLimit: null, concurrencyKey: null }))).size).toBe(4);
    await apiJson("/v1/config", { method: "PUT", body: { globalConcurrency: 50 } });
  });

  it("keeps each concurrency key to its limit while keys spread over shards, and counts rate limits exactly", { timeout: 120_000 }, async () => {
    await saveTemplate({
      id: "themed",
      name: "Themed",
      params: { theme: { type: "string", required: true } },
      steps: [{ id: "a", agent: "echo", input: { value: "{{params.theme}}", delayMs: 50 } }],
      concurrency: { limit: 1, key: "{{params.theme}}" },
    });
    const themes = ["space", "sea", "forest", "desert", "ice", "city"];
    const ids = await Promise.all(themes.flatMap((theme) => [0, 1, 2].map(() => start("themed", { theme }))));
    await waitAll(ids, 100_000);
    const intervals = await runIntervals(ids);
    for (const [t, theme] of themes.entries()) expect(maxOverlap(intervals.slice(t * 3, t * 3 + 3)), theme).toBe(1);
    expect(maxOverlap(intervals)).toBeGreaterThan(1);
    expect(new Set(themes.map((theme) => controlShardNameOf(env, { executionId: "", templateId: "themed", templateLimit: 1, concurrencyKey: theme }))).size).toBeGreaterThan(1);

    await saveTemplate({
      id: "rated",
      name: "Rated",
      params: { theme: { type: "string", required: true } },
      steps: [{ id: "a", agent: "echo", input: { value: 1 } }],
      rateLimit: { key: "{{params.theme}}", limit: 2, window: "1h" },
    });
    const answers = await Promise.all(
      ["a", "a", "a", "a", "b", "b", "b"].map((theme) => api("/v1/executions", { body: { template: "rated", params: { theme } } }).then((r) => r.status)),
    );
    expect(answers.filter((s) => s === 202)).toHaveLength(4);
    expect(answers.filter((s) => s === 429)).toHaveLength(3);
  });

  it("lists every execution of a burst right after the starts answered, with several history shards", { timeout: 120_000 }, async () => {
    await saveTemplate({ id: "burst", name: "Burst", steps: [{ id: "a", agent: "echo", input: { value: 1, delayMs: 3000 } }] });
    const ids = await Promise.all(Array.from({ length: 40 }, () => start("burst")));
    const listed = await apiJson<{ executions: { id: string }[] }>("/v1/executions?template=burst&limit=100");
    expect(listed.executions.map((e) => e.id).sort()).toEqual([...ids].sort());
    expect(await busyObjects("shard")).toBe(4);
    await waitAll(ids, 100_000);
  });

  it("loses no queued execution when its dispatcher shard restarts", { timeout: 120_000 }, async () => {
    await saveTemplate({ id: "one-by-one", name: "One by one", steps: [{ id: "a", agent: "echo", input: { value: 1, delayMs: 500 } }], concurrency: { limit: 1 } });
    const ids = await Promise.all(Array.from({ length: 5 }, () => start("one-by-one")));
    const shard = controlShardOf(env, { executionId: "", templateId: "one-by-one", templateLimit: 1, concurrencyKey: null });
    const queued = await runInDurableObject(shard, (_, state) => state.storage.sql.exec("SELECT execution_id FROM queued").toArray().length);
    expect(queued).toBeGreaterThanOrEqual(3);
    // What a crash or a deploy does to the object: the instance goes, its storage stays.
    await runInDurableObject(shard, (_, state) => state.abort("test: restart the shard")).catch(() => {});
    await waitAll(ids, 60_000);
    expect(maxOverlap(await runIntervals(ids))).toBe(1);
  });

  it("ends with one call to the shard that holds the execution, also from an execution object that restarted", { timeout: 60_000 }, async () => {
    await saveTemplate({ id: "gated", name: "Gated", steps: [{ id: "review", type: "approval", message: "Go on?" }] });
    const id = await start("gated");
    await waitFor(id, (e) => e.steps.some((s) => s.status === "waiting"));
    // What a crash or a deploy does to the execution: the instance that enqueued it (and knew its shard) goes.
    await runInDurableObject(env.EXECUTIONS.get(env.EXECUTIONS.idFromName(id)), (_, state) => state.abort("test: restart the execution")).catch(() => {});
    const before = await shardCalls();
    await apiJson(`/v1/executions/${id}/steps/review/approve`, { method: "POST" });
    expect((await waitFor(id)).status).toBe("completed");
    const queue = await apiJson<{ running: { executionId: string }[] }>("/v1/queue");
    expect(queue.running.map((r) => r.executionId)).not.toContain(id);
    // Two calls to one shard, not one to each of the four: the restarted object hands its status over once
    // (what the old instance held may never have gone), and the end carries the approval, the completion
    // and the release.
    expect(await shardCalls()).toBe(before + 2);
  });

  it("merges the hub shards into one live feed whose ids resume every shard", { timeout: 60_000 }, async () => {
    await saveTemplate({ id: "feed", name: "Feed", steps: [{ id: "a", agent: "echo", input: { value: 1 } }] });
    const ids = await Promise.all(Array.from({ length: 12 }, () => start("feed")));
    await waitAll(ids, 30_000);
    expect(await busyObjects("shard")).toBeGreaterThan(1);
    const first = await readFeed();
    for (const id of ids) expect(first.events.filter((e) => e.executionId === id && e.type === "execution.completed")).toHaveLength(1);
    expect(first.lastId).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const more = await Promise.all(Array.from({ length: 4 }, () => start("feed")));
    await waitAll(more, 30_000);
    const after = await readFeed(first.lastId);
    // After the cursor: exactly the new executions' events, none of the earlier ones again.
    expect(new Set(after.events.map((e) => e.executionId))).toEqual(new Set(more));
  });
});

/** Reads the live feed until it has been quiet for a moment. */
async function readFeed(lastEventId?: string): Promise<{ events: { type: string; executionId?: string }[]; lastId: string }> {
  const response = await api("/v1/events", lastEventId ? { headers: { "last-event-id": lastEventId } } : {});
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 1500))]);
    if (next === null || next.done) break;
    text += decoder.decode(next.value, { stream: true });
  }
  await reader.cancel().catch(() => {});
  const frames = text.split("\n\n").filter((f) => f.includes("data:"));
  const events = frames.map((f) => JSON.parse(f.split("\n").find((l) => l.startsWith("data:"))!.slice(5)) as { type: string; executionId?: string });
  const ids = frames.map((f) => f.split("\n").find((l) => l.startsWith("id:"))!.slice(3).trim());
  return { events, lastId: ids.at(-1) ?? "" };
}
