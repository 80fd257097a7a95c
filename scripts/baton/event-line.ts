/** One plain line per event, for `--watch` and `logs --follow` when the output is not a terminal. Pure. */
import { typedEvent, type TypedExecutionEvent } from "#shared/events.ts";
import type { ExecutionEvent } from "#shared/execution.ts";

function detail(event: TypedExecutionEvent): string {
  switch (event.type) {
    case "step.started":
      return `attempt ${event.data.attempt ?? 1}${event.data.agent ? ` on ${event.data.agent}` : ""}`;
    case "step.progress": {
      const { current, total, message, waitingFor } = event.data;
      return typeof current === "number" ? `${current}/${total ?? ""}${message ? ` ${message}` : ""}` : `waiting for ${waitingFor ?? ""}`;
    }
    case "step.retrying":
      return `attempt ${event.data.attempt} failed: ${event.data.error.message}; next in ${Math.round(event.data.delayMs / 100) / 10}s`;
    case "step.fallback":
      return `${event.data.error.message}; falling back to ${event.data.agent}`;
    case "step.failed":
      return event.data.error.message;
    case "step.completed":
      if (event.data.reusedFrom) return `reused from ${event.data.reusedFrom}, no cost`;
      return event.data.status === "skipped" ? `skipped: ${event.data.reason ?? ""}` : `in ${event.data.durationMs ?? ""} ms`;
    case "step.stream":
      return `› ${event.data.chunk.trimEnd().split("\n").at(-1) ?? ""}`;
    case "execution.forked":
      return `forked from ${event.data.stepId} as ${event.data.executionId}`;
    case "step.log":
      return `${event.data.level}: ${event.data.message}`;
    case "approval.required":
      return event.data.message ?? "";
    case "approval.resolved":
      return `${event.data.approved ? "approved" : "rejected"} by ${event.data.by}${event.data.comment ? `: ${event.data.comment}` : ""}`;
    case "execution.failed":
      return event.data.error?.message ?? "";
    case "execution.cancelled":
      return event.data.reason ?? "";
    case "execution.paused":
      return event.data.reason ?? "";
    case "usage.updated":
      return `total $${event.data.totalCostUsd.toFixed(4)}`;
    default:
      return "";
  }
}

export function eventLine(wire: ExecutionEvent): string {
  const event = typedEvent(wire);
  const time = new Date(event.at).toISOString().slice(11, 19);
  const step = "stepId" in event.data ? event.data.stepId + ("item" in event.data && event.data.item !== undefined ? `[${event.data.item}]` : "") : "";
  return [time, String(event.seq).padStart(4), event.type.padEnd(20), step, detail(event)].filter((p) => p !== "").join("  ").trimEnd();
}
