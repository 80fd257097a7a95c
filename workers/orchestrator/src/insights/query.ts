/**
 * The D1 queries behind `GET /v1/insights`: runs grouped by key over a window, sorted by runs (then key)
 * with keyset paging, the newest runs of each key on the page, and the starts each key made inside its
 * rate window. Raw SQL because drizzle has no words for `json_extract` grouping or window functions.
 */
import type { KeyInsight } from "#shared/api/insights.ts";
import type { ExecutionStatus } from "#shared/execution.ts";
import { validationError } from "../errors.ts";
import type { KeySource } from "./key-column.ts";

/** The key of each execution as SQL; a param's value is read from the params JSON as text. */
function keyExpression(source: KeySource): { sql: string; binds: unknown[] } {
  if (source.kind === "column") return { sql: source.column, binds: [] };
  return { sql: "CAST(json_extract(params, ?) AS TEXT)", binds: [`$."${source.name}"`] };
}

export type KeyTotals = Omit<KeyInsight, "recent" | "rate">;

export interface KeyPage {
  keys: KeyTotals[];
  /** The last row's sort position, when there may be more. */
  next: { runs: number; key: string | null } | null;
}

export function encodeKeyCursor(after: { runs: number; key: string | null }): string {
  return btoa(encodeURIComponent(JSON.stringify([after.runs, after.key]))).replace(/=+$/, "");
}

function decodeKeyCursor(cursor: string): { runs: number; key: string | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeURIComponent(atob(cursor)));
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && typeof parsed[0] === "number" && (typeof parsed[1] === "string" || parsed[1] === null)) {
    return { runs: parsed[0], key: parsed[1] };
  }
  throw validationError([{ path: "cursor", message: "is not one this API returned; start again without it" }], "query string");
}

export async function keyTotals(
  d1: D1Database,
  template: string,
  source: KeySource,
  since: number,
  options: { cursor?: string; limit: number },
): Promise<KeyPage> {
  const key = keyExpression(source);
  const after = options.cursor === undefined ? null : decodeKeyCursor(options.cursor);
  // A null key sorts as "" so that the cursor's comparison has a value to compare.
  const continuing = after ? "HAVING runs < ? OR (runs = ? AND IFNULL(key, '') > ?)" : "";
  const statement = d1
    .prepare(
      `SELECT key, COUNT(*) AS runs,
              SUM(status = 'completed') AS completed, SUM(status = 'failed') AS failed,
              TOTAL(cost_usd) AS cost, MAX(created_at) AS last_run
         FROM (SELECT ${key.sql} AS key, status, cost_usd, created_at
                 FROM executions WHERE template_id = ? AND created_at >= ?)
        GROUP BY key ${continuing}
        ORDER BY runs DESC, IFNULL(key, '') ASC
        LIMIT ?`,
    )
    .bind(...key.binds, template, since, ...(after ? [after.runs, after.runs, after.key ?? ""] : []), options.limit + 1);
  const { results } = await statement.all<{ key: string | null; runs: number; completed: number; failed: number; cost: number; last_run: number }>();
  const rows = results.slice(0, options.limit);
  const keys = rows.map((row) => ({
    key: row.key,
    runs: row.runs,
    completed: row.completed,
    failed: row.failed,
    costUsd: row.cost,
    lastRunAt: row.last_run,
  }));
  const last = keys.at(-1);
  return { keys, next: results.length > options.limit && last ? { runs: last.runs, key: last.key } : null };
}

/** Up to `perKey` newest runs of each of `keys` since `since`. */
export async function recentRuns(
  d1: D1Database,
  template: string,
  source: KeySource,
  since: number,
  keys: readonly (string | null)[],
  perKey: number,
): Promise<Map<string | null, KeyInsight["recent"]>> {
  const recent = new Map<string | null, KeyInsight["recent"]>();
  if (keys.length === 0) return recent;
  const key = keyExpression(source);
  const { results } = await d1
    .prepare(
      `SELECT id, status, created_at, key FROM (
         SELECT id, status, created_at, ${key.sql} AS key,
                ROW_NUMBER() OVER (PARTITION BY ${key.sql} ORDER BY created_at DESC, id DESC) AS place
           FROM executions WHERE template_id = ? AND created_at >= ?)
        WHERE place <= ? ORDER BY created_at DESC`,
    )
    .bind(...key.binds, ...key.binds, template, since, perKey)
    .all<{ id: string; status: ExecutionStatus; created_at: number; key: string | null }>();
  const wanted = new Set(keys);
  for (const row of results) {
    if (!wanted.has(row.key)) continue;
    const list = recent.get(row.key) ?? [];
    list.push({ id: row.id, status: row.status, createdAt: row.created_at });
    recent.set(row.key, list);
  }
  return recent;
}

/** The start times of each rate key since `since` (what the dispatcher counts against the limit). */
export async function rateStarts(d1: D1Database, template: string, keys: readonly string[], since: number): Promise<Map<string, number[]>> {
  const starts = new Map<string, number[]>();
  if (keys.length === 0) return starts;
  const { results } = await d1
    .prepare(
      `SELECT rate_key, created_at FROM executions
        WHERE template_id = ? AND created_at > ? AND rate_key IN (SELECT value FROM json_each(?))`,
    )
    .bind(template, since, JSON.stringify(keys))
    .all<{ rate_key: string; created_at: number }>();
  for (const row of results) starts.set(row.rate_key, [...(starts.get(row.rate_key) ?? []), row.created_at]);
  return starts;
}
