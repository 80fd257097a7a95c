/**
 * The one reducer of an execution's events: folds each event into an `ExecutionState`, so a view that
 * loaded the state once can follow the stream without asking the API again. The CLI's `--watch` and the
 * console's execution page both use it. Events already contained in the state (`seq <= lastEventSeq`)
 * are skipped, so a state fetched at any moment can be combined with the stream. Pure.
 *
 * Events carry what changed, not the whole state: fan-out item counts (`step.items`) are not in them.
 * `outrunsState` names those events, for a view that shows the counts and wants to fetch them.
 */
import { type TypedExecutionEvent, typedEvent } from "../events.ts";
import { type ExecutionEvent, type ExecutionState, START_APPROVAL_STEP, type StepState } from "../execution.ts";

type StepEvent = Extract<TypedExecutionEvent, { data: { stepId: string } }>;

function applyStepEvent(step: StepState, event: StepEvent): StepState {
  const next: StepState = { ...step };
  if ("status" in event.data) next.status = event.data.status;
  if ("attempt" in event.data && event.data.attempt !== undefined) next.attempt = event.data.attempt;
  switch (event.type) {
    case "step.started":
      next.startedAt ??= event.at;
      next.error = null;
      next.waitingFor = null;
      next.wakeAt = null;
      if (event.data.type !== "approval") next.progress = null;
      if (event.data.input !== undefined) next.input = event.data.input;
      break;
    case "step.progress": {
      const { current, total, message } = event.data;
      if (typeof current === "number" && typeof total === "number") {
        next.progress = { current, total, ...(typeof message === "string" ? { message } : {}) };
      }
      if ("waitingFor" in event.data) {
        next.waitingFor = event.data.waitingFor ?? null;
        next.wakeAt = event.data.wakeAt ?? null;
      }
      if (event.data.childExecutionId !== undefined) next.childExecutionId = event.data.childExecutionId;
      break;
    }
    case "step.retrying":
      next.error = event.data.error;
      next.wakeAt = event.data.nextAttemptAt;
      next.waitingFor = null;
      break;
    case "step.fallback":
      // As the server's state shows it: due at once, like a retry, on the fallback agent.
      next.fallback = { agent: event.data.agent, error: event.data.error };
      next.error = event.data.error;
      next.wakeAt = event.at;
      next.waitingFor = `fallback agent "${event.data.agent}"`;
      break;
    case "step.completed":
    case "step.failed":
      next.endedAt = event.at;
      next.startedAt ??= event.at;
      next.waitingFor = null;
      next.wakeAt = null;
      if (event.type === "step.failed") next.error = event.data.error;
      else {
        if ("output" in event.data) next.output = event.data.output;
        if (event.data.reusedFrom !== undefined) next.reusedFrom = event.data.reusedFrom;
      }
      break;
    case "approval.required":
      next.status = "waiting";
      next.waitingFor = "approval";
      next.wakeAt = event.data.timeoutAt;
      next.input = { message: event.data.message };
      break;
    case "approval.resolved":
      next.waitingFor = null;
      next.wakeAt = null;
      break;
    case "usage.updated": {
      const { usage } = event.data;
      const sum = next.usage;
      next.usage = {
        inputTokens: sum.inputTokens + usage.inputTokens,
        outputTokens: sum.outputTokens + usage.outputTokens,
        cachedTokens: sum.cachedTokens + usage.cachedTokens,
        costUsd: sum.costUsd + usage.costUsd,
      };
      break;
    }
  }
  return next;
}

function isStepEvent(event: TypedExecutionEvent): event is StepEvent {
  return "stepId" in event.data && typeof event.data.stepId === "string";
}

export function applyEvent(state: ExecutionState, wire: ExecutionEvent): ExecutionState {
  if (wire.seq <= state.lastEventSeq) return state;
  const event = typedEvent(wire);
  const next: ExecutionState = { ...state, lastEventSeq: event.seq };
  // Events of one item of a fan-out step do not describe the step itself (usage excepted: it adds up).
  if (isStepEvent(event) && event.data.stepId !== START_APPROVAL_STEP) {
    const item = "item" in event.data ? event.data.item : undefined;
    if (item === undefined || event.type === "usage.updated") {
      next.steps = state.steps.map((step) => (step.id === event.data.stepId ? applyStepEvent(step, event) : step));
    }
  }
  switch (event.type) {
    case "execution.queued":
      next.status = "queued";
      break;
    case "execution.forked":
      next.forks = [...(state.forks ?? []), { executionId: event.data.executionId, stepId: event.data.stepId, at: event.at }];
      break;
    case "execution.started":
    case "execution.resumed":
      next.status = "running";
      next.startedAt ??= event.at;
      next.reason = null;
      break;
    case "execution.paused":
      next.status = "paused";
      next.reason = event.data.reason;
      break;
    case "execution.completed":
    case "execution.failed":
    case "execution.cancelled":
      next.status = event.type === "execution.completed" ? "completed" : event.type === "execution.failed" ? "failed" : "cancelled";
      next.endedAt = event.at;
      next.error = event.data.error ?? null;
      if (event.data.reason !== undefined) next.reason = event.data.reason;
      if (event.data.output !== undefined) next.output = event.data.output;
      next.costUsd = event.data.costUsd;
      break;
    case "usage.updated":
      next.costUsd = event.data.totalCostUsd;
      break;
    case "approval.required":
      if (event.data.stepId === START_APPROVAL_STEP) {
        next.status = "waiting";
        next.startApproval = { message: event.data.message ?? "", requestedAt: event.at };
      }
      break;
    case "approval.resolved":
      if (event.data.stepId === START_APPROVAL_STEP) next.startApproval = null;
      break;
  }
  // A running execution whose active steps all wait (for an approval, a lock) is shown as waiting.
  if (next.status === "running" || (next.status === "waiting" && !next.startApproval)) next.status = runningOrWaiting(next.steps);
  return next;
}

/** The status the server shows for a running execution (core/state.ts, publicStatus). */
function runningOrWaiting(steps: readonly StepState[]): "running" | "waiting" {
  let waiting = 0;
  for (const step of steps) {
    if (step.status === "running" || step.status === "retrying") return "running";
    if (step.status === "waiting") waiting++;
  }
  return waiting > 0 ? "waiting" : "running";
}

/** Whether an event changes something its data does not carry (a fan-out step's item counts). */
export function outrunsState(wire: ExecutionEvent): boolean {
  const event = typedEvent(wire);
  return isStepEvent(event) && "item" in event.data && event.data.item !== undefined && event.type !== "step.log" && event.type !== "step.stream";
}
