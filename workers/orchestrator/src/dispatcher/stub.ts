/**
 * Reaching the dispatcher shards. An execution of a template with a concurrency limit goes to the shard
 * of its template (or of its template and concurrency key), so that one object counts that limit; an
 * execution of a template without one goes to the shard of its own id, so a busy template spreads over
 * every shard. Shard names carry the shard count (`shard:<count>:<index>`; a count of 1 is the
 * original "global"), so a change of the count never mixes two spreads in one object: the shards of
 * the old count drain what they hold (docs/scale.md).
 */
import type { QueueSnapshot } from "#shared/api/resources.ts";
import { loadConfig } from "../config/store.ts";
import { shardCount, shardIndex } from "../config/shards.ts";
import { database } from "../db/client.ts";
import { groupOf, queueOrder, type RunningEntry } from "./admission.ts";
import { GLOBAL_LIMIT_NAME } from "./global-limit-do.ts";

export const DISPATCHER_NAME = "global";

export function dispatcherShardNames(env: Env): string[] {
  const count = shardCount(env, "dispatcher");
  if (count === 1) return [DISPATCHER_NAME];
  return Array.from({ length: count }, (_, index) => `shard:${count}:${index}`);
}

/** The shard an execution is queued on. */
export function dispatcherShardOf(env: Env, entry: RunningEntry): string {
  const names = dispatcherShardNames(env);
  const key = entry.templateLimit === null ? entry.executionId : groupOf(entry);
  return names[shardIndex(key, names.length)]!;
}

export function dispatcherNamed(env: Env, name: string) {
  return env.DISPATCHER.get(env.DISPATCHER.idFromName(name));
}

export function globalLimitLender(env: Env) {
  return env.GLOBAL_LIMIT.get(env.GLOBAL_LIMIT.idFromName(GLOBAL_LIMIT_NAME));
}

/** Every shard's queue, merged in queue order (exact within a shard, by rank across shards). */
export async function queueSnapshot(env: Env): Promise<QueueSnapshot> {
  const [config, shards] = await Promise.all([loadConfig(database(env.DB)), Promise.all(dispatcherShardNames(env).map((name) => dispatcherNamed(env, name).snapshot()))]);
  const running = shards.flatMap((s) => s.running);
  const queued = queueOrder(shards.flatMap((s) => s.queued));
  return {
    globalLimit: config.globalConcurrency,
    running,
    queued: queued.map((q, i) => ({
      executionId: q.executionId,
      templateId: q.templateId,
      concurrencyKey: q.concurrencyKey,
      priority: q.priority,
      enqueuedAt: q.enqueuedAt,
      position: i + 1,
      reason: q.kind === "global" || (q.kind === "next" && running.length >= config.globalConcurrency) ? `global limit reached: ${running.length} of ${config.globalConcurrency} running` : q.reason,
    })),
  };
}

/** Reprioritizes a queued execution on whichever shard holds it (an admin action: it asks them all). */
export async function reprioritizeQueued(env: Env, executionId: string, priority: number): Promise<boolean> {
  const found = await Promise.all(dispatcherShardNames(env).map((name) => dispatcherNamed(env, name).reprioritize(executionId, priority)));
  return found.some(Boolean);
}

/** The configuration changed: the lender and every shard forget their cached copy. */
export async function dispatcherConfigChanged(env: Env): Promise<void> {
  await Promise.all([globalLimitLender(env).configChanged(), ...dispatcherShardNames(env).map((name) => dispatcherNamed(env, name).configChanged())]);
}
