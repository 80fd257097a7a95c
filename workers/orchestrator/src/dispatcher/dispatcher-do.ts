/**
 * DispatcherDO: the queue. Executions are enqueued when they are created and released when they end;
 * the dispatcher admits them under the global limit (config), template limits and concurrency keys, in
 * priority order (see admission.ts). It also keeps the starts per rate-limit key, so that a limit such
 * as "3 per theme per 30 days" holds exactly even under concurrent starts.
 *
 * It is called twice per execution (enqueue, release), never per step. Its state is in SQLite: a
 * restart loses no queued execution. docs/dispatcher.md explains how it shards when one is not enough.
 */
import { DurableObject } from "cloudflare:workers";
import type { QueueSnapshot } from "#shared/api/resources.ts";
import { loadConfig, forgetConfig } from "../config/store.ts";
import { database } from "../db/client.ts";
import { executionStub } from "../execution/start.ts";
import { inArray } from "drizzle-orm";
import { executions } from "../db/schema.ts";
import { planAdmissions, type QueueEntry, type RunningEntry, queueOrder } from "./admission.ts";
import { type RateVerdict, rateVerdict } from "./rate-window.ts";

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

export type Admission = { admitted: true } | { admitted: false; position: number; reason: string };


type QueuedRow = { execution_id: string; template_id: string; template_limit: number | null; concurrency_key: string | null; priority: number; enqueued_at: number };
type RunningRow = { execution_id: string; template_id: string; template_limit: number | null; concurrency_key: string | null; admitted_at: number; notified: number };

export class DispatcherDO extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
  }

  /** Queues an execution (again: idempotent) and says whether it may start now. */
  async enqueue(entry: Omit<QueueEntry, "enqueuedAt">): Promise<Admission> {
    if (this.sql.exec("SELECT 1 FROM running WHERE execution_id = ?", entry.executionId).toArray().length > 0) {
      return { admitted: true };
    }
    this.sql.exec(
      "INSERT OR IGNORE INTO queued (execution_id, template_id, template_limit, concurrency_key, priority, enqueued_at) VALUES (?, ?, ?, ?, ?, ?)",
      entry.executionId,
      entry.templateId,
      entry.templateLimit,
      entry.concurrencyKey,
      entry.priority,
      Date.now(),
    );
    const plan = await this.admitWhatFits(entry.executionId);
    if (plan.self) return { admitted: true };
    const waiting = plan.waiting.find((w) => w.entry.executionId === entry.executionId);
    return { admitted: false, position: waiting?.position ?? 0, reason: waiting?.reason ?? "queued" };
  }

  /** An execution ended (or left the queue): frees its place and admits what fits now. */
  async release(executionId: string): Promise<void> {
    this.sql.exec("DELETE FROM running WHERE execution_id = ?", executionId);
    this.sql.exec("DELETE FROM queued WHERE execution_id = ?", executionId);
    await this.admitWhatFits(null);
  }

  /** Changes a queued execution's priority; false when it is not queued (any more). */
  async reprioritize(executionId: string, priority: number): Promise<boolean> {
    const changed = this.sql.exec("UPDATE queued SET priority = ? WHERE execution_id = ?", priority, executionId).rowsWritten > 0;
    if (changed) await this.admitWhatFits(null);
    return changed;
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
    const running = this.runningRows();
    const queued = this.queuedEntries();
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
    await this.sweepLostReleases();
    await this.notifyAdmitted(this.runningRows().filter((r) => r.notified === 0).map((r) => r.execution_id));
    await this.admitWhatFits(null);
  }

  private async admitWhatFits(self: string | null): Promise<{ self: boolean; waiting: ReturnType<typeof planAdmissions>["waiting"] }> {
    const globalLimit = (await loadConfig(database(this.env.DB))).globalConcurrency;
    const now = Date.now();
    const plan = planAdmissions(this.queuedEntries(), this.runningRows().map(toRunningEntry), globalLimit, now);
    const others: string[] = [];
    for (const entry of plan.admit) {
      this.sql.exec("DELETE FROM queued WHERE execution_id = ?", entry.executionId);
      this.sql.exec(
        "INSERT OR REPLACE INTO running (execution_id, template_id, template_limit, concurrency_key, admitted_at, notified) VALUES (?, ?, ?, ?, ?, ?)",
        entry.executionId,
        entry.templateId,
        entry.templateLimit,
        entry.concurrencyKey,
        now,
        entry.executionId === self ? 1 : 0,
      );
      if (entry.executionId !== self) others.push(entry.executionId);
    }
    this.armSweep();
    if (others.length > 0) this.ctx.waitUntil(this.notifyAdmitted(others));
    return { self: self !== null && plan.admit.some((e) => e.executionId === self), waiting: plan.waiting };
  }

  /** Tells admitted executions to begin; one that cannot be reached is told again by the alarm. */
  private async notifyAdmitted(ids: string[]): Promise<void> {
    await Promise.all(
      ids.map(async (id) => {
        try {
          await executionStub(this.env, id).admit();
          this.sql.exec("UPDATE running SET notified = 1 WHERE execution_id = ?", id);
        } catch (error) {
          console.error(`could not start admitted execution ${id}; will retry`, error);
        }
      }),
    );
  }

  /** Releases running entries whose execution has ended according to D1, in case a release was lost. */
  private async sweepLostReleases(): Promise<void> {
    const stale = this.runningRows().filter((r) => Date.now() - r.admitted_at > SWEEP_AFTER_MS).map((r) => r.execution_id);
    if (stale.length === 0) return;
    const db = database(this.env.DB);
    for (let i = 0; i < stale.length; i += 90) {
      const rows = await db
        .select({ id: executions.id, status: executions.status })
        .from(executions)
        .where(inArray(executions.id, stale.slice(i, i + 90)));
      for (const row of rows) {
        if (row.status === "completed" || row.status === "failed" || row.status === "cancelled") {
          this.sql.exec("DELETE FROM running WHERE execution_id = ?", row.id);
        }
      }
    }
  }

  private armSweep(): void {
    const busy = this.sql.exec("SELECT (SELECT COUNT(*) FROM running) + (SELECT COUNT(*) FROM queued) AS n").one().n as number;
    if (busy === 0) return;
    this.ctx.waitUntil(
      this.ctx.storage.getAlarm().then((at) => (at === null ? this.ctx.storage.setAlarm(Date.now() + SWEEP_EVERY_MS) : undefined)),
    );
  }

  private queuedEntries(): QueueEntry[] {
    return this.sql
      .exec<QueuedRow>("SELECT * FROM queued")
      .toArray()
      .map((r) => ({
        executionId: r.execution_id,
        templateId: r.template_id,
        templateLimit: r.template_limit,
        concurrencyKey: r.concurrency_key,
        priority: r.priority,
        enqueuedAt: r.enqueued_at,
      }));
  }

  private runningRows(): RunningRow[] {
    return this.sql.exec<RunningRow>("SELECT * FROM running").toArray();
  }
}

function toRunningEntry(row: RunningRow): RunningEntry {
  return { executionId: row.execution_id, templateId: row.template_id, templateLimit: row.template_limit, concurrencyKey: row.concurrency_key };
}
