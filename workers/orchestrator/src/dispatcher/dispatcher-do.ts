/**
 * DispatcherDO: the queue. Executions are enqueued when they are created and released when they end;
 * the dispatcher admits them under the global limit (config), template limits and concurrency keys, in
 * priority order (see admission.ts). It also keeps the starts per rate-limit key, so that a limit such
 * as "3 per theme per 30 days" holds exactly even under concurrent starts.
 *
 * It is called twice per execution (enqueue, release), never per step. Its state is in SQLite (a
 * restart loses no queued execution) and mirrored in memory, so that deciding who runs reads no rows.
 * Its alarm is also the watchdog of executions in their first seconds (watch-list.ts).
 * docs/dispatcher.md explains how it shards when one is not enough.
 */
import { DurableObject } from "cloudflare:workers";
import type { QueueSnapshot } from "#shared/api/resources.ts";
import { loadConfig, forgetConfig } from "../config/store.ts";
import { database } from "../db/client.ts";
import { executionStub } from "../execution/stub.ts";
import { inArray } from "drizzle-orm";
import { executions } from "../db/schema.ts";
import { planAdmissions, type QueueEntry, type RunningEntry, queueOrder } from "./admission.ts";
import { type RateVerdict, rateVerdict } from "./rate-window.ts";
import { WatchList } from "./watch-list.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS queued (
  execution_id TEXT PRIMARY KEY, template_id TEXT NOT NULL, template_limit INTEGER,
  concurrency_key TEXT, priority INTEGER NOT NULL, enqueued_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS running (
  execution_id TEXT PRIMARY KEY, template_id TEXT NOT NULL, template_limit INTEGER,
  concurrency_key TEXT, admitted_at INTEGER NOT NULL, notified INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS rate_starts (
  template_id TEXT NOT NULL, rate_key TEXT NOT NULL, at INTEGER NOT NULL, execution_id TEXT NOT NULL,
  PRIMARY KEY (template_id, rate_key, execution_id)
);
CREATE INDEX IF NOT EXISTS rate_starts_window ON rate_starts (template_id, rate_key, at);`;

/** Running entries older than this are checked against D1, in case their release was lost. */
const SWEEP_AFTER_MS = 60_000;
const SWEEP_EVERY_MS = 30_000;
/** Executions asked to arm their own watchdog per alarm (a fresh dispatcher asks all it runs); the rest at the next one, at once. */
const WATCH_ASKS_PER_ALARM = 500;

export type Admission = { admitted: true } | { admitted: false; position: number; reason: string };


type QueuedRow = { execution_id: string; template_id: string; template_limit: number | null; concurrency_key: string | null; priority: number; enqueued_at: number };
type RunningRow = { execution_id: string; template_id: string; template_limit: number | null; concurrency_key: string | null; admitted_at: number; notified: number };

export class DispatcherDO extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** The `queued` and `running` tables as they are, by execution id. */
  private readonly queued = new Map<string, QueueEntry>();
  private readonly running = new Map<string, RunningRow>();
  /** Running executions that have not armed their own watchdog yet. */
  private readonly watch = new WatchList();
  /** The alarm is known to be set at or before this time. */
  private alarmBy: number | null = null;
  /** When the last sweep ran: the alarm fires more often than that while new executions are watched. */
  private sweptAt = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
    for (const row of this.sql.exec<QueuedRow>("SELECT * FROM queued")) this.queued.set(row.execution_id, toQueueEntry(row));
    const now = Date.now();
    for (const row of this.sql.exec<RunningRow>("SELECT * FROM running")) {
      this.running.set(row.execution_id, row);
      this.watch.restored(row.execution_id, now);
    }
    this.armAlarm();
  }

  /** Queues an execution (again: idempotent) and says whether it may start now. */
  async enqueue(entry: Omit<QueueEntry, "enqueuedAt">): Promise<Admission> {
    if (this.running.has(entry.executionId)) return { admitted: true };
    if (!this.queued.has(entry.executionId)) {
      const queued: QueueEntry = { ...entry, enqueuedAt: Date.now() };
      this.sql.exec(
        "INSERT OR IGNORE INTO queued (execution_id, template_id, template_limit, concurrency_key, priority, enqueued_at) VALUES (?, ?, ?, ?, ?, ?)",
        queued.executionId,
        queued.templateId,
        queued.templateLimit,
        queued.concurrencyKey,
        queued.priority,
        queued.enqueuedAt,
      );
      this.queued.set(queued.executionId, queued);
    }
    const plan = await this.admitWhatFits(entry.executionId);
    if (plan.self) return { admitted: true };
    const waiting = plan.waiting.find((w) => w.entry.executionId === entry.executionId);
    return { admitted: false, position: waiting?.position ?? 0, reason: waiting?.reason ?? "queued" };
  }

  /** An execution ended (or left the queue): frees its place and admits what fits now. */
  async release(executionId: string): Promise<void> {
    if (this.running.delete(executionId)) this.sql.exec("DELETE FROM running WHERE execution_id = ?", executionId);
    this.watch.remove(executionId);
    if (this.queued.delete(executionId)) this.sql.exec("DELETE FROM queued WHERE execution_id = ?", executionId);
    await this.admitWhatFits(null);
  }

  /** Changes a queued execution's priority; false when it is not queued (any more). */
  async reprioritize(executionId: string, priority: number): Promise<boolean> {
    const entry = this.queued.get(executionId);
    if (!entry) return false;
    this.sql.exec("UPDATE queued SET priority = ? WHERE execution_id = ?", priority, executionId);
    this.queued.set(executionId, { ...entry, priority });
    await this.admitWhatFits(null);
    return true;
  }

  /** Counts a start against a rate limit, or refuses it when the window is full. */
  reserveRate(templateId: string, rateKey: string, limit: number, windowLength: number, executionId: string): RateVerdict {
    const now = Date.now();
    this.sql.exec("DELETE FROM rate_starts WHERE template_id = ? AND rate_key = ? AND at <= ?", templateId, rateKey, now - windowLength);
    const starts = this.sql
      .exec<{ at: number }>("SELECT at FROM rate_starts WHERE template_id = ? AND rate_key = ? ORDER BY at", templateId, rateKey)
      .toArray()
      .map((row) => row.at);
    const verdict = rateVerdict(starts, limit, windowLength);
    if (verdict.ok) {
      this.sql.exec("INSERT OR IGNORE INTO rate_starts (template_id, rate_key, at, execution_id) VALUES (?, ?, ?, ?)", templateId, rateKey, now, executionId);
    }
    return verdict;
  }

  /** Gives back a reserved start (the execution could not be created after all). */
  unreserveRate(templateId: string, rateKey: string, executionId: string): void {
    this.sql.exec("DELETE FROM rate_starts WHERE template_id = ? AND rate_key = ? AND execution_id = ?", templateId, rateKey, executionId);
  }

  async snapshot(): Promise<QueueSnapshot> {
    const globalLimit = (await loadConfig(database(this.env.DB))).globalConcurrency;
    const now = Date.now();
    const running = [...this.running.values()];
    const queued = [...this.queued.values()];
    const reasons = new Map(
      planAdmissions(queued, running.map(toRunningEntry), globalLimit, now).waiting.map((w) => [w.entry.executionId, w.reason]),
    );
    return {
      globalLimit,
      running: running.map((r) => ({ executionId: r.execution_id, templateId: r.template_id, concurrencyKey: r.concurrency_key, admittedAt: r.admitted_at })),
      queued: queueOrder(queued, now).map((e, i) => ({
        executionId: e.executionId,
        templateId: e.templateId,
        concurrencyKey: e.concurrencyKey,
        priority: e.priority,
        enqueuedAt: e.enqueuedAt,
        position: i + 1,
        reason: reasons.get(e.executionId) ?? "about to start",
      })),
    };
  }

  /** The configuration changed (e.g. the global limit): forget the cached copy and admit what fits. */
  async configChanged(): Promise<void> {
    forgetConfig();
    await this.admitWhatFits(null);
  }

  override async alarm(): Promise<void> {
    this.alarmBy = null;
    await this.sweepLostReleases();
    await this.notifyAdmitted([...this.running.values()].filter((r) => r.notified === 0).map((r) => r.execution_id));
    await this.askToWatch(this.watch.due(Date.now(), WATCH_ASKS_PER_ALARM));
    await this.admitWhatFits(null);
  }

  private async admitWhatFits(self: string | null): Promise<{ self: boolean; waiting: ReturnType<typeof planAdmissions>["waiting"] }> {
    const globalLimit = (await loadConfig(database(this.env.DB))).globalConcurrency;
    const now = Date.now();
    const plan = planAdmissions([...this.queued.values()], [...this.running.values()].map(toRunningEntry), globalLimit, now);
    const others: string[] = [];
    for (const entry of plan.admit) {
      const row: RunningRow = {
        execution_id: entry.executionId,
        template_id: entry.templateId,
        template_limit: entry.templateLimit,
        concurrency_key: entry.concurrencyKey,
        admitted_at: now,
        notified: entry.executionId === self ? 1 : 0,
      };
      this.sql.exec("DELETE FROM queued WHERE execution_id = ?", entry.executionId);
      this.sql.exec(
        "INSERT OR REPLACE INTO running (execution_id, template_id, template_limit, concurrency_key, admitted_at, notified) VALUES (?, ?, ?, ?, ?, ?)",
        row.execution_id,
        row.template_id,
        row.template_limit,
        row.concurrency_key,
        row.admitted_at,
        row.notified,
      );
      this.queued.delete(entry.executionId);
      this.running.set(entry.executionId, row);
      this.watch.admitted(entry.executionId, now);
      if (entry.executionId !== self) others.push(entry.executionId);
    }
    this.armAlarm();
    if (others.length > 0) this.ctx.waitUntil(this.notifyAdmitted(others));
    return { self: self !== null && plan.admit.some((e) => e.executionId === self), waiting: plan.waiting };
  }

  /** Tells admitted executions to begin; one that cannot be reached is told again by the alarm. */
  private async notifyAdmitted(ids: string[]): Promise<void> {
    await Promise.all(
      ids.map(async (id) => {
        try {
          await executionStub(this.env, id).admit();
          const row = this.running.get(id);
          if (!row) return;
          this.sql.exec("UPDATE running SET notified = 1 WHERE execution_id = ?", id);
          row.notified = 1;
        } catch (error) {
          console.error(`could not start admitted execution ${id}; will retry`, error);
        }
      }),
    );
  }

  /** Asks running executions to arm their own watchdog alarm; one that cannot be reached is asked again later. */
  private async askToWatch(ids: string[]): Promise<void> {
    await Promise.all(
      ids.map(async (id) => {
        try {
          await executionStub(this.env, id).watch();
          this.watch.remove(id);
        } catch (error) {
          this.watch.postpone(id, Date.now());
          console.error(`could not reach running execution ${id}; will ask again`, error);
        }
      }),
    );
  }

  /** Releases running entries whose execution has ended according to D1, in case a release was lost. */
  private async sweepLostReleases(): Promise<void> {
    if (Date.now() - this.sweptAt < SWEEP_EVERY_MS) return;
    this.sweptAt = Date.now();
    const stale = [...this.running.values()].filter((r) => Date.now() - r.admitted_at > SWEEP_AFTER_MS).map((r) => r.execution_id);
    if (stale.length === 0) return;
    const db = database(this.env.DB);
    for (let i = 0; i < stale.length; i += 90) {
      const rows = await db
        .select({ id: executions.id, status: executions.status })
        .from(executions)
        .where(inArray(executions.id, stale.slice(i, i + 90)));
      for (const row of rows) {
        if ((row.status === "completed" || row.status === "failed" || row.status === "cancelled") && this.running.delete(row.id)) {
          this.sql.exec("DELETE FROM running WHERE execution_id = ?", row.id);
          this.watch.remove(row.id);
        }
      }
    }
  }

  /** Keeps the alarm set for the next sweep (while anything is queued or running) and the next watch due. */
  private armAlarm(): void {
    const sweepAt = this.running.size > 0 || this.queued.size > 0 ? Date.now() + SWEEP_EVERY_MS : Number.POSITIVE_INFINITY;
    const next = Math.min(sweepAt, this.watch.nextDueAt() ?? Number.POSITIVE_INFINITY);
    if (next === Number.POSITIVE_INFINITY || (this.alarmBy !== null && this.alarmBy <= next)) return;
    this.alarmBy = next;
    this.ctx.waitUntil(this.ctx.storage.setAlarm(next));
  }
}

function toQueueEntry(r: QueuedRow): QueueEntry {
  return {
    executionId: r.execution_id,
    templateId: r.template_id,
    templateLimit: r.template_limit,
    concurrencyKey: r.concurrency_key,
    priority: r.priority,
    enqueuedAt: r.enqueued_at,
  };
}

function toRunningEntry(row: RunningRow): RunningEntry {
  return { executionId: row.execution_id, templateId: row.template_id, templateLimit: row.template_limit, concurrencyKey: row.concurrency_key };
}
