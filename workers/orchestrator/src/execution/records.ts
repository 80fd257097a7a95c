/** The execution's own records as the Durable Object keeps them (in memory and in its SQLite storage). */
import type { ErrorInfo, ExecutionStatus, StepProgress, StepStatus, StepUsage } from "#shared/execution.ts";
import type { Template } from "#shared/template.ts";
import type { AuditRow } from "../audit/record.ts";

/** Marks the step row itself, as opposed to one item of a forEach step. */
export const WHOLE_STEP = -1;

export interface StepRecord {
  stepId: string;
  /** WHOLE_STEP, or the index of one forEach item. */
  item: number;
  status: StepStatus;
  /** Attempts started so far, over the whole life of the execution. */
  attempt: number;
  /** Attempts made before the execution was last retried: the retry policy counts from here. */
  attemptBase: number;
  input: unknown;
  output: unknown;
  error: ErrorInfo | null;
  progress: StepProgress | null;
  waitingFor: string | null;
  /** When a retrying step tries again, or a waiting approval times out. */
  wakeAt: number | null;
  /** When the running attempt is abandoned as timed out. */
  deadlineAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  usage: StepUsage;
  childExecutionId: string | null;
  /** Locks granted for the attempt about to start or running; given back when the attempt ends. */
  locksHeld: string[];
  /** forEach steps: how many items the step fanned out to. */
  itemCount: number | null;
}

export interface ExecutionRecord {
  id: string;
  templateId: string;
  templateVersion: number;
  status: ExecutionStatus;
  params: Record<string, unknown>;
  priority: number;
  idempotencyKey: string | null;
  concurrencyKey: string | null;
  rateKey: string | null;
  parent: { executionId: string; stepId: string } | null;
  createdBy: string;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  error: ErrorInfo | null;
  reason: string | null;
  costUsd: number;
  /** Set once a step fails for good: no new step starts, and the execution fails when the rest settle. */
  failing: ErrorInfo | null;
  /** The most this execution may spend (the template's budget, else the configured default). */
  budgetUsd: number | null;
  /** "pending" while, in approval mode, the start itself waits for an admin. */
  startApproval: "pending" | null;
}

export interface ExecutionInit {
  id: string;
  template: Template;
  templateVersion: number;
  params: Record<string, unknown>;
  priority: number;
  idempotencyKey: string | null;
  concurrencyKey: string | null;
  rateKey: string | null;
  parent: { executionId: string; stepId: string } | null;
  createdBy: string;
  budgetUsd: number | null;
  requiresStartApproval: boolean;
  /** The audit entry of the start, written in the same D1 batch as the execution's first row; null when unaudited (child executions). */
  audit: AuditRow | null;
}

export function emptyUsage(): StepUsage {
  return { inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0 };
}

export function newStepRecord(stepId: string, item = WHOLE_STEP): StepRecord {
  return {
    stepId,
    item,
    status: "pending",
    attempt: 0,
    attemptBase: 0,
    input: null,
    output: null,
    error: null,
    progress: null,
    waitingFor: null,
    wakeAt: null,
    deadlineAt: null,
    startedAt: null,
    endedAt: null,
    usage: emptyUsage(),
    childExecutionId: null,
    locksHeld: [],
    itemCount: null,
  };
}
