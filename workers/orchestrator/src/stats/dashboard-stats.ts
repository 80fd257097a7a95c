/**
 * `GET /v1/stats`: the dashboard's numbers counted in D1 in one batch: executions by status now,
 * today's outcomes and cost, per-hour and per-day series, and the templates run most in the last 24
 * hours. Indexes make each query a range scan (executions by creation and by end time, usage by
 * creation time; migration 0006). D1 binds numbers as REAL, so bucket numbers are CAST back to integers.
 */
import { executionStatuses, type ExecutionStatus } from "#shared/execution.ts";
import type { Stats } from "#shared/api/stats.ts";
import { type BucketRows, DAY_MS, fillBuckets, HOUR_MS, lastPeriods, type Span } from "./buckets.ts";

const FINISHED = "('completed', 'failed', 'cancelled')";

function seriesStatements(d1: D1Database, span: Span): D1PreparedStatement[] {
  const end = span.start + span.count * span.size;
  return [
    d1
      .prepare("SELECT CAST((created_at - ?1) / ?3 AS INTEGER) AS b, COUNT(*) AS n FROM executions WHERE created_at >= ?1 AND created_at < ?2 GROUP BY b")
      .bind(span.start, end, span.size),
    d1
      .prepare(
        `SELECT CAST((ended_at - ?1) / ?3 AS INTEGER) AS b, status, COUNT(*) AS n FROM executions WHERE ended_at >= ?1 AND ended_at < ?2 AND status IN ${FINISHED} GROUP BY b, status`,
      )
      .bind(span.start, end, span.size),
    d1.prepare("SELECT CAST((created_at - ?1) / ?3 AS INTEGER) AS b, SUM(cost_usd) AS cost FROM usage WHERE created_at >= ?1 AND created_at < ?2 GROUP BY b").bind(span.start, end, span.size),
  ];
}

function rowsOf(results: D1Result[], from: number): BucketRows {
  return {
    created: results[from]!.results as BucketRows["created"],
    ended: results[from + 1]!.results as BucketRows["ended"],
    cost: results[from + 2]!.results as BucketRows["cost"],
  };
}

export async function dashboardStats(d1: D1Database, options: { utcOffsetMinutes: number; days: number }, now = Date.now()): Promise<Stats> {
  const hours = lastPeriods(now, HOUR_MS, 24, options.utcOffsetMinutes);
  const days = lastPeriods(now, DAY_MS, options.days, options.utcOffsetMinutes);
  const results = await d1.batch([
    d1.prepare("SELECT status, COUNT(*) AS n FROM executions GROUP BY status"),
    ...seriesStatements(d1, hours),
    ...seriesStatements(d1, days),
    d1
      .prepare(
        "SELECT template_id AS templateId, COUNT(*) AS created, SUM(status = 'failed') AS failed FROM executions WHERE created_at >= ? GROUP BY template_id ORDER BY created DESC, template_id LIMIT 10",
      )
      .bind(now - DAY_MS),
  ]);
  const byStatus = Object.fromEntries(executionStatuses.map((status) => [status, 0])) as Record<ExecutionStatus, number>;
  for (const row of results[0]!.results as { status: string; n: number }[]) {
    if (row.status in byStatus) byStatus[row.status as ExecutionStatus] = row.n;
  }
  const hourly = fillBuckets(hours, rowsOf(results, 1));
  const daily = fillBuckets(days, rowsOf(results, 4));
  const today = daily[daily.length - 1]!;
  const finished = today.completed + today.failed + today.cancelled;
  return {
    at: now,
    utcOffsetMinutes: options.utcOffsetMinutes,
    byStatus,
    today: {
      since: today.start,
      created: today.created,
      finished,
      completed: today.completed,
      failed: today.failed,
      cancelled: today.cancelled,
      successRate: today.completed + today.failed > 0 ? today.completed / (today.completed + today.failed) : null,
      costUsd: today.costUsd,
    },
    hourly,
    daily,
    topTemplates: results[7]!.results as Stats["topTemplates"],
  };
}
