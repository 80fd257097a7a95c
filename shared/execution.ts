/**
 * Executions and their events (docs/architecture.md "Statuses" and "Events", contract): the statuses, the
 * event types, and the shapes the API, the RPC entrypoint, the client and the console all read.
 */
import type { ExecutionEvent } from "./api/executions.ts";

export const executionStatuses = ["queued", "running", "waiting", "paused", "completed", "failed", "cancelled"] as const;
export type ExecutionStatus = (typeof executionStatuses)[number];

export const stepStatuses = [
  "pending",
  "running",
  "retrying",
  "waiting",
  "completed",
  "failed",
  "skipped",
  "cancelled",
] as const;
export type StepStatus = (typeof stepStatuses)[number];

export const terminalExecutionStatuses: ReadonlySet<ExecutionStatus> = new Set(["completed", "failed", "cancelled"]);
export const terminalStepStatuses: ReadonlySet<StepStatus> = new Set(["completed", "failed", "skipped", "cancelled"]);

export const eventTypes = [
  "execution.queued",
  "execution.started",
  "step.started",
  "step.progress",
  "step.log",
  "step.retrying",
  "step.fallback",
  "step.stream",
  "step.completed",
  "step.failed",
  "approval.required",
  "approval.resolved",
  "execution.paused",
  "execution.resumed",
  "execution.completed",
  "execution.failed",
  "execution.cancelled",
  "usage.updated",
  "execution.forked",
] as const;
export type EventType = (typeof eventTypes)[number];

/**
 * The step id under which an execution waits for approval to start (Baton in approval mode): its
 * `approval.required` / `approval.resolved` events and `POST /v1/executions/:id/steps/$start/approve`.
 */
export const START_APPROVAL_STEP = "$start";

/** Event types that end an execution's stream. */
export const terminalEventTypes: ReadonlySet<EventType> = new Set([
  "execution.completed",
  "execution.failed",
  "execution.cancelled",
]);

/** Event types that `GET /v1/events` (every execution, for dashboards) carries. */
export const lifecycleEventTypes: ReadonlySet<EventType> = new Set([
  "execution.queued",
  "execution.started",
  "approval.required",
  "approval.resolved",
  "execution.paused",
  "execution.resumed",
  "execution.completed",
  "execution.failed",
  "execution.cancelled",
]);

// The shapes themselves are zod schemas in shared/api/executions.ts (they validate and document the API);
// these are their inferred types, under the names the rest of the code knows. This module stays free of
// zod at run time, so that clients importing the constants above do not bundle it.
export type {
  ErrorInfo,
  ExecutionEvent,
  ExecutionPage,
  ExecutionState,
  ExecutionSummary,
  PendingApproval,
  StartExecutionRequest,
  StepProgress,
  StepState,
  StepUsage,
} from "./api/executions.ts";


/** What `GET /v1/events` carries: executions' lifecycle events, and alerts that belong to no execution. */
export type LiveEvent = ExecutionEvent | { type: "budget.alert"; at: number; data: Record<string, unknown> };
