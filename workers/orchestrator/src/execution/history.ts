/**
 * Keeps the execution's rows in D1's history current (the `executions` summary, one `step_runs` row per
 * step and `usage` rows per attempt), so that history lists never wake a Durable Object. Changes are
 * coalesced and handed to the history writer (history/history-writer-do.ts), which batches them with
 * other executions' into D1. What a reader acts on (the execution's status, a step starting to wait)
 * goes within URGENT_FLUSH_MS, with everything else pending; the rest (steps done, cost, step rows)
 * waits for that, for the watchdog's `flushStale` (at most every FLUSH_INTERVAL_MS while anything runs)
 * or for the end. So a run hands over on status changes and never per step.
 */
import type { AuditRow, ExecutionRow, HistoryRows, StepRunRow, UsageRow } from "../history/rows.ts";

const FLUSH_INTERVAL_MS = 10_000;
const STEP_ROWS_INTERVAL_MS = 10_000;
const URGENT_FLUSH_MS = 20;

/** Where the rows go: the history writer, in the runtime (history/writer.ts). */
export interface HistoryTarget {
  write(executionId: string, rows: HistoryRows): Promise<void>;
  /** Resolves once D1 has every row handed over. */
  commit(): Promise<void>;
}

/** The execution's rows as they stand: its summary, and the rows of the steps asked for. */
export interface HistorySnapshot {
  execution: Omit<ExecutionRow, "updatedAt">;
  stepRuns(stepIds: readonly string[]): StepRunRow[];
}

export class HistorySync {
  private dirtySteps = new Set<string>();
  private dirtyExecution = false;
  private pendingUsage: UsageRow[] = [];
  private pendingAudit: AuditRow[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerDue = 0;
  private urgent = false;
  private stepRowsWrittenAt = Date.now();
  private handedOverAt = Date.now();
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly target: HistoryTarget,
    private readonly snapshot: () => HistorySnapshot,
    private readonly waitUntil: (promise: Promise<unknown>) => void,
  ) {}

  markExecution(urgent = false): void {
    this.dirtyExecution = true;
    this.schedule(urgent);
  }

  markStep(stepId: string, urgent = false): void {
    this.dirtySteps.add(stepId);
    this.dirtyExecution = true;
    this.schedule(urgent);
  }

  addUsage(row: UsageRow): void {
    this.pendingUsage.push(row);
    this.schedule();
  }

  /** An audit entry to write with the next batch (the start's, in the execution's first batch). */
  addAudit(row: AuditRow): void {
    this.pendingAudit.push(row);
    this.schedule(true);
  }

  /** Hands everything pending over now (and waits for a handover already under way). */
  flush(): Promise<void> {
    return this.flushPending(true);
  }

  /** Hands everything over and waits until D1 has it. */
  async commit(): Promise<void> {
    await this.flush();
    await this.target.commit();
  }

  /** Hands over what waited FLUSH_INTERVAL_MS or more (the watchdog alarm calls it while anything runs). */
  async flushStale(): Promise<void> {
    const dirty = this.dirtyExecution || this.dirtySteps.size > 0 || this.pendingUsage.length > 0;
    if (dirty && Date.now() - this.handedOverAt >= FLUSH_INTERVAL_MS) await this.flushPending(true);
  }

  private async flushPending(everything: boolean): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.flushing) await this.flushing;
    const withSteps = everything || this.urgent || Date.now() - this.stepRowsWrittenAt >= STEP_ROWS_INTERVAL_MS;
    const stepRows = withSteps && this.dirtySteps.size > 0;
    if (!this.dirtyExecution && !stepRows && this.pendingUsage.length === 0 && this.pendingAudit.length === 0) return;
    this.urgent = false;
    this.flushing = this.write(withSteps).finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
  }

  /**
   * Only what readers act on sets a timer: the rest waits for the next urgent handover, the watchdog's
   * `flushStale` or the end, so a long step costs no handover of its own and no timer keeps the object awake.
   */
  private schedule(urgent = false, retry = false): void {
    if (!urgent && !retry) return;
    if (urgent) this.urgent = true;
    const due = Date.now() + (urgent ? URGENT_FLUSH_MS : FLUSH_INTERVAL_MS);
    if (this.timer !== undefined) {
      if (this.timerDue <= due) return;
      clearTimeout(this.timer);
    }
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.waitUntil(this.flushPending(false).catch((error) => console.error("history flush failed; will retry", error)));
    }, Math.max(0, due - Date.now()));
  }

  private async write(withSteps: boolean): Promise<void> {
    const stepIds = withSteps ? [...this.dirtySteps] : [];
    const usageRows = this.pendingUsage;
    const auditRows = this.pendingAudit;
    if (withSteps) {
      this.dirtySteps = new Set();
      this.stepRowsWrittenAt = Date.now();
    }
    this.dirtyExecution = false;
    this.handedOverAt = Date.now();
    this.pendingUsage = [];
    this.pendingAudit = [];
    try {
      await this.writeBatch(stepIds, usageRows, auditRows);
    } catch (error) {
      // Put the work back so the next flush retries it; nothing is lost while the object lives.
      for (const id of stepIds) this.dirtySteps.add(id);
      this.dirtyExecution = true;
      this.pendingUsage = [...usageRows, ...this.pendingUsage];
      this.pendingAudit = [...auditRows, ...this.pendingAudit];
      this.schedule(false, true);
      throw error;
    }
  }

  private async writeBatch(stepIds: string[], usageRows: UsageRow[], auditRows: AuditRow[]): Promise<void> {
    const { execution, stepRuns } = this.snapshot();
    const steps = stepIds.length > 0 ? stepRuns(stepIds) : [];
    await this.target.write(execution.id, {
      execution: { ...execution, updatedAt: Date.now() },
      ...(steps.length > 0 ? { stepRuns: steps } : {}),
      ...(usageRows.length > 0 ? { usage: usageRows } : {}),
      ...(auditRows.length > 0 ? { audit: auditRows } : {}),
    });
  }
}
