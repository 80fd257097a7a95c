/**
 * Keeps the execution's rows in D1 current (the `executions` summary, one `step_runs` row per step and
 * `usage` rows per attempt), so that history lists never wake a Durable Object. Changes are coalesced
 * into one batch: what a reader acts on (the execution's status, a step starting to wait) within
 * URGENT_FLUSH_MS, step-by-step progress within FLUSH_INTERVAL_MS, so D1 stays off the step hot path.
 */
import { sql } from "drizzle-orm";
import { database } from "../db/client.ts";
import { executions, stepRuns, usage } from "../db/schema.ts";
import { type ExecutionRecord, type StepRecord, WHOLE_STEP } from "./records.ts";

const FLUSH_INTERVAL_MS = 1000;
const URGENT_FLUSH_MS = 20;

export type UsageRow = typeof usage.$inferInsert;

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
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerDue = 0;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly d1: D1Database,
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

  /** Writes everything pending now (and waits for a write already under way). */
  async flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.flushing) await this.flushing;
    if (!this.dirtyExecution && this.dirtySteps.size === 0 && this.pendingUsage.length === 0) return;
    this.flushing = this.write().finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
  }

  private schedule(urgent = false): void {
    const delay = urgent ? URGENT_FLUSH_MS : FLUSH_INTERVAL_MS;
    if (this.timer !== undefined) {
      if (this.timerDue <= Date.now() + delay) return;
      clearTimeout(this.timer);
    }
    this.timerDue = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.waitUntil(this.flush().catch((error) => console.error("history flush failed; will retry", error)));
    }, delay);
  }

  private async write(): Promise<void> {
    const stepIds = [...this.dirtySteps];
    const usageRows = this.pendingUsage;
    this.dirtySteps = new Set();
    this.dirtyExecution = false;
    this.pendingUsage = [];
    try {
      await this.writeBatch(stepIds, usageRows);
    } catch (error) {
      // Put the work back so the next flush retries it; nothing is lost while the object lives.
      for (const id of stepIds) this.dirtySteps.add(id);
      this.dirtyExecution = true;
      this.pendingUsage = [...usageRows, ...this.pendingUsage];
      this.schedule();
      throw error;
    }
  }

  private async writeBatch(stepIds: string[], usageRows: UsageRow[]): Promise<void> {
    const db = database(this.d1);
    const { execution: e, stepsTotal, stepsDone, steps, stepInfo } = this.snapshot();
    const now = Date.now();
    const row = {
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
      updatedAt: now,
    };
    const { id: _id, createdAt: _createdAt, createdBy: _createdBy, ...changes } = row;
    const wanted = new Set(stepIds);
    const stepRows = steps
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
    const statements = [
      db.insert(executions).values(row).onConflictDoUpdate({ target: executions.id, set: changes }),
      ...stepRows.map((s) =>
        db
          .insert(stepRuns)
          .values(s)
          .onConflictDoUpdate({
            target: [stepRuns.executionId, stepRuns.stepId],
            set: {
              status: sql`excluded.status`,
              waitingFor: sql`excluded.waiting_for`,
              attempts: sql`excluded.attempts`,
              startedAt: sql`excluded.started_at`,
              endedAt: sql`excluded.ended_at`,
              durationMs: sql`excluded.duration_ms`,
              costUsd: sql`excluded.cost_usd`,
              error: sql`excluded.error`,
            },
          }),
      ),
      // One statement per row: D1 caps the bound parameters of a single statement at 100.
      ...usageRows.map((u) => db.insert(usage).values(u)),
    ];
    await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
  }
}
