/**
 * The history rows the writer holds until D1 has them. Each handover (one execution's rows) gets the
 * next revision; a newer row of the same execution or step replaces the older one, so a flush writes
 * each row once however often it changed. Usage and audit entries are appended, never replaced; a log
 * line is keyed by its execution and event seq, so one handed over twice is written once.
 */
import type { HistoryRows } from "./rows.ts";

export type HistoryTable = "executions" | "stepRuns" | "usage" | "audit" | "logs";

export interface PendingRow {
  key: string;
  table: HistoryTable;
  executionId: string;
  /** The revision of the handover that brought it. */
  rev: number;
  /** The oldest handover whose word on this row D1 does not have yet (older than `rev` when it replaced one). */
  since: number;
  row: Record<string, unknown>;
}

export class PendingHistory {
  private readonly rows = new Map<string, PendingRow>();
  private appended = 0;

  get size(): number {
    return this.rows.size;
  }

  add(rev: number, executionId: string, handover: HistoryRows): void {
    const put = (table: HistoryTable, id: string, row: object) => {
      const key = `${table}:${id}`;
      const since = this.rows.get(key)?.since ?? rev;
      this.rows.set(key, { key, table, executionId, rev, since, row: row as Record<string, unknown> });
    };
    if (handover.execution) put("executions", executionId, handover.execution);
    for (const row of handover.stepRuns ?? []) put("stepRuns", `${executionId}\u0000${row.stepId}`, row);
    for (const row of handover.usage ?? []) put("usage", `${++this.appended}`, row);
    for (const row of handover.audit ?? []) put("audit", `${++this.appended}`, row);
    for (const row of handover.logs ?? []) put("logs", `${executionId}\u0000${row.seq}`, row);
  }

  /** Everything pending, oldest handover first. */
  snapshot(): PendingRow[] {
    return [...this.rows.values()].sort((a, b) => a.rev - b.rev);
  }

  /** Whether some row still waits for D1 that a handover up to `rev` brought. */
  hasThrough(rev: number): boolean {
    for (const pending of this.rows.values()) if (pending.since <= rev) return true;
    return false;
  }

  /** The revisions of the handovers still needed: those that brought a pending row's current version. */
  liveRevs(): Set<number> {
    return new Set([...this.rows.values()].map((pending) => pending.rev));
  }

  /** D1 has these rows: forget each one, unless a newer handover replaced it meanwhile. */
  written(rows: readonly PendingRow[]): void {
    for (const row of rows) {
      const current = this.rows.get(row.key);
      if (current === row) this.rows.delete(row.key);
      else if (current) current.since = current.rev;
    }
  }

  /** Gives up on rows D1 keeps refusing. */
  drop(rows: readonly PendingRow[]): void {
    for (const row of rows) if (this.rows.get(row.key) === row) this.rows.delete(row.key);
  }
}

/** The rows of a snapshot per execution, for writing them one execution at a time when a whole batch fails. */
export function byExecution(rows: readonly PendingRow[]): PendingRow[][] {
  const groups = new Map<string, PendingRow[]>();
  for (const row of rows) {
    const group = groups.get(row.executionId);
    if (group) group.push(row);
    else groups.set(row.executionId, [row]);
  }
  return [...groups.values()];
}
