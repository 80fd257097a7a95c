/** The dispatcher's safety net: which of its running executions have ended according to D1 (their release was lost). */
import { inArray } from "drizzle-orm";
import { database } from "../db/client.ts";
import { executions } from "../db/schema.ts";
import { historyUpToDate } from "../history/writer.ts";

const ENDED = new Set(["completed", "failed", "cancelled"]);

export async function sweepEnded(env: Env, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  await historyUpToDate(env);
  const db = database(env.DB);
  const ended: string[] = [];
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db.select({ id: executions.id, status: executions.status }).from(executions).where(inArray(executions.id, ids.slice(i, i + 90)));
    for (const row of rows) if (ENDED.has(row.status)) ended.push(row.id);
  }
  return ended;
}
