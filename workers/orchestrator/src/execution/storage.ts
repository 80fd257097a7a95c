/**
 * The execution's SQLite storage inside its Durable Object: the execution record, the pinned template,
 * one row per step (and per forEach item), and the append-only event log. Writes are synchronous; the
 * runtime commits them together before any outgoing call leaves the object, so a state written before
 * calling an agent is durable by the time the agent sees the call.
 */
import type { EventType, ExecutionEvent } from "#shared/execution.ts";
import type { Template } from "#shared/template.ts";
import type { ExecutionRecord, StepRecord } from "./records.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS steps (
  step_id TEXT NOT NULL, item INTEGER NOT NULL, record TEXT NOT NULL,
  PRIMARY KEY (step_id, item)
);
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY, type TEXT NOT NULL, at INTEGER NOT NULL, data TEXT NOT NULL
);`;

type EventRow = { seq: number; type: string; at: number; data: string };

export class ExecutionStorage {
  private constructor(private readonly sql: SqlStorage) {}

  /** Storage for a new execution: creates the tables. */
  static create(sql: SqlStorage): ExecutionStorage {
    sql.exec(SCHEMA);
    return new ExecutionStorage(sql);
  }

  /**
   * Storage of an existing execution, or undefined. Reads only: asking an object that holds no execution
   * (a mistyped id, say) must not leave tables behind in it.
   */
  static open(sql: SqlStorage): ExecutionStorage | undefined {
    const found = sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").toArray();
    return found.length > 0 ? new ExecutionStorage(sql) : undefined;
  }

  loadExecution(): ExecutionRecord | undefined {
    return this.readMeta<ExecutionRecord>("execution");
  }

  loadTemplate(): Template | undefined {
    return this.readMeta<Template>("template");
  }

  saveExecution(record: ExecutionRecord): void {
    this.writeMeta("execution", record);
  }

  saveTemplate(template: Template): void {
    this.writeMeta("template", template);
  }

  loadSteps(): StepRecord[] {
    return this.sql
      .exec<{ record: string }>("SELECT record FROM steps ORDER BY step_id, item")
      .toArray()
      .map((row) => JSON.parse(row.record) as StepRecord);
  }

  saveStep(step: StepRecord): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO steps (step_id, item, record) VALUES (?, ?, ?)",
      step.stepId,
      step.item,
      JSON.stringify(step),
    );
  }

  deleteItems(stepId: string): void {
    this.sql.exec("DELETE FROM steps WHERE step_id = ? AND item >= 0", stepId);
  }

  lastEventSeq(): number {
    return this.sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM events").one().seq ?? 0;
  }

  appendEvent(event: ExecutionEvent): void {
    this.sql.exec(
      "INSERT INTO events (seq, type, at, data) VALUES (?, ?, ?, ?)",
      event.seq,
      event.type,
      event.at,
      JSON.stringify(event.data),
    );
  }

  /** Events after `afterSeq`, oldest first, at most `limit`. */
  eventsAfter(executionId: string, afterSeq: number, limit: number, types?: readonly EventType[]): ExecutionEvent[] {
    const filter = types && types.length > 0 ? ` AND type IN (${types.map(() => "?").join(", ")})` : "";
    return this.sql
      .exec<EventRow>(
        `SELECT seq, type, at, data FROM events WHERE seq > ?${filter} ORDER BY seq LIMIT ?`,
        afterSeq,
        ...(types ?? []),
        limit,
      )
      .toArray()
      .map((row) => ({
        seq: row.seq,
        type: row.type as EventType,
        executionId,
        at: row.at,
        data: JSON.parse(row.data) as Record<string, unknown>,
      }));
  }

  private readMeta<T>(key: string): T | undefined {
    const rows = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray();
    return rows[0] ? (JSON.parse(rows[0].value) as T) : undefined;
  }

  private writeMeta(key: string, value: unknown): void {
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, JSON.stringify(value));
  }
}
