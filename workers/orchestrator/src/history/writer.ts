/**
 * Reading the history up to date. Each execution hands its rows to its control shard, whose history
 * writer role batches them into D1 (control-plane/control-shard-do.ts); readers of D1's history commit
 * every shard first, so they see every handover made before they asked, whichever shard took it. (After
 * a change of CONTROL_SHARDS, what the old shards still hold reaches D1 by their own alarm within seconds.)
 */
import { controlShardNamed, controlShardNames } from "../control-plane/control-shards.ts";

/** Waits until D1 has every history row handed over so far, to any shard; throws why not. */
export async function commitHistory(env: Env): Promise<void> {
  const results = await Promise.all(controlShardNames(env).map((name) => controlShardNamed(env, name).commit()));
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
