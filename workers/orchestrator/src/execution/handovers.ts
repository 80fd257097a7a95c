/**
 * What the execution tells its control shard (control-plane/control-shard-do.ts): its rows in D1's
 * history (the `executions` summary, a `step_runs` row per step, `usage` rows per attempt, audit entries,
 * log lines) and its lifecycle events for the live feed, gathered into as few calls as readers allow
 * (docs/scale.md, "Calls per execution"):
 * - the start's go with the enqueue (`begin`), the "started" ones back with the answer to the shard's
 *   `admit`, the last ones with the release (`end`): the shell takes them with `take`;
 * - in between, a lifecycle event, a status change or a step that starts to wait (an approval, say) goes
 *   at the end of its turn (`record`); the rest (steps done, cost, log lines) waits for one of those, for
 *   the watchdog's `flushStale` (at most every FLUSH_INTERVAL_MS while anything runs) or for
 *   MAX_PENDING_LOG_ROWS lines. So a run calls on status changes and never per step.
 */
import type { LiveEvent } from "#shared/execution.ts";
import type { QueueTicket } from "../control-plane/control-shards.ts";
import type { Handover } from "../control-plane/handover.ts";
import type { AuditRow, ExecutionRow, HistoryRows, LogRow, StepRunRow, UsageRow } from "../history/rows.ts";

const FLUSH_INTERVAL_MS = 10_000;
/** Log lines wait for the next handover, up to this many: a chatty agent costs a call per this many lines. */
const MAX_PENDING_LOG_ROWS = 500;

/** Where handovers go: the execution's control shard, in the runtime (execution/links.ts). */
export interface HandoverTarget {
  record(handover: Handover): Promise<void>;
  /** Resolves once D1 has every row handed over. */
  commit(ticket: QueueTicket): Promise<void>;
}

/** The execution's rows as they stand: its summary, and the rows of the steps asked for. */
export interface HistorySnapshot {
  execution: Omit<ExecutionRow, "updatedAt">;
  stepRuns(stepIds: readonly string[]): StepRunRow[];
}

export class Handovers {
  private dirtySteps = new Set<string>();
  private dirtyExecution = false;
  private usage: UsageRow[] = [];
  private audit: AuditRow[] = [];
  private logs: LogRow[] = [];
  private events: LiveEvent[] = [];
  private endOfTurn = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private handedOverAt = Date.now();
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly target: HandoverTarget,
    private readonly snapshot: () => HistorySnapshot,
    private readonly ticket: () => QueueTicket,
    private readonly waitUntil: (promise: Promise<unknown>) => void,
  ) {}

  markExecution(urgent = false): void {
    this.dirtyExecution = true;
    if (urgent) this.atEndOfTurn();
  }

  markStep(stepId: string, urgent = false): void {
    this.dirtySteps.add(stepId);
    this.dirtyExecution = true;
    if (urgent) this.atEndOfTurn();
  }

  addUsage(row: UsageRow): void {
    this.usage.push(row);
  }

  /** An audit entry to write with the next handover (the start's, with the `begin`). */
  addAudit(row: AuditRow): void {
    this.audit.push(row);
    this.atEndOfTurn();
  }

  addLog(row: LogRow): void {
    this.logs.push(row);
    if (this.logs.length >= MAX_PENDING_LOG_ROWS) this.atEndOfTurn();
  }

  /** A lifecycle event for the live feed: readers wait for it, so it goes at the end of its turn. */
  addEvent(event: LiveEvent): void {
    this.events.push(event);
    this.atEndOfTurn();
  }

  /** Everything pending as one handover, taken out (for `begin`, `end` and the answer to `admit`); null when nothing is. */
  take(): Handover | null {
    const stepIds = [...this.dirtySteps];
    if (!this.dirtyExecution && stepIds.length === 0 && this.usage.length + this.audit.length + this.logs.length + this.events.length === 0) return null;
    const { execution, stepRuns } = this.snapshot();
    const steps = stepIds.length > 0 ? stepRuns(stepIds) : [];
    const rows: HistoryRows = {
      execution: { ...execution, updatedAt: Date.now() },
      ...(steps.length > 0 ? { stepRuns: steps } : {}),
      ...(this.usage.length > 0 ? { usage: this.usage } : {}),
      ...(this.audit.length > 0 ? { audit: this.audit } : {}),
      ...(this.logs.length > 0 ? { logs: this.logs } : {}),
    };
    const handover: Handover = { ticket: this.ticket(), events: this.events, rows };
    this.dirtySteps = new Set();
    this.dirtyExecution = false;
    this.usage = [];
    this.audit = [];
    this.logs = [];
    this.events = [];
    this.handedOverAt = Date.now();
    return handover;
  }

  /**
   * A handover that did not arrive: the next one carries it (rows as they stand then, the appended ones and
   * the events as they were), and a retry is due within FLUSH_INTERVAL_MS. Nothing is lost while the object lives.
   */
  putBack(handover: Handover): void {
    const rows = handover.rows;
    this.dirtyExecution = true;
    for (const step of rows?.stepRuns ?? []) this.dirtySteps.add(step.stepId);
    this.usage = [...(rows?.usage ?? []), ...this.usage];
    this.audit = [...(rows?.audit ?? []), ...this.audit];
    this.logs = [...(rows?.logs ?? []), ...this.logs];
    this.events = [...handover.events, ...this.events];
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.waitUntil(this.flush().catch((error) => console.error("handover to the control shard failed; will retry", error)));
    }, FLUSH_INTERVAL_MS);
  }

  /** Hands everything pending over now (after a handover already under way). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => {});
    const handover = this.take();
    if (!handover) return;
    this.flushing = this.target.record(handover).then(
      () => undefined,
      (error: unknown) => {
        this.putBack(handover);
        throw error;
      },
    );
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  /** Hands everything over and waits until D1 has it. */
  async commit(): Promise<void> {
    await this.flush();
    await this.target.commit(this.ticket());
  }

  /** Hands over what waited FLUSH_INTERVAL_MS or more (the watchdog alarm calls it while anything runs). */
  async flushStale(): Promise<void> {
    if (Date.now() - this.handedOverAt >= FLUSH_INTERVAL_MS) await this.flush();
  }

  /** Readers wait for this: it goes once the turn is over, with whatever else the turn left pending. */
  private atEndOfTurn(): void {
    if (this.endOfTurn) return;
    this.endOfTurn = true;
    queueMicrotask(() => {
      this.endOfTurn = false;
      this.waitUntil(this.flush().catch((error) => console.error("handover to the control shard failed; will retry", error)));
    });
  }
}
