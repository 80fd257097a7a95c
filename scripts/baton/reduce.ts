/**
 * Keeps an execution's state current from its events, so `--watch` redraws on every event without asking
 * the API again. Events already contained in the state (`seq <= lastEventSeq`) are skipped, so a state
 * fetched at any moment can be combined with the stream. Pure.
 */
import type { ErrorInfo, ExecutionEvent, ExecutionState, StepState, StepStatus } from "#shared/execution.ts";
import { stepStatuses } from "#shared/execution.ts";

const isStepStatus = (value: unknown): value is StepStatus => (stepStatuses as readonly unknown[]).includes(value);
const num = (value: unknown): number | null => (typeof value === "number" ? value : null);
const errorOf = (value: unknown): ErrorInfo | null =>
  value && typeof value === "object" && typeof (value as ErrorInfo).message === "string"
    ? { code: String((value as ErrorInfo).code ?? "error"), message: (value as ErrorInfo).message }
    : null;

/** A step as `--watch` shows it: its state, and the text it has streamed so far (its last line is shown). */
export type WatchedStep = StepState & { streamed?: string };

const STREAM_KEEP = 2000;

function applyStepEvent(step: WatchedStep, event: ExecutionEvent): WatchedStep {
  const data = event.data;
  const next: WatchedStep = { ...step };
  if (isStepStatus(data.status)) next.status = data.status;
  if (typeof data.attempt === "number") next.attempt = data.attempt;
  switch (event.type) {
    case "step.started":
      next.startedAt ??= event.at;
      next.error = null;
      next.waitingFor = null;
      next.wakeAt = null;
      if (data.type !== "approval") next.progress = null;
      break;
    case "step.progress":
      if (typeof data.current === "number" && typeof data.total === "number") {
        next.progress = { current: data.current, total: data.total, ...(typeof data.message === "string" ? { message: data.message } : {}) };
      }
      if ("waitingFor" in data) {
        next.waitingFor = typeof data.waitingFor === "string" ? data.waitingFor : null;
        next.wakeAt = num(data.wakeAt);
      }
      break;
    case "step.retrying":
      next.error = errorOf(data.error);
      next.wakeAt = num(data.nextAttemptAt);
      next.waitingFor = null;
      break;
    case "step.completed":
    case "step.failed":
      next.endedAt = event.at;
      next.startedAt ??= event.at;
      next.waitingFor = null;
      next.wakeAt = null;
      if (event.type === "step.failed") next.error = errorOf(data.error);
      if ("output" in data) next.output = data.output;
      break;
    case "step.stream":
      if (typeof data.chunk === "string") next.streamed = ((step.streamed ?? "") + data.chunk).slice(-STREAM_KEEP);
      break;
    case "step.fallback":
      next.error = errorOf(data.error);
      next.waitingFor = `fallback agent ${String(data.agent)}`;
      break;
    case "approval.required":
      next.status = "waiting";
      next.waitingFor = "approval";
      next.wakeAt = num(data.timeoutAt);
      next.input = { message: data.message };
      break;
    case "approval.resolved":
      next.waitingFor = null;
      next.wakeAt = null;
      break;
  }
  return next;
}

export function applyEvent(state: ExecutionState, event: ExecutionEvent): ExecutionState {
  if (event.seq <= state.lastEventSeq) return state;
  const next: ExecutionState = { ...state, lastEventSeq: event.seq };
  const data = event.data;
  const stepId = typeof data.stepId === "string" ? data.stepId : undefined;
  // Events of one item of a fan-out step do not describe the step itself.
  if (stepId !== undefined && data.item === undefined && (event.type.startsWith("step.") || event.type.startsWith("approval."))) {
    next.steps = state.steps.map((step) => (step.id === stepId ? applyStepEvent(step, event) : step));
  }
  switch (event.type) {
    case "execution.queued":
      next.status = "queued";
      break;
    case "execution.started":
    case "execution.resumed":
      next.status = "running";
      next.startedAt ??= event.at;
      next.reason = null;
      break;
    case "execution.paused":
      next.status = "paused";
      next.reason = typeof data.reason === "string" ? data.reason : null;
      break;
    case "execution.completed":
    case "execution.failed":
    case "execution.cancelled":
      next.status = event.type === "execution.completed" ? "completed" : event.type === "execution.failed" ? "failed" : "cancelled";
      next.endedAt = event.at;
      next.error = errorOf(data.error);
      if (typeof data.reason === "string") next.reason = data.reason;
      if (typeof data.costUsd === "number") next.costUsd = data.costUsd;
      break;
    case "usage.updated":
      if (typeof data.totalCostUsd === "number") next.costUsd = data.totalCostUsd;
      break;
  }
  return next;
}
