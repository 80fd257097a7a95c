/**
 * Proves `GET /v1/insights` against a seeded D1 history: runs, completed, failed, cost and last run per
 * key over 7, 30 and 90 days, with rows just inside and just outside each window boundary; saturation
 * against the template's rate limit (used/allowed and when the next place frees); sorting by runs then
 * key, cursor paging, and refusals that name `by`. Then, with real executions, that its saturation agrees
 * with the dispatcher's own refusal of one start too many.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Insights } from "#shared/api/insights.ts";
import { api, apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";

const DAY = 86_400_000;
const now = Date.now();

type Seed = { theme: string; ago: number; status: string; cost: number; template?: string };

const seeds: Seed[] = [
  { theme: "space", ago: 1 * DAY, status: "completed", cost: 0.1 },
  { theme: "space", ago: 10 * DAY, status: "failed", cost: 0.2 },
  { theme: "space", ago: 30 * DAY - 60_000, status: "completed", cost: 0.3 }, // a minute inside 30 days
  { theme: "ocean", ago: 2 * DAY, status: "completed", cost: 0.05 },
  { theme: "ocean", ago: 30 * DAY + 60_000, status: "completed", cost: 1 }, // a minute outside 30 days
  { theme: "ocean", ago: 60 * DAY, status: "cancelled", cost: 0 },
  { theme: "forest", ago: 5 * DAY, status: "running", cost: 0.01 },
  { theme: "space", ago: 1 * DAY, status: "completed", cost: 9, template: "other-themes" }, // another template
];

beforeAll(async () => {
  const template = {
    id: "themes",
    name: "Themes",
    params: { theme: { type: "string", required: true }, pages: { type: "integer", default: 3 } },
    steps: [{ id: "make", agent: "echo", input: { value: "{{params.theme}}" } }],
    rateLimit: { key: "{{params.theme}}", limit: 3, window: "30d" },
  };
  await saveTemplate(template);
  await saveTemplate({ ...template, id: "other-themes", name: "Other themes" });
  await saveTemplate({ id: "plain", name: "Plain", params: { name: { type: "string", default: "x" } }, steps: [{ id: "a", agent: "echo" }] });
  const insert = env.DB.prepare(
    `INSERT INTO executions (id, template_id, template_version, status, params, rate_key, cost_usd, created_by, created_at, updated_at)
     VALUES (?, ?, 1, ?, ?, ?, ?, 'seed', ?, ?)`,
  );
  await env.DB.batch(
    seeds.map((seed, index) =>
      insert.bind(`ex_seed${index}`, seed.template ?? "themes", seed.status, JSON.stringify({ theme: seed.theme, pages: 3 }), seed.theme, seed.cost, now - seed.ago, now - seed.ago),
    ),
  );
});

const insights = (query: string) => apiJson<Insights>(`/v1/insights?${query}`);

describe("GET /v1/insights over a seeded history", () => {
  it("counts per key in the 30-day window, with saturation against the rate limit", async () => {
    const report = await insights("template=themes&by=theme&window=30d");
    expect(report.rateLimit).toEqual({ key: "{{params.theme}}", limit: 3, window: "30d" });
    expect(report.choices).toEqual(["theme", "pages", "rateKey"]);
    expect(report.keys.map((k) => [k.key, k.runs, k.completed, k.failed])).toEqual([
      ["space", 3, 2, 1],
      ["forest", 1, 0, 0],
      ["ocean", 1, 1, 0],
    ]);
    const [space, forest, ocean] = report.keys;
    expect(space!.costUsd).toBeCloseTo(0.6);
    expect(space!.lastRunAt).toBe(now - DAY);
    expect(space!.recent.map((r) => r.status)).toEqual(["completed", "failed", "completed"]);
    // Full: the start a minute inside the window frees its place when it ages out, a minute from now.
    expect(space!.rate).toEqual({ used: 3, allowed: 3, window: "30d", freesAt: now - (30 * DAY - 60_000) + 30 * DAY });
    expect(ocean!.rate).toEqual({ used: 1, allowed: 3, window: "30d", freesAt: null });
    expect(forest!.rate?.used).toBe(1);
  });

  it("moves the window: 7 days and 90 days", async () => {
    const week = await insights("template=themes&by=theme&window=7d");
    expect(week.keys.map((k) => [k.key, k.runs])).toEqual([["forest", 1], ["ocean", 1], ["space", 1]]);
    // The rate limit keeps its own 30-day window whatever the insights window is.
    expect(week.keys.find((k) => k.key === "space")!.rate?.used).toBe(3);
    const quarter = await insights("template=themes&by=theme&window=90d");
    expect(quarter.keys.map((k) => [k.key, k.runs])).toEqual([["ocean", 3], ["space", 3], ["forest", 1]]);
    expect(quarter.keys[0]!.costUsd).toBeCloseTo(1.05);
  });

  it("defaults to the rate key and pages with a cursor", async () => {
    const first = await insights("template=themes&limit=2");
    expect(first.by).toBe("rateKey");
    expect(first.window).toBe("30d");
    expect(first.keys.map((k) => k.key)).toEqual(["space", "forest"]);
    expect(first.nextCursor).not.toBeNull();
    const second = await insights(`template=themes&limit=2&cursor=${first.nextCursor}`);
    expect(second.keys.map((k) => k.key)).toEqual(["ocean"]);
    expect(second.nextCursor).toBeNull();
  });

  it("groups by any param, without saturation when the limit is not on it", async () => {
    const report = await insights("template=themes&by=pages&window=90d");
    expect(report.rateLimit).toBeNull();
    expect(report.keys).toMatchObject([{ key: "3", runs: 7, rate: null }]);
  });

  it("names `by` when it is wrong or needed, and 404s an unknown template", async () => {
    const wrong = await api("/v1/insights?template=themes&by=colour");
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as { error: { details: { path: string; message: string }[] } }).error.details).toEqual([
      { path: "by", message: expect.stringContaining("use one of theme, pages, rateKey") },
    ]);
    const needed = await api("/v1/insights?template=plain");
    expect(needed.status).toBe(422);
    expect(await needed.text()).toContain("group by one of its params: name");
    expect((await api("/v1/insights?template=nothing&by=x")).status).toBe(404);
    expect((await api("/v1/insights?template=themes&window=1y")).status).toBe(422);
  });
});

describe("insights and the dispatcher agree", () => {
  it("shows a key full exactly when the next start is refused, and when it frees", async () => {
    await saveTemplate({
      id: "limited",
      name: "Limited",
      params: { topic: { type: "string", required: true } },
      steps: [{ id: "a", agent: "echo" }],
      rateLimit: { key: "{{params.topic}}", limit: 2, window: "1h" },
    });
    await waitFor(await start("limited", { topic: "cats" }));
    const before = await insights("template=limited&by=topic&window=7d");
    expect(before.keys[0]!.rate).toMatchObject({ used: 1, allowed: 2, freesAt: null });
    await waitFor(await start("limited", { topic: "cats" }));
    const refused = await api("/v1/executions", { body: { template: "limited", params: { topic: "cats" } } });
    expect(refused.status).toBe(429);
    const { error } = (await refused.json()) as { error: { details: { freesAt: number } } };
    const full = await insights("template=limited&by=topic&window=7d");
    expect(full.keys[0]).toMatchObject({ key: "cats", runs: 2, completed: 2 });
    expect(full.keys[0]!.rate).toMatchObject({ used: 2, allowed: 2, window: "1h" });
    // Both count the first start's time; D1's created_at and the dispatcher's clock differ by milliseconds.
    expect(Math.abs(full.keys[0]!.rate!.freesAt! - error.details.freesAt)).toBeLessThan(1000);
  });
});
