/** Reaching the history writer: executions hand their rows to it, readers of D1's history commit it first. */
export const HISTORY_WRITER_NAME = "global";

export function historyWriter(env: Env) {
  return env.HISTORY_WRITER.get(env.HISTORY_WRITER.idFromName(HISTORY_WRITER_NAME));
}

/**
 * Call before reading the executions, step_runs or usage tables: D1 then has every row an execution
 * handed over before the call. When that fails, the read goes on with what D1 has (and says so in the log).
 */
export async function historyUpToDate(env: Env): Promise<void> {
  const result = await historyWriter(env)
    .commit()
    .catch((error: unknown) => ({ ok: false as const, error: String(error) }));
  if (!result.ok) console.error(`history is not up to date in D1; reading what it has: ${result.error}`);
}
