/**
 * Budget alerts: once spend crosses 80 % of a daily budget, an alert is raised, once per budget and day.
 * It is recorded in D1 and published on the live event stream (`GET /v1/events`, type `budget.alert`),
 * where webhooks pick it up.
 */
import type { Database } from "../db/client.ts";
import { alerts } from "../db/schema.ts";
import { firstControlShard } from "../control-plane/control-shards.ts";
import type { DailyBudgetState } from "./spend.ts";

export const ALERT_THRESHOLD = 0.8;

export async function raiseBudgetAlerts(env: Env, db: Database, states: readonly DailyBudgetState[]): Promise<void> {
  for (const state of states) {
    if (state.spentUsd < state.budgetUsd * ALERT_THRESHOLD) continue;
    const key = `budget80:${state.scope}:${state.templateId ?? "*"}:${state.day}`;
    const details = { ...state, threshold: ALERT_THRESHOLD };
    const inserted = await db.insert(alerts).values({ key, kind: "budget.alert", at: Date.now(), details }).onConflictDoNothing().returning();
    if (inserted.length === 0) continue;
    await firstControlShard(env).publish({ type: "budget.alert", at: Date.now(), data: details });
  }
}
