/**
 * Shapes of the execution endpoints' answers (`/v1/executions…`, `/v1/approvals`) and of the RPC methods
 * that return the same things. The TypeScript types in `shared/execution.ts` are inferred from these, so
 * the API's validation, its OpenAPI document, the client and the engine share one definition.
 */
import { z } from "zod";
import { eventTypes, executionStatuses, stepStatuses } from "../execution.ts";

export const errorInfoSchema = z.object({ code: z.string(), message: z.string() });

export const stepProgressSchema = z.object({
  current: z.number(),
  total: z.number(),
  message: z.string().optional(),
});

export const stepUsageSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedTokens: z.number(),
  costUsd: z.number(),
});

export const stepStateSchema = z.object({
  id: z.string(),
  type: z.enum(["agent", "approval", "pipeline"]),
  agent: z.string().nullable(),
  status: z.enum(stepStatuses),
  /** Attempts started so far (0 before the first). */
  attempt: z.number().int(),
  maxAttempts: z.number().int(),
  input: z.unknown(),
  output: z.unknown(),
  error: errorInfoSchema.nullable(),
  progress: stepProgressSchema.nullable(),
  /** Why a step is `waiting` or `retrying`, in words (e.g. "approval by an admin", "lock storefront"). */
  waitingFor: z.string().nullable(),
  /** When a `retrying` step's next attempt starts, or a waiting approval times out (epoch ms). */
  wakeAt: z.number().int().nullable(),
  startedAt: z.number().int().nullable(),
  endedAt: z.number().int().nullable(),
  usage: stepUsageSchema,
  /** fan-out steps: how many items, and how many are done. */
  items: z
    .object({ total: z.number().int(), completed: z.number().int(), failed: z.number().int(), running: z.number().int() })
    .nullable(),
  /** pipeline steps: the child execution. */
  childExecutionId: z.string().nullable(),
  /** A step a fork took over from its origin (not run again): the origin execution's id. */
  reusedFrom: z.string().nullable().optional(),
  /** The step's own agent failed for good and its fallback agent ran: which agent, and what failed. */
  fallback: z.object({ agent: z.string(), error: errorInfoSchema }).nullable().optional(),
  /** A failed step the execution went on past (`onError: "continue"`). */
  continued: z.boolean().optional(),
});

export const executionStateSchema = z.object({
  id: z.string(),
  templateId: z.string(),
  templateVersion: z.number().int(),
  status: z.enum(executionStatuses),
  params: z.record(z.string(), z.unknown()),
  priority: z.number().int(),
  idempotencyKey: z.string().nullable(),
  parentExecutionId: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.number().int(),
  startedAt: z.number().int().nullable(),
  endedAt: z.number().int().nullable(),
  error: errorInfoSchema.nullable(),
  /** Why a cancelled execution was cancelled, or why a paused one was paused. */
  reason: z.string().nullable(),
  costUsd: z.number(),
  /** The outputs of the steps that have none depending on them, by step id. */
  output: z.record(z.string(), z.unknown()).nullable(),
  steps: z.array(stepStateSchema),
  lastEventSeq: z.number().int(),
  /** The approval this execution waits for before it starts (Baton in approval mode), or null. */
  startApproval: z.object({ message: z.string(), requestedAt: z.number().int() }).nullable(),
  /** A fork: the execution and step it was forked from. */
  forkedFrom: z.object({ executionId: z.string(), stepId: z.string() }).nullable().optional(),
  /** Forks made of this execution, oldest first. */
  forks: z.array(z.object({ executionId: z.string(), stepId: z.string(), at: z.number().int() })).optional(),
  /** Steps that failed and that the execution went on past (`onError: "continue"`). */
  continuedFailures: z.array(z.string()).optional(),
});

/** One row of `GET /v1/executions`: the execution's D1 summary, no step details. */
export const executionSummarySchema = executionStateSchema
  .pick({
    id: true,
    templateId: true,
    templateVersion: true,
    status: true,
    params: true,
    priority: true,
    error: true,
    costUsd: true,
    parentExecutionId: true,
    createdBy: true,
    createdAt: true,
    startedAt: true,
    endedAt: true,
  })
  .extend({ stepsTotal: z.number().int(), stepsDone: z.number().int() });

