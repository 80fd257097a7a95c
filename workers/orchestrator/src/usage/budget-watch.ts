/** Cron job: raises the 80 % alert of every daily budget as soon as spend crosses it, even with no new start. */
import { loadConfig } from "../config/store.ts";
import { database } from "../db/client.ts";
import { historyUpToDate } from "../history/writer.ts";
import { raiseBudgetAlerts } from "./alerts.ts";
import { type DailyBudgetState, spentOn, utcDay } from "./spend.ts";

export async function watchDailyBudgets(env: Env, now: Date): Promise<void> {
  const db = database(env.DB);
  const config = await loadConfig(db);
  await historyUpToDate(env);
  const day = utcDay(now.getTime());
  const states: DailyBudgetState[] = [];
  if (config.dailyBudgetUsd !== null) states.push({ scope: "total", budgetUsd: config.dailyBudgetUsd, spentUsd: await spentOn(db, day), day });
  for (const [templateId, budgetUsd] of Object.entries(config.templateDailyBudgetsUsd)) {
    states.push({ scope: "template", templateId, budgetUsd, spentUsd: await spentOn(db, day, templateId), day });
  }
  await raiseBudgetAlerts(env, db, states);
}
