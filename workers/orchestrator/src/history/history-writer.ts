/**
 * The history writer, a role of the control shard (control-plane/control-shard-do.ts): writes its
 * executions' history rows to D1, many executions per batch. Executions
 * hand their rows over (`write`); the writer stores each handover in its own SQLite before it answers,
 * so nothing handed over is lost to a crash, and writes what it holds to D1 within FLUSH_DELAY_MS,
 * one statement per table. A D1 call costs about as much for fifty executions as for one: this keeps
 * D1 off every execution's path. Readers of the history call `commit` first (history/writer.ts), so
 * they see every handover made before they asked.
 */
import type { RoleAlarm } from "../control-plane/shared-alarm.ts";
import { historyStatements } from "./d1-statements.ts";
import { byExecution, PendingHistory, type PendingRow } from "./pending.ts";
import { announceEnded, endedExecutions } from "../telemetry/ended.ts";
import type { HistoryRows } from "./rows.ts";

/** How long rows wait for others to share their D1 batch. */
const FLUSH_DELAY_MS = 100;
/** This many pending rows are written at once. */
const FLUSH_AT_ROWS = 2000;
/** The alarm that writes what an evicted or restarted instance still held. */
const BACKSTOP_MS = 5000;
const MAX_RETRY_DELAY_MS = 30_000;
/** An execution whose rows D1 refused this many times while it took everyone else's loses them (logged). */
const MAX_REFUSALS = 5;
const REFUSED_RETRY_MS = 1000;

export type CommitResult = { ok: true } | { ok: false; error: string };