export const executionPageSchema = z.object({
  executions: z.array(executionSummarySchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});

/** Filters of the execution history, as the client and RPC pass them (the HTTP query spells them as strings). */
export const executionFiltersSchema = z.strictObject({
  status: z.array(z.enum(executionStatuses)).optional(),
  template: z.string().max(64).optional(),
  agent: z.string().max(64).optional(),
  since: z.number().int().min(0).optional(),
  until: z.number().int().min(0).optional(),
  q: z.string().max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.number().int().min(1).max(200).optional(),
});

/** `POST /v1/executions`, RPC `startExecution`. */
export const startExecutionSchema = z.strictObject({
  template: z.string().min(1).max(64),
  version: z.number().int().min(1).optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  priority: z.number().int().min(-100).max(100).optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export const startExecutionResponseSchema = z.object({
  id: z.string(),
  status: z.enum(executionStatuses),
  /** False when an idempotency key found an execution started before. */
  created: z.boolean(),
});

/** `POST /v1/executions/:id/fork`, RPC `forkExecution`. */
export const forkExecutionSchema = z.strictObject({
  /** The step to run again; the steps it does not lead to are reused from the origin. */
  fromStep: z.string().min(1).max(64),
  /** `fromStep`'s input instead of the one its template resolves (checked against its agent's schema). */
  input: z.unknown().optional(),
  /** Param overrides, on top of the origin's params. */
  params: z.record(z.string(), z.unknown()).optional(),
});
export const forkExecutionResponseSchema = startExecutionResponseSchema.extend({
  forkedFrom: z.object({ executionId: z.string(), stepId: z.string() }),
});

export const pendingApprovalSchema = z.object({
  executionId: z.string(),
  templateId: z.string(),
  stepId: z.string(),
  message: z.string().nullable(),
  waitingSince: z.number().int().nullable(),
  timeoutAt: z.number().int().nullable(),
});

export const executionEventSchema = z.object({
  /** 1, 2, 3 … within one execution; the SSE `id`. */
  seq: z.number().int(),
  type: z.enum(eventTypes),
  executionId: z.string(),
  at: z.number().int(),
  data: z.record(z.string(), z.unknown()),
});

export const logLevels = ["debug", "info", "warn", "error"] as const;

export const logLineSchema = z.object({
  seq: z.number().int(),
  at: z.number().int(),
  stepId: z.string(),
  item: z.number().int().optional(),
  attempt: z.number().int(),
  level: z.enum(logLevels),
  message: z.string(),
});

export const logPageSchema = z.object({
  logs: z.array(logLineSchema),
  /** Pass as `after` for the next page; null when there is nothing more (yet). */
  nextAfter: z.number().int().nullable(),
});

export const logFiltersSchema = z.strictObject({
  level: z.enum(logLevels).optional(),
  step: z.string().max(64).optional(),
  q: z.string().max(200).optional(),
  after: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});

export const reasonBodySchema = z.strictObject({ reason: z.string().max(2000).optional() });
export const commentBodySchema = z.strictObject({ comment: z.string().max(2000).optional() });
export const bulkResultSchema = z.object({ affected: z.array(z.string()) });

export type ErrorInfo = z.infer<typeof errorInfoSchema>;
export type StepProgress = z.infer<typeof stepProgressSchema>;
export type StepUsage = z.infer<typeof stepUsageSchema>;
export type StepState = z.infer<typeof stepStateSchema>;
export type ExecutionState = z.infer<typeof executionStateSchema>;
export type ExecutionSummary = z.infer<typeof executionSummarySchema>;
export type ExecutionPage = z.infer<typeof executionPageSchema>;
export type ExecutionFilters = z.infer<typeof executionFiltersSchema>;
export type StartExecutionRequest = z.input<typeof startExecutionSchema>;
export type StartExecutionResponse = z.infer<typeof startExecutionResponseSchema>;
export type ForkExecutionRequest = z.input<typeof forkExecutionSchema>;
export type ForkExecutionResponse = z.infer<typeof forkExecutionResponseSchema>;
export type PendingApproval = z.infer<typeof pendingApprovalSchema>;
export type ExecutionEvent = z.infer<typeof executionEventSchema>;
export type LogLine = z.infer<typeof logLineSchema>;
export type LogPage = z.infer<typeof logPageSchema>;
export type LogFilters = z.infer<typeof logFiltersSchema>;
export type BulkResult = z.infer<typeof bulkResultSchema>;
