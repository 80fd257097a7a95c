/**
 * TriggerBufferDO: one per trigger and debounce/batch key. It holds accepted events in its own SQLite
 * storage (so an accepted event survives any restart) and its alarm starts the execution when the buffer
 * plan (`buffer-plan.ts`) says so. It also remembers idempotency keys, so a resent event is not buffered
 * twice.
 *
 * Each flush starts its execution with an idempotency key made of this object's id and the first event's
 * sequence number: a flush retried after a crash (or run twice) reaches the same execution, never a second.
 */
import { DurableObject } from "cloudflare:workers";
import { BATCH_ITEMS_PARAM } from "#shared/api/triggers.ts";
import { DomainError } from "../errors.ts";
import { database } from "../db/client.ts";
import { type BufferMode, planFlush } from "./buffer-plan.ts";
import { updateDeliveries } from "./deliveries.ts";
import { startForTrigger } from "./start.ts";

export interface BufferSettings {
  trigger: string;
  template: string;
  mode: BufferMode;
}

export interface BufferedEvent {
  deliveryId: string;
  receivedAt: number;
  params: Record<string, unknown>;
  payload: unknown;
  idempotencyKey: string | null;
}

export type AcceptResult = { duplicate: false } | { duplicate: true; deliveryId: string; executionId: string | null };

/** How long an idempotency key is remembered after its event arrived. */
export const SEEN_KEYS_TTL_MS = 7 * 24 * 60 * 60 * 1000;

type EventRow = { seq: number; delivery_id: string; received_at: number; params: string; payload: string };

export class TriggerBufferDO extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, delivery_id TEXT NOT NULL,
        received_at INTEGER NOT NULL, params TEXT NOT NULL, payload TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS seen (idempotency_key TEXT PRIMARY KEY, delivery_id TEXT NOT NULL,
        execution_id TEXT, seen_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS settings (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
    `);
  }

  /** Stores the event (durably, before answering) and arms the alarm. The latest settings win. */
  async accept(settings: BufferSettings, event: BufferedEvent): Promise<AcceptResult> {
    if (event.idempotencyKey !== null) {
      const seen = this.sql
        .exec<{ delivery_id: string; execution_id: string | null }>("SELECT delivery_id, execution_id FROM seen WHERE idempotency_key = ?", event.idempotencyKey)
        .toArray()[0];
      if (seen) return { duplicate: true, deliveryId: seen.delivery_id, executionId: seen.execution_id };
      this.sql.exec("INSERT INTO seen (idempotency_key, delivery_id, seen_at) VALUES (?, ?, ?)", event.idempotencyKey, event.deliveryId, event.receivedAt);
    }
    this.sql.exec("INSERT OR REPLACE INTO settings (id, json) VALUES (1, ?)", JSON.stringify(settings));
    this.sql.exec(
      "INSERT INTO events (delivery_id, received_at, params, payload) VALUES (?, ?, ?, ?)",
      event.deliveryId,
      event.receivedAt,
      JSON.stringify(event.params),
      JSON.stringify(event.payload),
    );
    const plan = planFlush(settings.mode, this.contents(), Date.now());
    // Flushing happens in the alarm, which the runtime retries, never in the sender's request.
    const at = plan.take > 0 ? Date.now() : plan.wakeAt;
    if (at !== null) await this.ctx.storage.setAlarm(at);
    return { duplicate: false };
  }

  /** How many events wait here (tests and operators). */
  pending(): number {
    return this.contents().count;
  }

  override async alarm(): Promise<void> {
    const settings = this.settings();
    if (settings === undefined) return;
    for (;;) {
      const plan = planFlush(settings.mode, this.contents(), Date.now());
      if (plan.take === 0) {
        if (plan.wakeAt !== null) await this.ctx.storage.setAlarm(plan.wakeAt);
        this.sql.exec("DELETE FROM seen WHERE seen_at < ?", Date.now() - SEEN_KEYS_TTL_MS);
        return;
      }
      const rows = this.sql.exec<EventRow>("SELECT * FROM events ORDER BY seq LIMIT ?", plan.take).toArray();
      await this.flush(settings, rows);
      const last = rows.at(-1);
      if (last) this.sql.exec("DELETE FROM events WHERE seq <= ?", last.seq);
    }
  }

  private async flush(settings: BufferSettings, rows: EventRow[]): Promise<void> {
    const first = rows[0];
    const last = rows.at(-1);
    if (!first || !last) return;
    const db = database(this.env.DB);
    const ids = rows.map((row) => row.delivery_id);
    const lastParams = JSON.parse(last.params) as Record<string, unknown>;
    const params =
      settings.mode.kind === "batch"
        ? { ...lastParams, [BATCH_ITEMS_PARAM]: rows.map((row) => JSON.parse(row.payload) as unknown) }
        : lastParams;
    let executionId: string;
    try {
      const started = await startForTrigger(this.env, db, settings.trigger, {
        template: settings.template,
        params,
        idempotencyKey: `trigger:${settings.trigger}:${this.ctx.id.toString()}:${first.seq}`,
      });
      executionId = started.id;
    } catch (error) {
      // Anything else (D1 or a Durable Object unreachable) throws, and the runtime retries the alarm.
      if (!(error instanceof DomainError)) throw error;
      await updateDeliveries(db, ids, { status: "refused", detail: `the start was refused: ${error.code}: ${error.message}` });
      this.forgetKeys(ids);
      return;
    }
    for (const chunk of chunks(ids)) {
      this.sql.exec(`UPDATE seen SET execution_id = ? WHERE delivery_id IN (${chunk.map(() => "?").join(",")})`, executionId, ...chunk);
    }
    if (settings.mode.kind === "batch") {
      await updateDeliveries(db, ids, { executionId, detail: `batched into ${executionId} (${rows.length} events)` });
    } else {
      await updateDeliveries(db, ids.slice(0, -1), {
        executionId,
        detail: `superseded by a later event with the same key; ${executionId} started with the last payload`,
      });
      await updateDeliveries(db, [last.delivery_id], { status: "started", executionId, detail: `quiet for ${settings.mode.periodMs} ms` });
    }
  }

  /** A refused event's key may be sent again. */
  private forgetKeys(deliveryIds: string[]): void {
    for (const chunk of chunks(deliveryIds)) {
      this.sql.exec(`DELETE FROM seen WHERE delivery_id IN (${chunk.map(() => "?").join(",")})`, ...chunk);
    }
  }

  private settings(): BufferSettings | undefined {
    const row = this.sql.exec<{ json: string }>("SELECT json FROM settings WHERE id = 1").toArray()[0];
    return row ? (JSON.parse(row.json) as BufferSettings) : undefined;
  }

  private contents(): { count: number; firstAt: number; lastAt: number } {
    const row = this.sql
      .exec<{ count: number; firstAt: number | null; lastAt: number | null }>(
        "SELECT COUNT(*) AS count, MIN(received_at) AS firstAt, MAX(received_at) AS lastAt FROM events",
      )
      .one();
    return { count: row.count, firstAt: row.firstAt ?? 0, lastAt: row.lastAt ?? 0 };
  }
}

/** SQLite in a Durable Object binds at most 100 values per statement. */
function chunks<T>(items: readonly T[], size = 90): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}

export function triggerBufferStub(env: Env, trigger: string, key: string): DurableObjectStub<TriggerBufferDO> {
  return env.TRIGGER_BUFFERS.get(env.TRIGGER_BUFFERS.idFromName(`${trigger}\n${key}`));
}
