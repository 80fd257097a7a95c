/**
 * The execution's SQLite storage inside its Durable Object. The event log is the source of truth: each
 * turn of the core appends one row holding that turn's events (a no-op step's completion and the next
 * step's start are one turn, so one row), and the state is their fold. A snapshot of the state every
 * SNAPSHOT_EVERY events bounds the replay on load. Payloads live in the events that carry them and
 * nowhere else. Writes are synchronous; the runtime commits them before any outgoing call leaves the
 * object, so a state written before calling an agent is durable by the time the agent sees the call.
 */
import type { EventType, ExecutionEvent } from "#shared/execution.ts";
import type { Template } from "#shared/template.ts";
import { applyEvent, type CoreEvent } from "./core/apply.ts";
import type { ExecutionCoreState, ExecutionFacts, PayloadRef } from "./core/state.ts";
import { initialState } from "./core/state.ts";
import { migrateLegacyLayout } from "./storage-legacy.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS log (first INTEGER PRIMARY KEY, last INTEGER NOT NULL, events TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, state TEXT NOT NULL);`;

/** A turn's events share a row up to this many bytes of JSON. */
const ROW_BYTES = 1_000_000;
/** A snapshot is written once this many events were appended since the last one. */
const SNAPSHOT_EVERY = 5_000;

/** What the meta row holds: what never changes after the start, and the priority (changed only while queued). */
export interface StoredRun {
  facts: ExecutionFacts;
  template: Template;
  priority: number;
}

type StoredEvent = Omit<CoreEvent, "seq"> & { seq: number };

export class ExecutionStorage {
  private snapshotSeq = 0;
  /** Counts the rows each statement reports written (the bench reads it). */
  rowsWritten = 0;

  private constructor(private readonly sql: SqlStorage) {}

  static create(sql: SqlStorage): ExecutionStorage {
    sql.exec(SCHEMA);
    return new ExecutionStorage(sql);
  }

  /**
   * The storage of an existing execution, or undefined. Reads only, unless it holds an execution stored
   * by an older layout, which it converts once (storage-legacy.ts).
   */
  static open(sql: SqlStorage, transaction: (fn: () => void) => void): ExecutionStorage | undefined {
    const tables = new Set(sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray().map((r) => r.name));
    if (!tables.has("meta")) return undefined;
    if (!tables.has("log")) transaction(() => migrateLegacyLayout(sql, SCHEMA));
    return new ExecutionStorage(sql);
  }

  saveRun(run: StoredRun): void {
    this.write("INSERT OR REPLACE INTO meta (key, value) VALUES ('run', ?)", JSON.stringify(run));
  }

  /** The execution as stored: the meta row, then the snapshot, then the events after it folded in. */
  load(): { run: StoredRun; state: ExecutionCoreState } | undefined {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'run'").toArray()[0];
    if (!row) return undefined;
    const run = JSON.parse(row.value) as StoredRun;
    const snapshot = this.sql.exec<{ seq: number; state: string }>("SELECT seq, state FROM snapshot WHERE id = 1").toArray()[0];
    const state: ExecutionCoreState = snapshot ? (JSON.parse(snapshot.state) as ExecutionCoreState) : initialState(run.facts, run.template, run.priority);
    state.facts = run.facts;
    state.template = run.template;
    state.priority = run.priority;
    this.snapshotSeq = snapshot?.seq ?? 0;
    for (let after = state.seq; ; ) {
      const page = this.eventsAfter(after, 1000);
      for (const event of page) applyEvent(state, event);
      if (page.length < 1000) break;
      after = page[page.length - 1]!.seq;
    }
    return { run, state };
  }

  /**
   * Appends one turn's events as one row (or, when they are large, as several rows of at most ROW_BYTES:
   * a Durable Object's SQLite row holds 2 MB), and a snapshot when enough events went by.
   */
  append(events: readonly CoreEvent[], state: ExecutionCoreState): void {
    if (events.length === 0) return;
    let chunk: string[] = [];
    let bytes = 0;
    let first = events[0]!.seq;
    const flush = (last: number) => {
      this.write("INSERT INTO log (first, last, events) VALUES (?, ?, ?)", first, last, `[${chunk.join(",")}]`);
      chunk = [];
      bytes = 0;
    };
    for (const event of events) {
      const text = JSON.stringify(event);
      if (chunk.length > 0 && bytes + text.length > ROW_BYTES) {
        flush(event.seq - 1);
        first = event.seq;
      }
      chunk.push(text);
      bytes += text.length;
    }
    flush(events[events.length - 1]!.seq);
    if (state.seq - this.snapshotSeq >= SNAPSHOT_EVERY) {
      const { facts: _facts, template: _template, ...rest } = state;
      this.write("INSERT OR REPLACE INTO snapshot (id, seq, state) VALUES (1, ?, ?)", state.seq, JSON.stringify(rest));
      this.snapshotSeq = state.seq;
    }
  }

  lastSeq(): number {
    return this.sql.exec<{ last: number | null }>("SELECT MAX(last) AS last FROM log").one().last ?? 0;
  }

  read(ref: PayloadRef): unknown {
    const row = this.sql.exec<{ events: string }>("SELECT events FROM log WHERE first <= ? ORDER BY first DESC LIMIT 1", ref.seq).toArray()[0];
    const event = row ? (JSON.parse(row.events) as StoredEvent[]).find((e) => e.seq === ref.seq) : undefined;
    return event?.data[ref.field];
  }

  /** Outputs of a forEach step's completed items after `afterSeq`, by item index. */
  readItemOutputs(stepId: string, afterSeq: number, total: number): unknown[] {
    const outputs = new Array<unknown>(total).fill(null);
    for (let after = afterSeq; ; ) {
      const rows = this.sql.exec<{ last: number; events: string }>("SELECT last, events FROM log WHERE last > ? ORDER BY first LIMIT 500", after).toArray();
      for (const row of rows) {
        for (const event of JSON.parse(row.events) as StoredEvent[]) {
          if (event.seq > afterSeq && event.type === "step.completed" && event.data.stepId === stepId && typeof event.data.item === "number") {
            outputs[event.data.item] = event.data.output;
          }
        }
      }
      if (rows.length < 500) return outputs;
      after = rows[rows.length - 1]!.last;
    }
  }

  /** Events after `afterSeq`, oldest first, at most about `limit` (whole turns), optionally of some types only. */
  eventsAfter(afterSeq: number, limit: number, types?: readonly EventType[]): CoreEvent[] {
    const wanted = types && types.length > 0 ? new Set<string>(types) : null;
    const events: CoreEvent[] = [];
    for (let after = afterSeq; events.length < limit; ) {
      const rows = this.sql.exec<{ last: number; events: string }>("SELECT last, events FROM log WHERE last > ? ORDER BY first LIMIT ?", after, limit).toArray();
      for (const row of rows) {
        for (const event of JSON.parse(row.events) as StoredEvent[]) {
          if (event.seq > afterSeq && (!wanted || wanted.has(event.type)) && events.length < limit) events.push(event);
        }
      }
      if (rows.length < limit) break;
      after = rows[rows.length - 1]!.last;
    }
    return events;
  }

  private write(query: string, ...bindings: (string | number)[]): void {
    this.rowsWritten += this.sql.exec(query, ...bindings).rowsWritten;
  }
}

export function withExecutionId(executionId: string, event: CoreEvent): ExecutionEvent {
  return { seq: event.seq, type: event.type, executionId, at: event.at, data: event.data };
}
