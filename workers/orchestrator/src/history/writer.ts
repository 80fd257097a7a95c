/** Reaching the history writer: executions hand their rows to it, readers of D1's history commit it first. */
export const HISTORY_WRITER_NAME = "global";

export function historyWriter(env: Env) {
  return env.HISTORY_WRITER.get(env.HISTORY_WRITER.idFromName(HISTORY_WRITER_NAME));
}

/** Waits until D1 has every history row handed over so far; throws why not. */
export async function commitHistory(env: Env): Promise<void> {
  const result = await historyWriter(env).commit();
  if (!result.ok) throw new Error(result.error);
}

/**
 * Call before reading the executions, step_runs or usage tables: D1 then has every row an execution
 * handed over before the call. When that fails, the read goes on with what D1 has (and says so in the log).
 */
export async function historyUpToDate(env: Env): Promise<void> {
  await commitHistory(env).catch((error: unknown) => console.error("history is not up to date in D1; reading what it has", error));
}
