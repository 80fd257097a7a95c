/**
 * The event contract (docs/architecture.md "Events"): for each event type, the shape of its `data`.
 * The engine emits through this map, and the CLI, the console, the typed client and the tests read
 * through it, so a field added or renamed here is seen by every reader at compile time. The wire
 * format stays `{ seq, type, executionId, at, data }` (shared/api/executions.ts); this module is types
 * only, so clients that import it bundle nothing.
 */
import type { LogLevel } from "./agent.ts";
import type { ErrorInfo, EventType, ExecutionEvent, StepStatus, StepUsage } from "./execution.ts";

/** Every step event names its step; events of one item of a fan-out step also carry the item's index. */
type StepRef = { stepId: string; item?: number };
/** Step events that report a step's new status carry it. */
type StepChange = StepRef & { status: StepStatus };

export type ExecutionEndData = {
  costUsd: number;
  durationMs: number;
  error?: ErrorInfo;
  /** execution.completed: the outputs of the steps that have none depending on them. */
  output?: Record<string, unknown>;
  /** execution.cancelled: why, and who. */
  reason?: string;
  by?: string;
};

export type EventData = {
  "execution.queued": {
    templateId: string;
    version: number;
    priority: number;
    /** A fork: where it came from, the step it runs first, and that step's input when the fork gave one. */
    forkedFrom?: { executionId: string; stepId: string };
    fromStep?: string;
    input?: unknown;
  };
  "execution.started": Record<string, never>;
  "execution.paused": { by: string; reason: string | null };
  "execution.resumed": { by: string; retry?: true };
  "execution.completed": ExecutionEndData;
  "execution.failed": ExecutionEndData;
  "execution.cancelled": ExecutionEndData;
  /** A fork was made of this execution from `stepId`; `executionId` is the fork (may come after the end). */
  "execution.forked": { executionId: string; stepId: string };
  "step.started": StepChange & {
    attempt?: number;
    agent?: string;
    idempotencyKey?: string;
    /** On the first attempt only: the resolved input. */
    input?: unknown;
    /** A fan-out step: how many items it runs. */
    items?: number;
    type?: "approval";
    /** A pipeline step: the template of its child execution. */
    template?: string;
    /** When the attempt (or the child) times out; null for a child without a timeout. */
    deadlineAt?: number | null;
  };
  "step.progress": StepChange & {
    attempt?: number;
    current?: number;
    total?: number;
    message?: string;
    /** Why the step waits (a lock, a circuit, an approval), or null once it no longer does. */
    waitingFor?: string | null;
    wakeAt?: number;
    childExecutionId?: string;
    /** A step that waits before its first attempt: its resolved input, kept with the wait. */
    input?: unknown;
  };
  "step.log": StepChange & { attempt: number; level: LogLevel; message: string };
  /** `interrupted`: the attempt was cut short by a restart, not failed by its agent. */
  "step.retrying": StepChange & { attempt: number; error: ErrorInfo; nextAttemptAt: number; delayMs: number; interrupted?: true };
  /** Also a skipped step (`status: "skipped"`, with the `reason`). */
  "step.completed": StepChange & {
    attempt?: number;
    output?: unknown;
    durationMs?: number;
    reason?: string;
    /** A step a fork took over from its origin (not run again): the origin execution's id. */
    reusedFrom?: string;
    /** A forEach step with too many (or too large) outputs to carry: how many items it completed. */
    outputItems?: number;
    /** A forEach step: its items' usage, added up. */
    usage?: StepUsage;
  };
  /** `continued`: the step has `onError: "continue"`, so the execution goes on past it. */
  "step.failed": StepChange & { attempt: number; error: ErrorInfo; continued?: true };
  /** A coalesced chunk of an agent's live output; `index` counts the step attempt's chunks from 0. */
  "step.stream": StepRef & { attempt: number; chunk: string; index: number };
  /**
   * The step's agent failed for good (`error`) and its `fallback` agent takes over, due at once like a
   * retry; `input` is the fallback's own input when the template gives it one.
   */
  "step.fallback": StepChange & { attempt: number; agent: string; error: ErrorInfo; input?: unknown };
  "approval.required": { stepId: string; message: string | null; timeoutAt: number | null; onTimeout: "approve" | "reject" | null };
  "approval.resolved": { stepId: string; approved: boolean; by: string; comment?: string | null; at: number };
  "usage.updated": StepRef & { usage: StepUsage; totalCostUsd: number };
};

/** One event of one type, its data typed by the contract. */
export type EventOf<T extends EventType> = Omit<ExecutionEvent, "type" | "data"> & { type: T; data: EventData[T] };

/** Any event, as a union that narrows on `type`. */
export type TypedExecutionEvent = { [T in EventType]: EventOf<T> }[EventType];

/**
 * Reads an event from the wire through the contract. The server wrote it through the same map, so this
 * is where a reader trusts the shape (no validation: a client must not break on a field it does not know).
 */
export function typedEvent(event: ExecutionEvent): TypedExecutionEvent {
  return event as unknown as TypedExecutionEvent;
}

export function isEventOf<T extends EventType>(event: ExecutionEvent | TypedExecutionEvent, type: T): event is EventOf<T> & ExecutionEvent {
  return event.type === type;
}
