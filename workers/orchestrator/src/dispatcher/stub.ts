/**
 * The queue as the API sees it, across every control shard (the dispatcher is a role of each,
 * control-plane/control-shards.ts says which shard an execution is queued on), and the lender of the
 * global limit.
 */
import type { QueueSnapshot } from "#shared/api/resources.ts";
import { loadConfig } from "../config/store.ts";
import { controlShardNamed, controlShardNames } from "../control-plane/control-shards.ts";
import { database } from "../db/client.ts";
import { queueOrder } from "./admission.ts";
import { GLOBAL_LIMIT_NAME } from "./global-limit-do.ts";

export function globalLimitLender(env: Env) {
  return env.GLOBAL_LIMIT.get(env.GLOBAL_LIMIT.idFromName(GLOBAL_LIMIT_NAME));
}

/** Every shard's queue, merged in queue order (exact within a shard, by rank across shards). */
export async function queueSnapshot(env: Env): Promise<QueueSnapshot> {
  const [config, shards] = await Promise.all([loadConfig(database(env.DB)), Promise.all(controlShardNames(env).map((name) => controlShardNamed(env, name).snapshot()))]);
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
  const found = await Promise.all(controlShardNames(env).map((name) => controlShardNamed(env, name).reprioritize(executionId, priority)));
  return found.some(Boolean);
}

/** The configuration changed: the lender and every shard forget their cached copy. */
export async function dispatcherConfigChanged(env: Env): Promise<void> {
  await Promise.all([globalLimitLender(env).configChanged(), ...controlShardNames(env).map((name) => controlShardNamed(env, name).configChanged())]);
}
