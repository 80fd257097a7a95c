/**
 * Copies an execution's `step.log` events into D1's `logs` table (for `GET /v1/logs`, across
 * executions) through the history writer. It watches the events the execution already publishes, so the
 * engine calls nothing new per line; lines of SHIP_DELAY_MS travel in one handover. The execution's own
 * event log stays the source of truth: a handover that fails loses lines only from the cross-execution
 * view (logged), never from the execution.
 */
import type { LogLevel } from "#shared/agent.ts";
import type { ExecutionEvent } from "#shared/execution.ts";
import type { LogRow } from "./rows.ts";
import { historyWriter } from "./writer.ts";

const SHIP_DELAY_MS = 250;
const LEVELS: ReadonlySet<string> = new Set<LogLevel>(["debug", "info", "warn", "error"]);

/** The D1 row of a `step.log` event, or null for any other event. */
export function logRowOf(event: ExecutionEvent): LogRow | null {
  if (event.type !== "step.log") return null;
  const data = event.data;
  return {
    executionId: event.executionId,
    seq: event.seq,
    stepId: String(data.stepId ?? ""),
    item: typeof data.item === "number" ? data.item : null,
    attempt: typeof data.attempt === "number" ? data.attempt : 0,
    level: typeof data.level === "string" && LEVELS.has(data.level) ? (data.level as LogLevel) : "info",
    message: String(data.message ?? ""),
    at: event.at,
  };
}

export class LogShipper {
  private pending: LogRow[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly env: Env,
    private readonly ctx: DurableObjectState,
  ) {}

  ship(event: ExecutionEvent): void {
    const row = logRowOf(event);
    if (!row) return;
    this.pending.push(row);
    if (this.timer !== undefined) return;
    this.ctx.waitUntil(
      new Promise<void>((resolve) => {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          resolve(this.send());
        }, SHIP_DELAY_MS);
      }),
    );
  }

  private async send(): Promise<void> {
    const rows = this.pending;
    this.pending = [];
    const executionId = rows[0]?.executionId;
    if (!executionId) return;
    await historyWriter(this.env, executionId)
      .write(executionId, { logs: rows })
      .catch((error: unknown) => console.error(`log lines of execution ${executionId} did not reach the history writer`, error));
  }
}
