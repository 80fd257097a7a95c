/**
 * How well each agent performs, from step history (`step_runs`, which executions keep current): runs,
 * success rate, p50/p95 duration and cost over the last 24 hours and all time, and the steps on it now.
 * Percentiles are nearest-rank over completed steps, computed in SQL so that no history is shipped out
 * of D1; three queries answer for every agent at once.
 */
import { sql } from "drizzle-orm";
import type { ActiveStep, AgentMetrics } from "#shared/api/agents.ts";
import type { Database } from "../db/client.ts";

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Active steps listed per agent; a busy agent's list is a sample, not a census. */
const ACTIVE_PER_AGENT = 50;

export const NO_RUNS: AgentMetrics = { runs: 0, succeeded: 0, failed: 0, successRate: null, p50DurationMs: null, p95DurationMs: null, costUsd: 0 };

export interface AgentPerformance {
  metrics: { last24h: AgentMetrics; allTime: AgentMetrics };
  activeSteps: ActiveStep[];
}

interface MetricsRow {
  agent: string;
  runs: number;
  succeeded: number;
  failed: number;
  cost: number | null;
  p50: number | null;
  p95: number | null;
}

interface ActiveRow {
  agent: string;
  execution_id: string;
  step_id: string;
  status: ActiveStep["status"];
  attempts: number;
  started_at: number | null;
  waiting_for: string | null;
}

/** Performance of the named agents (all agents with history when `only` is absent). */
export async function agentPerformance(db: Database, now: number, only?: string): Promise<Map<string, AgentPerformance>> {
  const [day, all, active] = await Promise.all([
    db.all<MetricsRow>(metricsQuery(now - DAY_MS, only)),
    db.all<MetricsRow>(metricsQuery(null, only)),
    db.all<ActiveRow>(sql`
      SELECT agent, execution_id, step_id, status, attempts, started_at, waiting_for FROM (
        SELECT *, ROW_NUMBER() OVER (PARTITION BY agent ORDER BY started_at) AS rn FROM step_runs
        WHERE type = 'agent' AND status IN ('running', 'retrying', 'waiting') ${only === undefined ? sql`` : sql`AND agent = ${only}`}
      ) WHERE rn <= ${ACTIVE_PER_AGENT} ORDER BY agent, started_at`),
  ]);
  const found = new Map<string, AgentPerformance>();
  const entry = (agent: string) => {
    let performance = found.get(agent);
    if (!performance) found.set(agent, (performance = { metrics: { last24h: NO_RUNS, allTime: NO_RUNS }, activeSteps: [] }));
    return performance;
  };
  for (const row of day) entry(row.agent).metrics.last24h = toMetrics(row);
  for (const row of all) entry(row.agent).metrics.allTime = toMetrics(row);
  for (const row of active) {
    entry(row.agent).activeSteps.push({
      executionId: row.execution_id,
      stepId: row.step_id,
      status: row.status,
      attempts: row.attempts,
      startedAt: row.started_at,
      waitingFor: row.waiting_for,
    });
  }
  return found;
}

export function performanceOf(found: Map<string, AgentPerformance>, agent: string): AgentPerformance {
  return found.get(agent) ?? { metrics: { last24h: NO_RUNS, allTime: NO_RUNS }, activeSteps: [] };
}

function metricsQuery(since: number | null, only: string | undefined) {
  // Nearest rank: the p-th percentile is the smallest duration whose rank reaches p × n.
  return sql`
    WITH ended AS (
      SELECT agent, status, duration_ms, cost_usd FROM step_runs
      WHERE type = 'agent' AND agent IS NOT NULL AND status IN ('completed', 'failed')
        ${since === null ? sql`` : sql`AND ended_at >= ${since}`} ${only === undefined ? sql`` : sql`AND agent = ${only}`}
    ), ranked AS (
      SELECT agent, duration_ms,
        ROW_NUMBER() OVER (PARTITION BY agent ORDER BY duration_ms) AS rn,
        COUNT(*) OVER (PARTITION BY agent) AS n
      FROM ended WHERE status = 'completed' AND duration_ms IS NOT NULL
    ), percentiles AS (
      SELECT agent, MIN(CASE WHEN rn >= 0.5 * n THEN duration_ms END) AS p50, MIN(CASE WHEN rn >= 0.95 * n THEN duration_ms END) AS p95
      FROM ranked GROUP BY agent
    )
    SELECT e.agent AS agent, COUNT(*) AS runs, SUM(e.status = 'completed') AS succeeded, SUM(e.status = 'failed') AS failed,
      SUM(e.cost_usd) AS cost, MAX(p.p50) AS p50, MAX(p.p95) AS p95
    FROM ended e LEFT JOIN percentiles p ON p.agent = e.agent
    GROUP BY e.agent`;
}

function toMetrics(row: MetricsRow): AgentMetrics {
  const runs = Number(row.runs);
  const succeeded = Number(row.succeeded);
  return {
    runs,
    succeeded,
    failed: Number(row.failed),
    successRate: runs > 0 ? succeeded / runs : null,
    p50DurationMs: row.p50 === null ? null : Number(row.p50),
    p95DurationMs: row.p95 === null ? null : Number(row.p95),
    // Rounded like agents round their own costs, so sums of small floats stay readable.
    costUsd: Math.round(Number(row.cost ?? 0) * 1e8) / 1e8,
  };
}
