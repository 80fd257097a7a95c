/**
 * The cron handler (wrangler.toml `[triggers]`, every minute): runs each periodic job on its own, so one
 * failing job never stops the others.
 */
import { checkAllAgents } from "./agents/health-check.ts";
import { pruneLogs } from "./logs/prune.ts";
import { runSchedules } from "./schedules/run-schedules.ts";
import { watchDailyBudgets } from "./usage/budget-watch.ts";
import { redeliverOverdueWebhooks } from "./webhooks/overdue.ts";

export type CronJob = (env: Env, now: Date) => Promise<void>;

/** The jobs run on every tick, by name (the name appears in logs). */
export const cronJobs: Record<string, CronJob> = {
  agentHealth: checkAllAgents,
  schedules: async (env, now) => void (await runSchedules(env, now)),
  dailyBudgets: watchDailyBudgets,
  webhooks: redeliverOverdueWebhooks,
  logRetention: pruneLogs,
};

export async function runCron(controller: ScheduledController, env: Env): Promise<void> {
  const now = new Date(controller.scheduledTime);
  const results = await Promise.allSettled(Object.values(cronJobs).map((job) => job(env, now)));
  const names = Object.keys(cronJobs);
  results.forEach((result, i) => {
    if (result.status === "rejected") console.error(`cron job ${names[i]} failed`, result.reason);
  });
}
