/**
 * Proves the per-agent metrics of `GET /v1/agents` and `GET /v1/agents/:name` against a seeded step
 * history: runs, success rate, nearest-rank p50/p95 of completed steps, cost, over the last 24 hours and
 * all time, and the steps on the agent now; cancelled, skipped and non-agent rows do not count. It does
 * not prove executions write that history (the execution tests do).
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { apiJson } from "../support/api.ts";

const HOUR = 60 * 60 * 1000;

interface Seed {
  step: string;
  agent: string | null;
  status: string;
  endedHoursAgo?: number;
  durationMs?: number;
  costUsd?: number;
  type?: string;
  waitingFor?: string;
}

const now = Date.now();
const seeds: Seed[] = [
  // Last 24 hours: ten completed runs of 100…1000 ms at a cent each, two failures at half a cent.
  ...Array.from({ length: 10 }, (_, i) => ({ step: `recent-${i}`, agent: "echo", status: "completed", endedHoursAgo: 1 + i, durationMs: (i + 1) * 100, costUsd: 0.01 })),
  { step: "recent-fail-1", agent: "echo", status: "failed", endedHoursAgo: 2, durationMs: 5000, costUsd: 0.005 },
  { step: "recent-fail-2", agent: "echo", status: "failed", endedHoursAgo: 3, durationMs: 5000, costUsd: 0.005 },
  // Older: three slow completed runs.
  { step: "old-1", agent: "echo", status: "completed", endedHoursAgo: 30, durationMs: 10_000, costUsd: 0.1 },
  { step: "old-2", agent: "echo", status: "completed", endedHoursAgo: 48, durationMs: 20_000, costUsd: 0.1 },
  { step: "old-3", agent: "echo", status: "completed", endedHoursAgo: 24 * 30, durationMs: 30_000, costUsd: 0.1 },
  // Not runs of the agent: cancelled, skipped, and an approval step that carries no agent.
  { step: "cancelled", agent: "echo", status: "cancelled", endedHoursAgo: 1, durationMs: 1, costUsd: 1 },
  { step: "skipped", agent: "echo", status: "skipped", endedHoursAgo: 1, durationMs: 0 },
  { step: "approval", agent: null, status: "completed", endedHoursAgo: 1, durationMs: 99_999, type: "approval" },
  // On the agent now.
  { step: "busy", agent: "echo", status: "running" },
  { step: "held", agent: "echo", status: "waiting", waitingFor: 'agent "echo" is down after 5 failures in a row' },
  // Another agent's run.
  { step: "write", agent: "writer", status: "failed", endedHoursAgo: 1, durationMs: 700 },
];

beforeAll(async () => {
  const insert = env.DB.prepare(
    `INSERT INTO step_runs (execution_id, step_id, type, agent, status, waiting_for, attempts, started_at, ended_at, duration_ms, cost_usd)
     VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
  );
  await env.DB.batch(
    seeds.map((s, i) => {
      const endedAt = s.endedHoursAgo === undefined ? null : now - s.endedHoursAgo * HOUR;
      const startedAt = endedAt === null ? now - 1000 * (i + 1) : endedAt - (s.durationMs ?? 0);
      return insert.bind(`ex_seed_${i}`, s.step, s.type ?? "agent", s.agent, s.status, s.waitingFor ?? null, startedAt, endedAt, s.durationMs ?? null, s.costUsd ?? 0);
    }),
  );
});

describe("agent metrics", () => {
  it("counts runs, success, percentiles and cost over the last 24 hours and all time", async () => {
    const echo = await apiJson("/v1/agents/echo");
    expect(echo.metrics.last24h).toEqual({
      runs: 12,
      succeeded: 10,
      failed: 2,
      successRate: 10 / 12,
      p50DurationMs: 500,
      p95DurationMs: 1000,
      costUsd: 0.11,
    });
    expect(echo.metrics.allTime).toEqual({
      runs: 15,
      succeeded: 13,
      failed: 2,
      successRate: 13 / 15,
      p50DurationMs: 700,
      p95DurationMs: 30_000,
      costUsd: 0.41,
    });
  });

  it("lists the steps on the agent now, oldest first", async () => {
    const echo = await apiJson("/v1/agents/echo");
    const busy = seeds.findIndex((s) => s.step === "busy");
    const held = seeds.findIndex((s) => s.step === "held");
    expect(echo.activeSteps).toEqual([
      { executionId: `ex_seed_${held}`, stepId: "held", status: "waiting", attempts: 1, startedAt: now - 1000 * (held + 1), waitingFor: expect.stringContaining("is down") },
      { executionId: `ex_seed_${busy}`, stepId: "busy", status: "running", attempts: 1, startedAt: now - 1000 * (busy + 1), waitingFor: null },
    ]);
  });

  it("shows the same numbers in the list, and empty metrics for agents without history", async () => {
    const { agents } = await apiJson("/v1/agents");
    const byName = new Map(agents.map((a: { name: string }) => [a.name, a]));
    expect(byName.get("echo")).toMatchObject({ metrics: (await apiJson("/v1/agents/echo")).metrics, activeSteps: expect.any(Array) });
    expect(byName.get("writer")).toMatchObject({
      metrics: { last24h: { runs: 1, succeeded: 0, failed: 1, successRate: 0, p50DurationMs: null, p95DurationMs: null, costUsd: 0 } },
      activeSteps: [],
    });
    expect(byName.get("strategist")).toMatchObject({
      metrics: {
        last24h: { runs: 0, successRate: null, p50DurationMs: null, costUsd: 0 },
        allTime: { runs: 0, successRate: null, p95DurationMs: null, costUsd: 0 },
      },
    });
  });
});
