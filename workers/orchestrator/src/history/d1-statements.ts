/** The D1 statements that write pending history rows: one per table (more only for very large flushes). */
import { auditLog, executions, logs, stepRuns, usage } from "../db/schema.ts";
import { type JsonInsert, jsonInsert } from "./json-insert.ts";
import type { HistoryTable, PendingRow } from "./pending.ts";

/** Rows go in statements of at most this much JSON, well under D1's limit on one bound value (2 MB). */
const MAX_STATEMENT_JSON = 512 * 1024;

const inserts: Record<HistoryTable, JsonInsert<never>> = {
  // A row's creation facts never change; everything else is the execution's current word.
  executions: jsonInsert(executions, { conflict: ["id"], keep: ["createdAt", "createdBy"] }),
  stepRuns: jsonInsert(stepRuns, { conflict: ["executionId", "stepId"], keep: ["type", "agent"] }),
  usage: jsonInsert(usage),
  audit: jsonInsert(auditLog),
  logs: jsonInsert(logs, { ignoreDuplicates: true }),
};

/** Summary rows first, then step rows, usage, audit entries and log lines: the order readers would expect them in. */
const TABLE_ORDER: HistoryTable[] = ["executions", "stepRuns", "usage", "audit", "logs"];

export function historyStatements(d1: D1Database, rows: readonly PendingRow[]): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (const table of TABLE_ORDER) {
    const insert = inserts[table];
    let parts: string[] = [];
    let length = 0;
    const emit = () => {
      if (parts.length > 0) statements.push(d1.prepare(insert.sql).bind(`[${parts.join(",")}]`));
      parts = [];
      length = 0;
    };
    for (const pending of rows) {
      if (pending.table !== table) continue;
      const encoded = insert.encodeRow(pending.row as never);
      if (length + encoded.length > MAX_STATEMENT_JSON) emit();
      parts.push(encoded);
      length += encoded.length + 1;
    }
    emit();
  }
  return statements;
}
