/** One plain line per event, for `--watch` and `logs --follow` when the output is not a terminal. Pure. */
import type { ExecutionEvent } from "#shared/execution.ts";

function text(value: unknown): string {
  return typeof value === "string" ? value : value === undefined || value === null ? "" : JSON.stringify(value);
}

function detail(event: ExecutionEvent): string {
  const d = event.data;
  const error = d.error && typeof d.error === "object" ? text((d.error as { message?: unknown }).message) : "";
  switch (event.type) {
    case "step.started":
      return `attempt ${text(d.attempt ?? 1)}${d.agent ? ` on ${text(d.agent)}` : ""}`;
    case "step.progress":
      return typeof d.current === "number" ? `${d.current}/${text(d.total)}${d.message ? ` ${text(d.message)}` : ""}` : `waiting for ${text(d.waitingFor)}`;
    case "step.retrying":
      return `attempt ${text(d.attempt)} failed: ${error}; next in ${Math.round(Number(d.delayMs ?? 0) / 100) / 10}s`;
    case "step.failed":
      return error;
    case "step.completed":
      if (d.reusedFrom) return `reused from ${text(d.reusedFrom)}, no cost`;
      return d.status === "skipped" ? `skipped: ${text(d.reason)}` : `in ${text(d.durationMs)} ms`;
    case "step.stream":
      return `› ${text(d.chunk).trimEnd().split("\n").at(-1) ?? ""}`;
    case "step.fallback":
      return `${error}; falling back to ${text(d.agent)}`;
    case "execution.forked":
      return `forked from ${text(d.stepId)} as ${text(d.executionId)}`;
    case "step.log":
      return `${text(d.level)}: ${text(d.message)}`;
    case "approval.required":
      return text(d.message);
    case "approval.resolved":
      return `${d.approved ? "approved" : "rejected"} by ${text(d.by)}${d.comment ? `: ${text(d.comment)}` : ""}`;
    case "execution.failed":
      return error;
    case "execution.cancelled":
    case "execution.paused":
      return text(d.reason);
    case "usage.updated":
      return `total $${Number(d.totalCostUsd ?? 0).toFixed(4)}`;
    default:
      return "";
  }
}

export function eventLine(event: ExecutionEvent): string {
  const time = new Date(event.at).toISOString().slice(11, 19);
  const step = typeof event.data.stepId === "string" ? event.data.stepId + (typeof event.data.item === "number" ? `[${event.data.item}]` : "") : "";
  return [time, String(event.seq).padStart(4), event.type.padEnd(20), step, detail(event)].filter((p) => p !== "").join("  ").trimEnd();
}
