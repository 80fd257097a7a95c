/**
 * Keyset paging over `(created_at, id)`, newest first, for the history lists: the opaque cursor a page
 * hands out, and the condition that continues after it.
 */
import { and, eq, lt, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { validationError } from "../errors.ts";

export function encodeCursor(row: { createdAt: number; id: string }): string {
  return btoa(JSON.stringify([row.createdAt, row.id])).replace(/=+$/, "");
}

/** Rows after the one the cursor names; a cursor this API did not hand out is a validation error. */
export function afterCursor(columns: { createdAt: SQLiteColumn; id: SQLiteColumn }, cursor: string): SQL | undefined {
  let after: [unknown, unknown] | undefined;
  try {
    after = JSON.parse(atob(cursor)) as [unknown, unknown];
  } catch {
    after = undefined;
  }
  const [createdAt, id] = after ?? [];
  if (typeof createdAt !== "number" || typeof id !== "string") {
    throw validationError([{ path: "cursor", message: "is not one this API returned; start again without it" }], "query string");
  }
  return or(lt(columns.createdAt, createdAt), and(eq(columns.createdAt, createdAt), lt(columns.id, id)));
}