export class HistoryWriter {
  private readonly pending = new PendingHistory();
  private rev: number;
  private flushing: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerDue = 0;
  private alarmSet = false;
  private retryDelayMs = 0;
  private readonly refusals = new Map<string, number>();

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly alarm: RoleAlarm,
  ) {
    const sql = ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS handovers (rev INTEGER PRIMARY KEY, execution_id TEXT NOT NULL, rows TEXT NOT NULL)");
    let rev = 0;
    for (const row of sql.exec<{ rev: number; execution_id: string; rows: string }>("SELECT rev, execution_id, rows FROM handovers ORDER BY rev")) {
      this.pending.add(row.rev, row.execution_id, JSON.parse(row.rows) as HistoryRows);
      rev = row.rev;
    }
    this.rev = rev;
    this.schedule(0);
  }

  /** Takes over one execution's rows: durable here when this answers, in D1 within FLUSH_DELAY_MS. */
  write(executionId: string, rows: HistoryRows): void {
    const rev = ++this.rev;
    this.ctx.storage.sql.exec("INSERT INTO handovers (rev, execution_id, rows) VALUES (?, ?, ?)", rev, executionId, JSON.stringify(rows));
    this.pending.add(rev, executionId, rows);
    this.schedule(this.pending.size >= FLUSH_AT_ROWS ? 0 : FLUSH_DELAY_MS);
  }

  /**
   * Answers once D1 has every row handed over before the call, or why it has not. (An answer, not an
   * exception: the reader decides whether to go on.)
   */
  async commit(): Promise<CommitResult> {
    const upTo = this.rev;
    for (let round = 0; this.pending.hasThrough(upTo); round++) {
      const error = round === 3 ? "rows keep arriving" : await this.flush().then(() => null, (e: unknown) => (e instanceof Error ? e.message : String(e)));
      if (error !== null) return { ok: false, error: `D1 did not take the pending history rows (${error}); the writer keeps them and retries` };
    }
    return { ok: true };
  }

  /** The object's alarm fired: write what an evicted or restarted instance still held. */
  async onAlarm(): Promise<void> {
    this.alarmSet = false;
    // The flush re-arms the timer and this alarm for whatever is still pending.
    await this.flush().catch((error: unknown) => console.error("history flush failed; will retry", error));
  }

  private flush(): Promise<void> {
    this.flushing ??= this.writePending().finally(() => {
      this.flushing = undefined;
      this.schedule(this.retryDelayMs || FLUSH_DELAY_MS);
    });
    return this.flushing;
  }

  private schedule(delayMs: number): void {
    if (this.pending.size === 0) return;
    const due = Date.now() + delayMs;
    if (!this.alarmSet) {
      this.alarmSet = true;
      this.alarm.wakeBy(Date.now() + Math.max(BACKSTOP_MS, delayMs));
    }
    if (this.flushing || (this.timer !== undefined && this.timerDue <= due)) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.ctx.waitUntil(this.flush().catch((error: unknown) => console.error("history flush failed; will retry", error)));
    }, delayMs);
  }

  private async writePending(): Promise<void> {
    const rows = this.pending.snapshot();
    if (rows.length === 0) return;
    try {
      await this.env.DB.batch(historyStatements(this.env.DB, rows));
      this.written(rows);
      this.retryDelayMs = 0;
    } catch (error) {
      await this.writeOneByOne(rows, error);
    }
  }

  /**
   * After a failed batch, each execution's rows on their own: one execution's bad row must not hold up
   * everyone's history. When D1 takes none of them and does not answer a plain query either, D1 is the
   * trouble: back off and keep everything.
   */
  private async writeOneByOne(rows: PendingRow[], batchError: unknown): Promise<void> {
    const d1 = this.env.DB;
    const groups = byExecution(rows);
    const results: PromiseSettledResult<unknown>[] =
      groups.length === 1 ? [{ status: "rejected", reason: batchError }] : await Promise.allSettled(groups.map((group) => d1.batch(historyStatements(d1, group))));
    const refused = groups.filter((_, index) => results[index]!.status === "rejected");
    this.written(groups.filter((_, index) => results[index]!.status === "fulfilled").flat());
    if (refused.length === groups.length && !(await d1.prepare("SELECT 1").run().then(() => true, () => false))) {
      this.retryDelayMs = Math.min(Math.max(this.retryDelayMs * 2, 1000), MAX_RETRY_DELAY_MS);
      throw batchError;
    }
    // D1 answers but refuses these rows: try again in a while, not at every flush.
    this.retryDelayMs = refused.length > 0 ? REFUSED_RETRY_MS : 0;
    let kept = 0;
    for (const group of refused) {
      const executionId = group[0]!.executionId;
      const times = (this.refusals.get(executionId) ?? 0) + 1;
      this.refusals.set(executionId, times);
      const reason = (results[groups.indexOf(group)] as PromiseRejectedResult).reason;
      if (times < MAX_REFUSALS) {
        console.error(`D1 refused the history rows of execution ${executionId} (${times} times); will retry`, reason);
        kept++;
        continue;
      }
      console.error(`D1 refused the history rows of execution ${executionId} ${times} times; dropping them (its Durable Object keeps the execution)`, reason);
      this.pending.drop(group);
      this.refusals.delete(executionId);
      this.forgetHandovers(group);
    }
    if (kept > 0) throw batchError;
  }

  private written(rows: PendingRow[]): void {
    if (rows.length === 0) return;
    this.pending.written(rows);
    // Ended executions are in D1 now: their traces can be built (when OpenTelemetry export is on).
    const ended = endedExecutions(rows);
    if (ended.length > 0) this.ctx.waitUntil(announceEnded(this.env, ended));
    for (const row of rows) this.refusals.delete(row.executionId);
    this.forgetHandovers(rows);
  }

  /**
   * Deletes the stored handovers up to the newest one written, but those a pending row still needs. A
   * handover whose rows were all replaced goes too: left behind, a restart would replay it after newer ones were gone.
   */
  private forgetHandovers(rows: PendingRow[]): void {
    const sql = this.ctx.storage.sql;
    const live = this.pending.liveRevs();
    const highest = Math.max(...rows.map((row) => row.rev));
    if (![...live].some((rev) => rev <= highest)) {
      sql.exec("DELETE FROM handovers WHERE rev <= ?", highest);
      return;
    }
    for (const { rev } of sql.exec<{ rev: number }>("SELECT rev FROM handovers WHERE rev <= ?", highest).toArray()) {
      if (!live.has(rev)) sql.exec("DELETE FROM handovers WHERE rev = ?", rev);
    }
  }
}
