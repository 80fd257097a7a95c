/**
 * The `logs` row of a `step.log` event: D1's copy of an execution's log lines, for `GET /v1/logs`
 * across executions. They travel with the execution's other history rows (execution/handovers.ts), so a
 * line costs no call of its own. The execution's own event log stays the source of truth.
 */
import type { LogLevel } from "#shared/agent.ts";
import type { ExecutionEvent } from "#shared/execution.ts";
import type { LogRow } from "./rows.ts";

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
