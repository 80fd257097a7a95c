/**
 * `GET /v1/logs`: log lines across executions from D1's `logs` table, newest first by arrival, with
 * filters; or, with `after`, the lines that arrived since, oldest first, for a view that follows them.
 * The cursor is the last line's id, opaque to clients.
 */
import type { LogEntry, LogSearch, LogSearchPage } from "#shared/api/logs.ts";
import { logLevels } from "#shared/api/executions.ts";
import { validationError } from "../errors.ts";

export const DEFAULT_LOG_LIMIT = 100;
export const MAX_LOG_LIMIT = 500;

interface Row {
  id: number;
  execution_id: string;
  template_id: string | null;
  step_id: string;
  item: number | null;
  attempt: number;
  level: LogEntry["level"];
  message: string;
  at: number;
}

export function encodeLogCursor(id: number): string {
  return btoa(`log:${id}`).replace(/=+$/, "");
}

function decodeLogCursor(cursor: string): number {
  let text = "";
  try {
    text = atob(cursor);
  } catch {
    // Reported below like any other cursor this API did not hand out.
  }
  const match = /^log:(\d{1,15})$/.exec(text);
  if (!match) throw validationError([{ path: "cursor", message: "is not one this API returned; start again without it" }], "query string");
  return Number(match[1]);
}

export async function searchLogs(d1: D1Database, search: LogSearch): Promise<LogSearchPage> {
  const where: string[] = [];
  const binds: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    binds.push(...values);
  };
  if (search.level) {
    const levels = logLevels.slice(logLevels.indexOf(search.level));
    add(`l.level IN (${levels.map(() => "?").join(", ")})`, ...levels);
  }
  if (search.execution) add("l.execution_id = ?", search.execution);
  if (search.template) add("e.template_id = ?", search.template);
  if (search.q) add("instr(lower(l.message), lower(?)) > 0", search.q);
  if (search.since !== undefined) add("l.at >= ?", search.since);
  if (search.until !== undefined) add("l.at < ?", search.until);
  const following = search.after !== undefined;
  if (following) add("l.id > ?", search.after);
  else if (search.cursor) add("l.id < ?", decodeLogCursor(search.cursor));

  const limit = Math.min(search.limit ?? DEFAULT_LOG_LIMIT, MAX_LOG_LIMIT);
  const sql =
    "SELECT l.id, l.execution_id, e.template_id, l.step_id, l.item, l.attempt, l.level, l.message, l.at " +
    "FROM logs l LEFT JOIN executions e ON e.id = l.execution_id" +
    (where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "") +
    ` ORDER BY l.id ${following ? "ASC" : "DESC"} LIMIT ?`;
  const { results } = await d1.prepare(sql).bind(...binds, limit + 1).all<Row>();
  const more = results.length > limit;
  const rows = results.slice(0, limit);
  const last = rows[rows.length - 1];
  return {
    logs: rows.map((row) => ({
      id: row.id,
      executionId: row.execution_id,
      templateId: row.template_id,
      stepId: row.step_id,
      item: row.item,
      attempt: row.attempt,
      level: row.level,
      message: row.message,
      at: row.at,
    })),
    nextCursor: !following && more && last ? encodeLogCursor(last.id) : null,
  };
}
