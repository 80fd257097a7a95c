/**
 * What has been spent today (UTC), in total and per template, from the usage rows executions write, and
 * the daily budgets checked against it when an execution starts.
 */
import { and, eq, sql } from "drizzle-orm";
import type { BatonConfig } from "#shared/config.ts";
import type { Database } from "../db/client.ts";
import { usage } from "../db/schema.ts";

export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export async function spentOn(db: Database, day: string, templateId?: string): Promise<number> {
  const [row] = await db
    .select({ total: sql<number>`COALESCE(SUM(${usage.costUsd}), 0)` })
    .from(usage)
    .where(templateId ? and(eq(usage.day, day), eq(usage.templateId, templateId)) : eq(usage.day, day));
  return row?.total ?? 0;
}

export interface DailyBudgetState {
  scope: "total" | "template";
  templateId?: string;
  budgetUsd: number;
  spentUsd: number;
  day: string;
}

/** The daily budgets that apply to a start of `templateId`, with today's spend against each. */
export async function dailyBudgets(db: Database, config: BatonConfig, templateId: string, now = Date.now()): Promise<DailyBudgetState[]> {
  const day = utcDay(now);
  const states: DailyBudgetState[] = [];
  if (config.dailyBudgetUsd !== null) {
    states.push({ scope: "total", budgetUsd: config.dailyBudgetUsd, spentUsd: await spentOn(db, day), day });
  }
  const perTemplate = config.templateDailyBudgetsUsd[templateId];
  if (perTemplate !== undefined) {
    states.push({ scope: "template", templateId, budgetUsd: perTemplate, spentUsd: await spentOn(db, day, templateId), day });
  }
  return states;
}
