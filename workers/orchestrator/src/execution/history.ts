/**
 * Keeps the execution's rows in D1's history current (the `executions` summary, one `step_runs` row per
 * step and `usage` rows per attempt), so that history lists never wake a Durable Object. Changes are
 * coalesced and handed to the history writer (history/history-writer-do.ts), which batches them with
 * other executions' into D1: what a reader acts on (the execution's status, a step starting to wait)
 * within URGENT_FLUSH_MS, everything with it; the summary's progress (steps done, cost) within
 * FLUSH_INTERVAL_MS; step rows with the next urgent handover, the next one STEP_ROWS_INTERVAL_MS after
 * the last one that had them, or the watchdog's `flushStale` (metrics read them; nothing needs them by
 * the second, and no timer keeps an idle object awake for them).
 */
import type { AuditRow, HistoryRows, StepRunRow, UsageRow } from "../history/rows.ts";
import { type ExecutionRecord, type StepRecord, WHOLE_STEP } from "./records.ts";

const FLUSH_INTERVAL_MS = 1000;
const STEP_ROWS_INTERVAL_MS = 10_000;
const URGENT_FLUSH_MS = 20;

/** Where the rows go: the history writer, in the runtime (history/writer.ts). */
export interface HistoryTarget {
  write(executionId: string, rows: HistoryRows): Promise<void>;
  /** Resolves once D1 has every row handed over. */
  commit(): Promise<void>;
}

export interface HistorySnapshot {
  execution: ExecutionRecord;
  stepsTotal: number;
  stepsDone: number;
  steps: StepRecord[];
  stepInfo: (stepId: string) => { type: string; agent: string | null };
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

  /** Writes step rows that have waited STEP_ROWS_INTERVAL_MS or more (the watchdog calls it). */
  async flushStale(): Promise<void> {
    if (this.dirtySteps.size > 0 && Date.now() - this.stepRowsWrittenAt >= STEP_ROWS_INTERVAL_MS) await this.flushPending(false);
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

  private schedule(urgent = false): void {
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
      this.schedule();
      throw error;
    }
  }

  private async writeBatch(stepIds: string[], usageRows: UsageRow[], auditRows: AuditRow[]): Promise<void> {
    const { execution: e, stepsTotal, stepsDone, steps, stepInfo } = this.snapshot();
    const wanted = new Set(stepIds);
    const stepRuns: StepRunRow[] = steps
      .filter((s) => s.item === WHOLE_STEP && wanted.has(s.stepId))
      .map((s) => ({
        executionId: e.id,
        stepId: s.stepId,
        ...stepInfo(s.stepId),
        status: s.status,
        waitingFor: s.waitingFor,
        attempts: s.attempt,
        startedAt: s.startedAt,
        endedAt: s.endedAt,
        durationMs: s.startedAt !== null && s.endedAt !== null ? s.endedAt - s.startedAt : null,
        costUsd: s.usage.costUsd,
        error: s.error ? `${s.error.code}: ${s.error.message}` : null,
      }));
    await this.target.write(e.id, {
      execution: {
        id: e.id,
        templateId: e.templateId,
        templateVersion: e.templateVersion,
        status: e.status,
        params: e.params,
        priority: e.priority,
        idempotencyKey: e.idempotencyKey,
        concurrencyKey: e.concurrencyKey,
        rateKey: e.rateKey,
        parentExecutionId: e.parent?.executionId ?? null,
        error: e.error,
        costUsd: e.costUsd,
        stepsTotal,
        stepsDone,
        createdBy: e.createdBy,
        createdAt: e.createdAt,
        startedAt: e.startedAt,
        endedAt: e.endedAt,
        updatedAt: Date.now(),
      },
      ...(stepRuns.length > 0 ? { stepRuns } : {}),
      ...(usageRows.length > 0 ? { usage: usageRows } : {}),
      ...(auditRows.length > 0 ? { audit: auditRows } : {}),
    });
  }
}
