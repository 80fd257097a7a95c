/**
 * Starts templates whose `schedule.cron` matches the current minute (cron job). Each start carries the
 * idempotency key `schedule:<minute>`, so a cron that fires twice for one minute starts nothing twice.
 * In `manual` mode schedules are paused; in `approval` mode their starts wait for an admin like any other.
 */
import { loadConfig } from "../config/store.ts";
import { database } from "../db/client.ts";
import { startExecution } from "../execution/start.ts";
import { parseCron, cronMatches } from "../templates/cron-expression.ts";
import { getTemplate, listTemplates } from "../templates/store.ts";

export async function runSchedules(env: Env, now: Date): Promise<string[]> {
  const db = database(env.DB);
  if ((await loadConfig(db)).mode === "manual") return [];
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const started: string[] = [];
  for (const summary of await listTemplates(db)) {
    const template = (await getTemplate(db, summary.id))?.definition;
    if (!template?.schedule) continue;
    const cron = parseCron(template.schedule.cron);
    if (!cron.ok || !cronMatches(cron.cron, minute)) continue;
    try {
      const { id, created } = await startExecution(
        env,
        db,
        { template: template.id, params: template.schedule.params ?? {}, idempotencyKey: `schedule:${minute.toISOString()}` },
        { kind: "system", name: "schedule" },
      );
      if (created) started.push(id);
    } catch (error) {
      // One template's refusal (a rate limit, a budget) must not keep the others from starting.
      console.error(`scheduled start of ${template.id} refused`, error);
    }
  }
  return started;
}
