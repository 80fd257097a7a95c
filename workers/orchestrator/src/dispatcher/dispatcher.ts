/**
 * The dispatcher: one shard of the queue, a role of the control shard (control-plane/control-shard-do.ts).
 * Executions are enqueued when they are created and released when they end; the shard admits them under
 * its templates' limits and concurrency keys, in priority order (admission.ts), within the slots of the
 * global limit it has borrowed from the lender (global-limit-do.ts). Every execution of a template with a
 * limit (or of one of its concurrency keys) lands on the same shard (control-plane/control-shards.ts), so
 * those limits need no coordination.
 *
 * Its state is in SQLite (a restart loses no queued execution) and mirrored in memory, so that deciding
 * who runs reads no rows. Its alarm is also the watchdog of executions in their first seconds
 * (watch-list.ts), and gives back slots left spare. docs/dispatcher.md and docs/scale.md explain the rest.
 */
import { forgetConfig } from "../config/store.ts";
import { executionStub } from "../execution/stub.ts";
import type { RoleAlarm } from "../control-plane/shared-alarm.ts";
import type { Handover } from "../control-plane/handover.ts";
import { AdmissionQueue, planAdmissions, type QueueEntry, type RunningEntry } from "./admission.ts";
import { GLOBAL_LIMIT_NAME } from "./global-limit-do.ts";
import { type RateStart } from "./rate-limit-do.ts";
import { type LenderWord, slotTarget } from "./slot-target.ts";
import { sweepEnded } from "./sweep.ts";
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
CREATE TABLE IF NOT EXISTS slots (id INTEGER PRIMARY KEY CHECK (id = 0), held INTEGER NOT NULL);`;

/** Running entries older than this are checked against D1, in case their release was lost. */
const SWEEP_AFTER_MS = 60_000;
const SWEEP_EVERY_MS = 30_000;
/** Executions asked to arm their own watchdog per alarm (a fresh dispatcher asks all it runs); the rest at the next one, at once. */
const WATCH_ASKS_PER_ALARM = 500;
/**
 * Spare slots are kept this long for the next starts, then given back to the lender. Keeping them costs
 * no one anything while slots are plenty; when they run short the lender asks for them back at once.
 */
const SPARE_KEEP_MS = 30_000;
/** A shard that waits for slots asks the lender again this often (besides being told when slots come back). */
const RETRY_SLOTS_MS = 1_000;

export type Admission = { admitted: true } | { admitted: false; queued: number };
export type ShardQueued = QueueEntry & { position: number; kind: "global" | "group" | "next"; reason: string };
export interface ShardSnapshot {
  held: number;
  running: { executionId: string; templateId: string; concurrencyKey: string | null; admittedAt: number }[];
  queued: ShardQueued[];
}

type QueuedRow = { execution_id: string; template_id: string; template_limit: number | null; concurrency_key: string | null; priority: number; enqueued_at: number };
type RunningRow = { execution_id: string; template_id: string; template_limit: number | null; concurrency_key: string | null; admitted_at: number; notified: number };

/** What an admitted execution hands back when told to begin: the shard records it (history, live feed). */
export type AdmittedHandover = (executionId: string, handover: Handover | null) => void;

export class Dispatcher {
  private readonly sql: SqlStorage;
  private readonly queue = new AdmissionQueue();
  private readonly running = new Map<string, RunningRow>();
  private readonly watch = new WatchList();
  /** Slots of the global limit this shard holds (borrowed from the lender, stored). */
  private held: number;
  private lender: LenderWord = { contended: false, fairShare: Number.MAX_SAFE_INTEGER };
  private settling: Promise<void> | undefined;
  /** When the lender last gave less than asked (it calls `slotsAvailable` when slots come back). */
  private refusedAt: number | null = null;
  /** Since when this shard has held slots it does not need (null: none spare). */
  private spareSince: number | null = null;
  private alarmBy: number | null = null;
  /** Executions being told to begin right now. */
  private readonly telling = new Map<string, Promise<void>>();
  private sweptAt = 0;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly alarm: RoleAlarm,
    private readonly onAdmitted: AdmittedHandover,
  ) {
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
    for (const row of this.sql.exec<QueuedRow>("SELECT * FROM queued")) this.queue.add(toQueueEntry(row));
    const now = Date.now();
    for (const row of this.sql.exec<RunningRow>("SELECT * FROM running")) {
      this.running.set(row.execution_id, row);
      this.queue.started(toRunningEntry(row));
      this.watch.restored(row.execution_id, now);
    }
    // A shard from before the lender (the single "global" dispatcher) held exactly what it ran.
    this.held = this.sql.exec<{ held: number }>("SELECT held FROM slots").toArray()[0]?.held ?? this.running.size;
    this.armAlarm();
  }

  get name(): string {
    return this.ctx.id.name ?? this.ctx.id.toString();
  }

  /** Queues an execution (again: idempotent) and says whether it may start now. */
  async enqueue(entry: Omit<QueueEntry, "enqueuedAt">): Promise<Admission> {
    if (this.running.has(entry.executionId)) return { admitted: true };
    if (!this.queue.has(entry.executionId)) {
      const queued: QueueEntry = { ...entry, enqueuedAt: Date.now() };
      this.sql.exec(
        "INSERT OR IGNORE INTO queued (execution_id, template_id, template_limit, concurrency_key, priority, enqueued_at) VALUES (?, ?, ?, ?, ?, ?)",
        queued.executionId, queued.templateId, queued.templateLimit, queued.concurrencyKey, queued.priority, queued.enqueuedAt,
      );
      this.queue.add(queued);
    }
    await this.admitWhatFits(entry.executionId);
    if (this.running.has(entry.executionId)) {
      // Told before the answer (or, when another call admitted it, that telling awaited), so that what it
      // hands back on starting rides this call's answer and never needs a call of its own.
      if (this.running.get(entry.executionId)?.notified === 0) await this.tell(entry.executionId);
      return { admitted: true };
    }
    // Its place and reason are in `GET /v1/queue`: working them out here would sort the queue per call.
    return { admitted: false, queued: this.queue.size };
  }

  /** An execution ended (or left the queue): frees its place and admits what fits now. */
  async release(executionId: string): Promise<void> {
    if (this.running.delete(executionId)) this.sql.exec("DELETE FROM running WHERE execution_id = ?", executionId);
    this.queue.ended(executionId);
    this.watch.remove(executionId);
    if (this.queue.remove(executionId)) this.sql.exec("DELETE FROM queued WHERE execution_id = ?", executionId);
    await this.admitWhatFits(null);
  }

  /** Changes a queued execution's priority; false when it is not queued here (any more). */
  async reprioritize(executionId: string, priority: number): Promise<boolean> {
    const entry = this.queue.remove(executionId);
    if (!entry) return false;
    this.sql.exec("UPDATE queued SET priority = ? WHERE execution_id = ?", priority, executionId);
    this.queue.add({ ...entry, priority });
    await this.admitWhatFits(null);
    return true;
  }

  /** Rate windows counted by the single dispatcher of earlier versions, for the rate-limit object of that key to take over. */
  legacyRateStarts(templateId: string, rateKey: string): RateStart[] {
    return this.sql
      .exec<RateStart>("SELECT at, execution_id AS executionId FROM rate_starts WHERE template_id = ? AND rate_key = ?", templateId, rateKey)
      .toArray();
  }

  /** This shard's part of `GET /v1/queue`: its queue in order, each entry with why it waits. */
  async snapshot(): Promise<ShardSnapshot> {
    const running = [...this.running.values()];
    const queued = this.queue.queued();
    const plan = planAdmissions(queued, running.map(toRunningEntry), Math.min(this.held, this.lender.contended ? this.lender.fairShare : this.held));
    const waiting = new Map(plan.waiting.map((w) => [w.entry.executionId, w]));
    const ordered = [...plan.admit, ...plan.waiting.map((w) => w.entry)];
    return {
      held: this.held,
      running: running.map((r) => ({ executionId: r.execution_id, templateId: r.template_id, concurrencyKey: r.concurrency_key, admittedAt: r.admitted_at })),
      queued: ordered.map((e, i) => {
        const w = waiting.get(e.executionId);
        return { ...e, position: i + 1, kind: w?.kind ?? "next", reason: w?.reason ?? "about to start" };
      }),
    };
  }

  /** The lender has slots again (this shard asked for more than it got). */
  async slotsAvailable(): Promise<void> {
    this.refusedAt = null;
    await this.admitWhatFits(null);
  }

  /** The lender is short: keep no more than a fair share, give back what is spare. */
  async reclaim(): Promise<void> {
    this.lender = { ...this.lender, contended: true };
    await this.admitWhatFits(null);
  }

  /** The configuration changed (e.g. the global limit): forget the cached copy and admit what fits. */
  async configChanged(): Promise<void> {
    forgetConfig();
    await this.admitWhatFits(null);
  }

  /** The object's alarm fired: sweep, start what was not told yet, watch, admit. */
  async onAlarm(): Promise<void> {
    this.alarmBy = null;
    if (Date.now() - this.sweptAt >= SWEEP_EVERY_MS) {
      this.sweptAt = Date.now();
      const stale = [...this.running.values()].filter((r) => Date.now() - r.admitted_at > SWEEP_AFTER_MS).map((r) => r.execution_id);
      for (const id of await sweepEnded(this.env, stale)) {
        if (this.running.delete(id)) this.sql.exec("DELETE FROM running WHERE execution_id = ?", id);
        this.queue.ended(id);
        this.watch.remove(id);
      }
    }
    await this.notifyAdmitted([...this.running.values()].filter((r) => r.notified === 0).map((r) => r.execution_id));
    await this.askToWatch(this.watch.due(Date.now(), WATCH_ASKS_PER_ALARM));
    await this.admitWhatFits(null);
  }

  /**
   * Admits what the held slots allow; borrows from the lender when more could start (unless it just said
   * no: it calls back when slots return) and gives back what is not needed. One lender call at a time.
   */
  private async admitWhatFits(self: string | null): Promise<void> {
    for (let round = 0; round < 4; round++) {
      this.admitWithin(self);
      if (self !== null && this.running.has(self)) break;
      const target = this.target();
      const wantMore = target.hold > this.held && (this.refusedAt === null || Date.now() - this.refusedAt >= RETRY_SLOTS_MS);
      if (!wantMore && target.hold >= this.held) break;
      this.settling ??= this.settle(target.hold).finally(() => (this.settling = undefined));
      await this.settling;
    }
    this.armAlarm();
  }

  private target() {
    const admissible = this.queue.admissible(1000);
    const keepSpare = this.spareSince === null || Date.now() - this.spareSince < SPARE_KEEP_MS;
    return slotTarget(this.held, this.queue.running, admissible, this.lender, keepSpare);
  }

  private async settle(hold: number): Promise<void> {
    const want = Math.max(0, hold - this.held);
    if (hold < this.held) this.setHeld(hold);
    try {
      const stub = this.env.GLOBAL_LIMIT.get(this.env.GLOBAL_LIMIT.idFromName(GLOBAL_LIMIT_NAME));
      const grant = await stub.settle(this.name, this.held, want);
      this.lender = { contended: grant.contended, fairShare: grant.fairShare };
      if (grant.granted > 0) this.setHeld(this.held + grant.granted);
      this.refusedAt = grant.granted < want ? Date.now() : null;
    } catch (error) {
      console.error("the global limit's lender did not answer; admitting within the slots held", error);
    }
  }

  private setHeld(held: number): void {
    this.held = held;
    this.sql.exec("INSERT OR REPLACE INTO slots (id, held) VALUES (0, ?)", held);
  }

  /** Admits what the held slots allow, in order, and tells them to begin (but `self`, which its caller tells). */
  private admitWithin(self: string | null): void {
    const now = Date.now();
    const { room } = this.target();
    const others: string[] = [];
    for (const entry of this.queue.admit(room)) {
      const row: RunningRow = {
        execution_id: entry.executionId,
        template_id: entry.templateId,
        template_limit: entry.templateLimit,
        concurrency_key: entry.concurrencyKey,
        admitted_at: now,
        notified: 0,
      };
      this.sql.exec("DELETE FROM queued WHERE execution_id = ?", entry.executionId);
      this.sql.exec(
        "INSERT OR REPLACE INTO running (execution_id, template_id, template_limit, concurrency_key, admitted_at, notified) VALUES (?, ?, ?, ?, ?, ?)",
        row.execution_id, row.template_id, row.template_limit, row.concurrency_key, row.admitted_at, row.notified,
      );
      this.running.set(entry.executionId, row);
      this.watch.admitted(entry.executionId, now);
      if (entry.executionId !== self) others.push(entry.executionId);
    }
    const spare = this.held > this.queue.running && this.queue.admissible(1) === 0;
    if (!spare) this.spareSince = null;
    else this.spareSince ??= now;
    if (others.length > 0) this.ctx.waitUntil(this.notifyAdmitted(others));
  }

  /** Tells admitted executions to begin; one that cannot be reached is told again by the alarm. */
  private async notifyAdmitted(ids: string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.tell(id)));
  }

  /** Tells one admitted execution to begin, once at a time: a second ask while it is told waits for the first. */
  private tell(id: string): Promise<void> {
    const under = this.telling.get(id);
    if (under) return under;
    const telling = this.tellOnce(id).finally(() => this.telling.delete(id));
    this.telling.set(id, telling);
    return telling;
  }

  private async tellOnce(id: string): Promise<void> {
    try {
      this.onAdmitted(id, await executionStub(this.env, id).admit());
      const row = this.running.get(id);
      if (!row || row.notified === 1) return;
      this.sql.exec("UPDATE running SET notified = 1 WHERE execution_id = ?", id);
      row.notified = 1;
    } catch (error) {
      console.error(`could not start admitted execution ${id}; will retry`, error);
    }
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

  /** Keeps the alarm set for the next sweep, watch, spare slots to give back, or slots to ask for again. */
  private armAlarm(): void {
    const now = Date.now();
    const candidates = [this.watch.nextDueAt() ?? Number.POSITIVE_INFINITY];
    if (this.running.size > 0 || this.queue.size > 0) candidates.push(now + SWEEP_EVERY_MS);
    if (this.spareSince !== null) candidates.push(this.spareSince + SPARE_KEEP_MS);
    if (this.queue.admissible(1) > 0 && this.queue.running >= this.held) candidates.push(now + RETRY_SLOTS_MS);
    const next = Math.min(...candidates);
    if (next === Number.POSITIVE_INFINITY || (this.alarmBy !== null && this.alarmBy <= next && this.alarmBy > now - 1000)) return;
    this.alarmBy = next;
    this.alarm.wakeBy(next);
  }
}

function toQueueEntry(r: QueuedRow): QueueEntry {
  return { executionId: r.execution_id, templateId: r.template_id, templateLimit: r.template_limit, concurrencyKey: r.concurrency_key, priority: r.priority, enqueuedAt: r.enqueued_at };
}

function toRunningEntry(row: RunningRow): RunningEntry {
  return { executionId: row.execution_id, templateId: row.template_id, templateLimit: row.template_limit, concurrencyKey: row.concurrency_key };
}
