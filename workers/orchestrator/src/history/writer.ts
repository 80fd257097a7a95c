/**
 * Reaching the history writers: each execution hands its rows to the shard of its id (HISTORY_SHARDS
 * in wrangler.toml), and readers of D1's history commit every shard first, so they see every handover
 * made before they asked, whichever shard took it. Shard 0 keeps the single writer's name ("global");
 * the others are `history:<index>`, so a larger count keeps every name it had. (A smaller count stops
 * visiting the highest shards: what they still hold reaches D1 by their own alarm within seconds.)
 */
import { shardCount, shardIndex, shardName } from "../config/shards.ts";

export const HISTORY_WRITER_NAME = "global";

export function historyWriterNames(env: Env): string[] {
  return Array.from({ length: shardCount(env, "history") }, (_, index) => shardName("history", HISTORY_WRITER_NAME, index));
}

export function historyWriterNamed(env: Env, name: string) {
  return env.HISTORY_WRITER.get(env.HISTORY_WRITER.idFromName(name));
}

/** The writer that takes this execution's rows. */
export function historyWriter(env: Env, executionId: string) {
  const names = historyWriterNames(env);
  return historyWriterNamed(env, names[shardIndex(executionId, names.length)]!);
}

/** Waits until D1 has every history row handed over so far, to any shard; throws why not. */
export async function commitHistory(env: Env): Promise<void> {
  const results = await Promise.all(historyWriterNames(env).map((name) => historyWriterNamed(env, name).commit()));
  const failed = results.find((result) => !result.ok);
  if (failed && !failed.ok) throw new Error(failed.error);
}

/**
 * Call before reading the executions, step_runs or usage tables: D1 then has every row an execution
 * handed over before the call. When that fails, the read goes on with what D1 has (and says so in the log).
 */
export async function historyUpToDate(env: Env): Promise<void> {
  await commitHistory(env).catch((error: unknown) => console.error("history is not up to date in D1; reading what it has", error));
}
