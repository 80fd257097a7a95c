/**
 * Executions and their events (DESIGN.md "Statuses" and "Events", contract): the statuses, the event
 * types, and the shapes the API, the RPC entrypoint, the client and the console all read.
 */
import { z } from "zod";

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
] as const;
export type EventType = (typeof eventTypes)[number];

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

export interface ExecutionEvent {
  /** 1, 2, 3 … within one execution; the SSE `id`. */
  seq: number;
  type: EventType;
  executionId: string;
  at: number;
  data: Record<string, unknown>;
}

export interface ErrorInfo {
  code: string;
  message: string;
}

export interface StepProgress {
  current: number;
  total: number;
  message?: string;
}

export interface StepUsage {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  costUsd: number;
}

export interface StepState {
  id: string;
  type: "agent" | "approval" | "pipeline";
  agent: string | null;
  status: StepStatus;
  /** Attempts started so far (0 before the first). */
  attempt: number;
  maxAttempts: number;
  input: unknown;
  output: unknown;
  error: ErrorInfo | null;
  progress: StepProgress | null;
  /** Why a step is `waiting` or `retrying`, in words (e.g. "approval by an admin", "lock storefront"). */
  waitingFor: string | null;
  /** When a `retrying` step's next attempt starts, or a waiting approval times out (epoch ms). */
  wakeAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  usage: StepUsage;
  /** fan-out steps: how many items, and how many are done. */
  items: { total: number; completed: number; failed: number; running: number } | null;
  /** pipeline steps: the child execution. */
  childExecutionId: string | null;
}

export interface ExecutionState {
  id: string;
  templateId: string;
  templateVersion: number;
  status: ExecutionStatus;
  params: Record<string, unknown>;
  priority: number;
  idempotencyKey: string | null;
  parentExecutionId: string | null;
  createdBy: string;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  error: ErrorInfo | null;
  /** Why a cancelled execution was cancelled, or why a paused one was paused. */
  reason: string | null;
  costUsd: number;
  /** The outputs of the steps that have none depending on them, by step id. */
  output: Record<string, unknown> | null;
  steps: StepState[];
  lastEventSeq: number;
}

export const startExecutionSchema = z.strictObject({
  template: z.string().min(1).max(64),
  version: z.number().int().min(1).optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  priority: z.number().int().min(-100).max(100).optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export type StartExecutionRequest = z.input<typeof startExecutionSchema>;

/** One row of `GET /v1/executions`: the execution's D1 summary, no step details. */
export interface ExecutionSummary {
  id: string;
  templateId: string;
  templateVersion: number;
  status: ExecutionStatus;
  params: Record<string, unknown>;
  priority: number;
  error: ErrorInfo | null;
  costUsd: number;
  stepsTotal: number;
  stepsDone: number;
  parentExecutionId: string | null;
  createdBy: string;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
}

export interface ExecutionPage {
  executions: ExecutionSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface PendingApproval {
  executionId: string;
  templateId: string;
  stepId: string;
  message: string | null;
  waitingSince: number | null;
  timeoutAt: number | null;
}
