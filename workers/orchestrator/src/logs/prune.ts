/**
 * The cron's pruning of the cross-execution log: lines older than `logRetentionDays` go, at most
 * PRUNE_BATCH per tick so that one tick never holds D1 for long (a backlog clears over a few minutes).
 */
import { loadConfig } from "../config/store.ts";
import { database } from "../db/client.ts";

const PRUNE_BATCH = 10_000;
const DAY_MS = 86_400_000;

export async function pruneLogs(env: Env, now: Date): Promise<void> {
  const { logRetentionDays } = await loadConfig(database(env.DB));
  await env.DB.prepare("DELETE FROM logs WHERE id IN (SELECT id FROM logs WHERE at < ? ORDER BY at LIMIT ?)")
    .bind(now.getTime() - logRetentionDays * DAY_MS, PRUNE_BATCH)
    .run();
}
