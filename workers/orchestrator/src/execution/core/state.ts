/**
 * The durable state of one execution, as the pure core sees it. It is a fold of the execution's event
 * log (apply.ts): nothing in it is written anywhere but through an event, so a state rebuilt from the
 * log after a crash is the state that was live before it. Payloads (a step's input and output) are not
 * held here: the state keeps the `seq` of the event that carries each, and the shell reads it on demand.
 */
import type { ErrorInfo, ExecutionStatus, StepProgress, StepStatus, StepUsage } from "#shared/execution.ts";
import type { Template } from "#shared/template.ts";
import type { EngineLimits } from "./limits.ts";

/** Where a payload lives: in the data of the event with this seq, under `field`. */
export interface PayloadRef {
  seq: number;
  field: string;
}

/** A step's output: one event's payload, or (a forEach step) its items' outputs after `afterSeq`. */
export type OutputRef = PayloadRef | { items: number; afterSeq: number };

/** One forEach item that has started and not yet settled. Settled items are counted, not kept. */
export interface ItemState {
  status: "running" | "retrying" | "waiting";
  attempt: number;
  attemptBase: number;
  error: ErrorInfo | null;
  waitingFor: string | null;
  wakeAt: number | null;
  deadlineAt: number | null;
}

export interface FanOutState {
  total: number;
  /** The seq of the step's `step.started`: its items' events come after it. */
  startedSeq: number;
  /** Items below this index have started. */
  nextIndex: number;
  active: Record<number, ItemState>;
  completed: number;
  failed: number;
  usage: StepUsage;
  /** When the step's last coalesced `step.progress` went out. */
  progressAt: number;
}

export interface StepState {
  status: StepStatus;
  /** Attempts started so far, over the whole life of the execution. */
  attempt: number;
  /** Attempts made before the execution was last retried (or interrupted): the retry policy counts from here. */
  attemptBase: number;
  input: PayloadRef | null;
  output: OutputRef | null;
  error: ErrorInfo | null;
  progress: StepProgress | null;
  waitingFor: string | null;
  /** When a retrying step tries again, a waiting step asks again, or an approval times out. */
  wakeAt: number | null;
  /** When the running attempt is abandoned as timed out. */
  deadlineAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  usage: StepUsage;
  childExecutionId: string | null;
  fanOut: FanOutState | null;
  /** Log lines recorded for the step (they are capped by `limits.logLinesPerStep`). */
  logLines: number;
  /** The step's own agent failed for good and its fallback took over (`input`: the fallback's own, if any). */
  fallback?: { agent: string; error: ErrorInfo; input: PayloadRef | null } | null;
  /** Failed, and the execution goes on past it (`onError: "continue"`). */
  continued?: boolean;
  /** Taken over from the execution this one was forked from, whose id this is. */
  reusedFrom?: string | null;
}

/** What never changes after the start (the meta row). */
export interface ExecutionFacts {
  id: string;
  templateId: string;
  templateVersion: number;
  params: Record<string, unknown>;
  idempotencyKey: string | null;
  concurrencyKey: string | null;
  rateKey: string | null;
  parent: { executionId: string; stepId: string } | null;
  createdBy: string;
  createdAt: number;
  budgetUsd: number | null;
  limits: EngineLimits;
  /** A fork: the execution and step it was forked from. */
  forkedFrom?: { executionId: string; stepId: string } | null;
}

/** What a fork's create turn takes over from its origin (see createExecution). */
export interface ForkSeed {
  executionId: string;
  stepId: string;
  /** The outputs of the origin's steps that `stepId` does not lead to, by step id. */
  reused: Record<string, unknown>;
  /** `stepId`'s input instead of the one its template resolves. */
  input?: unknown;
}

export interface ExecutionCoreState {
  facts: ExecutionFacts;
  template: Template;
  /** Changed only while queued (setPriority), and stored in the meta row with the facts. */
  priority: number;
  /** Never "waiting" for steps: that is derived (publicStatus). "waiting" here means a start awaiting approval. */
  status: ExecutionStatus;
  /**
   * The start waiting for an admin's approval (approval mode), or null. "pending" is how a snapshot
   * written before the request itself was kept says so (state-view.ts shows it without its message).
   */
  startApproval: { message: string; requestedAt: number } | "pending" | null;
  startedAt: number | null;
  endedAt: number | null;
  error: ErrorInfo | null;
  reason: string | null;
  costUsd: number;
  /** Set once a step fails for good: no new step starts, and the execution fails when the rest settle. */
  failing: ErrorInfo | null;
  steps: Record<string, StepState>;
  /** Forks made of this execution (`execution.forked` events; they may come after it ended). */
  forks?: { executionId: string; stepId: string; at: number }[];
  /** The last event's seq. */
  seq: number;
}

export const ACTIVE_STEP: ReadonlySet<StepStatus> = new Set(["running", "retrying", "waiting"]);

export function emptyUsage(): StepUsage {
  return { inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0 };
}

export function addUsage(a: StepUsage, b: StepUsage): StepUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    costUsd: a.costUsd + b.costUsd,
  };
}

export function pendingStep(): StepState {
  return {
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
    fanOut: null,
    logLines: 0,
  };
}

export function initialState(facts: ExecutionFacts, template: Template, priority: number): ExecutionCoreState {
  return {
    facts,
    template,
    priority,
    status: "queued",
    startApproval: null,
    startedAt: null,
    endedAt: null,
    error: null,
    reason: null,
    costUsd: 0,
    failing: null,
    steps: Object.fromEntries(template.steps.map((step) => [step.id, pendingStep()])),
    seq: 0,
  };
}

/** The status the API shows: a running execution all of whose active steps wait is `waiting`. */
export function publicStatus(state: ExecutionCoreState): ExecutionStatus {
  if (state.status !== "running") return state.status;
  let active = 0;
  for (const step of Object.values(state.steps)) {
    if (!ACTIVE_STEP.has(step.status)) continue;
    if (step.status !== "waiting") return "running";
    active++;
  }
  return active > 0 ? "waiting" : "running";
}
