/** Usage and cost rolled up by day, template or agent over a time range (`GET /v1/usage`). */
import { and, gte, lte, sql, type SQL } from "drizzle-orm";
import type { UsageGrouping, UsageRow } from "#shared/api/resources.ts";
import type { Database } from "../db/client.ts";
import { usage } from "../db/schema.ts";

const columns = { day: usage.day, template: usage.templateId, agent: usage.agent } as const;

export async function usageReport(db: Database, groupBy: UsageGrouping, since?: number, until?: number): Promise<{ rows: UsageRow[]; total: UsageRow }> {
  const conditions: SQL[] = [];
  if (since !== undefined) conditions.push(gte(usage.createdAt, since));
  if (until !== undefined) conditions.push(lte(usage.createdAt, until));
  const key = columns[groupBy];
  const sums = {
    attempts: sql<number>`COUNT(*)`,
    executions: sql<number>`COUNT(DISTINCT ${usage.executionId})`,
    inputTokens: sql<number>`COALESCE(SUM(${usage.inputTokens}), 0)`,
    outputTokens: sql<number>`COALESCE(SUM(${usage.outputTokens}), 0)`,
    cachedTokens: sql<number>`COALESCE(SUM(${usage.cachedTokens}), 0)`,
    costUsd: sql<number>`COALESCE(SUM(${usage.costUsd}), 0)`,
  };
  const where = conditions.length > 0 ? and(...conditions) : undefined;
  const rows = await db.select({ key, ...sums }).from(usage).where(where).groupBy(key).orderBy(key);
  const [total] = await db.select(sums).from(usage).where(where);
  return { rows, total: { key: "total", ...(total ?? { attempts: 0, executions: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0 }) } };
}
