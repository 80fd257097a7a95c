/**
 * The fold: how each event changes the execution's state. The core applies every event it emits through
 * this one function, and a reload replays the log (after the last snapshot) through it too, so the live
 * state and the reloaded one cannot drift apart. It decides nothing; the deciding is in decide/*.
 */
import type { ErrorInfo, EventType, StepProgress, StepStatus, StepUsage } from "#shared/execution.ts";
import { START_APPROVAL_STEP } from "#shared/execution.ts";
import { ACTIVE_STEP, addUsage, type ExecutionCoreState, type FanOutState, type ItemState, pendingStep, type StepState } from "./state.ts";

export interface CoreEvent {
  seq: number;
  type: EventType;
  at: number;
  data: Record<string, unknown>;
}

type Data = Record<string, unknown>;

const has = (data: Data, key: string) => Object.hasOwn(data, key);

export function applyEvent(state: ExecutionCoreState, event: CoreEvent): void {
  state.seq = event.seq;
  const { data, at } = event;
  switch (event.type) {
    case "execution.queued":
      // A fork that runs its first step with a given input carries that input here.
      if (has(data, "input") && typeof data.fromStep === "string" && state.steps[data.fromStep]) {
        state.steps[data.fromStep]!.input = { seq: event.seq, field: "input" };
      }
      return;
    case "execution.forked":
      (state.forks ??= []).push({ executionId: data.executionId as string, stepId: data.stepId as string, at });
      return;
    case "step.stream":
      return;
    case "step.fallback":
      return updateStep(state, data, (step) => {
        step.fallback = { agent: data.agent as string, error: data.error as ErrorInfo, input: has(data, "input") ? { seq: event.seq, field: "input" } : null };
        // Like a retry due at once: if nothing starts the fallback now (a pause), the timer does.
        step.status = "retrying";
        step.error = data.error as ErrorInfo;
        step.wakeAt = at;
        step.deadlineAt = null;
        step.waitingFor = `fallback agent "${data.agent as string}"`;
      });
    case "execution.started":
      state.status = "running";
      state.startedAt ??= at;
      return;
    case "execution.paused":
      state.status = "paused";
      state.reason = (data.reason as string | null) ?? null;
      return;
    case "execution.resumed":
      if (data.retry === true) return resetForRetry(state);
      state.status = state.startApproval !== null ? "waiting" : state.startedAt === null ? "queued" : "running";
      state.reason = null;
      return;
    case "execution.completed":
    case "execution.failed":
    case "execution.cancelled":
      return settleExecution(state, event);
    case "approval.required":
      if (data.stepId === START_APPROVAL_STEP) {
        state.startApproval = { message: (data.message as string | null) ?? "", requestedAt: at };
        state.status = "waiting";
        return;
      }
      return updateStep(state, data, (step) => {
        step.wakeAt = (data.timeoutAt as number | null) ?? null;
        step.input = { seq: event.seq, field: "message" };
      });
    case "approval.resolved":
      if (data.stepId === START_APPROVAL_STEP) {
        state.startApproval = null;
        if (data.approved === true) state.status = "queued";
      }
      return;
    case "usage.updated":
      return applyUsage(state, data);
    case "step.log":
      return updateStep(state, data, (step) => void step.logLines++, (item) => void item);
    case "step.started":
      return stepStarted(state, event);
    case "step.progress":
      return updateStep(
        state,
        data,
        (step) => {
          applyProgress(step, data);
          if (step.fanOut) step.fanOut.progressAt = event.at;
          // A step that waits before its first attempt carries its resolved input with the wait.
          if (has(data, "input")) step.input = { seq: event.seq, field: "input" };
        },
        (item) => applyProgress(item, data),
      );
    case "step.retrying":
      return updateStep(
        state,
        data,
        (step) => retrying(step, data),
        (item) => retrying(item, data),
      );
    case "step.completed":
    case "step.failed":
      return stepSettled(state, event);
  }
}

function stepOf(state: ExecutionCoreState, data: Data): StepState | undefined {
  return state.steps[data.stepId as string];
}

/** Applies `whole` to a step's own state, or `item` to one of its active forEach items. */
function updateStep(state: ExecutionCoreState, data: Data, whole: (step: StepState) => void, item?: (item: ItemState) => void): void {
  const step = stepOf(state, data);
  if (!step) return;
  if (!has(data, "item")) return whole(step);
  const active = step.fanOut ? itemEntry(step.fanOut, data.item as number) : undefined;
  if (active && item) item(active);
}

/** An active item; one not yet started becomes active (an item may wait for a lock before its first attempt). */
function itemEntry(fanOut: FanOutState, index: number): ItemState | undefined {
  const active = fanOut.active[index];
  if (active || index < fanOut.nextIndex) return active;
  fanOut.nextIndex = index + 1;
  return (fanOut.active[index] = { status: "running", attempt: 0, attemptBase: 0, error: null, waitingFor: null, wakeAt: null, deadlineAt: null });
}

function applyProgress(target: StepState | ItemState, data: Data): void {
  if (has(data, "status")) target.status = data.status as never;
  if (has(data, "waitingFor")) target.waitingFor = data.waitingFor as string | null;
  if (has(data, "wakeAt")) target.wakeAt = data.wakeAt as number | null;
  if ("progress" in target && has(data, "current") && has(data, "total")) {
    const progress: StepProgress = { current: data.current as number, total: data.total as number };
    if (typeof data.message === "string") progress.message = data.message;
    target.progress = progress;
  }
  if ("childExecutionId" in target && typeof data.childExecutionId === "string") target.childExecutionId = data.childExecutionId;
}

function retrying(target: StepState | ItemState, data: Data): void {
  target.status = "retrying";
  target.error = (data.error as ErrorInfo) ?? null;
  target.wakeAt = data.nextAttemptAt as number;
  target.deadlineAt = null;
  target.waitingFor = `retry at ${new Date(data.nextAttemptAt as number).toISOString()}`;
  // An attempt cut short by a restart is not the agent's failure: it does not use up a retry.
  if (data.interrupted === true) target.attemptBase++;
}

function stepStarted(state: ExecutionCoreState, event: CoreEvent): void {
  const { data, at, seq } = event;
  const step = stepOf(state, data);
  if (!step) return;
  if (has(data, "item")) {
    const fanOut = step.fanOut;
    if (!fanOut) return;
    const item = itemEntry(fanOut, data.item as number);
    if (!item) return;
    item.status = "running";
    item.attempt = data.attempt as number;
    item.deadlineAt = (data.deadlineAt as number | undefined) ?? null;
    item.waitingFor = null;
    item.wakeAt = null;
    return;
  }
  step.startedAt ??= at;
  step.waitingFor = null;
  step.wakeAt = null;
  if (typeof data.items === "number") {
    step.status = "running";
    step.attempt = 1;
    step.progress = { current: 0, total: data.items };
    step.fanOut = { total: data.items, startedSeq: seq, nextIndex: 0, active: {}, completed: 0, failed: 0, usage: step.usage, progressAt: at };
    return;
  }
  if (data.type === "approval") {
    step.status = "waiting";
    step.waitingFor = "approval";
    return;
  }
  step.status = "running";
  step.attempt = (data.attempt as number | undefined) ?? step.attempt + 1;
  step.deadlineAt = (data.deadlineAt as number | undefined) ?? null;
  if (has(data, "input")) step.input = { seq, field: "input" };
  if (typeof data.template === "string") step.waitingFor = `child execution of "${data.template}"`;
}

function stepSettled(state: ExecutionCoreState, event: CoreEvent): void {
  const { data, at, seq } = event;
  const step = stepOf(state, data);
  if (!step) return;
  const failed = event.type === "step.failed";
  if (has(data, "item")) {
    const fanOut = step.fanOut;
    if (!fanOut || !itemEntry(fanOut, data.item as number)) return;
    delete fanOut.active[data.item as number];
    if (failed) fanOut.failed++;
    else fanOut.completed++;
    return;
  }
  step.status = failed ? "failed" : ((data.status as StepStatus | undefined) ?? "completed");
  step.endedAt = at;
  step.startedAt ??= at;
  step.deadlineAt = null;
  step.waitingFor = null;
  step.wakeAt = null;
  if (step.fanOut) {
    step.fanOut.active = {};
    step.usage = step.fanOut.usage;
  }
  if (failed) {
    step.error = data.error as ErrorInfo;
    if (data.continued === true) step.continued = true;
    if (state.failing === null && data.continued !== true) {
      state.failing = { code: step.error.code, message: `Step "${data.stepId as string}" failed: ${step.error.message}` };
    }
    return;
  }
  step.error = null;
  if (typeof data.reusedFrom === "string") step.reusedFrom = data.reusedFrom;
  if (step.status === "completed") {
    step.output = step.fanOut ? { items: step.fanOut.total, afterSeq: step.fanOut.startedSeq } : { seq, field: "output" };
    if (step.fanOut) step.progress = { current: step.fanOut.total, total: step.fanOut.total };
  }
}

function applyUsage(state: ExecutionCoreState, data: Data): void {
  state.costUsd = data.totalCostUsd as number;
  const step = stepOf(state, data);
  if (!step) return;
  const usage = data.usage as StepUsage;
  if (has(data, "item") && step.fanOut) step.fanOut.usage = addUsage(step.fanOut.usage, usage);
  else step.usage = addUsage(step.usage, usage);
}

function settleExecution(state: ExecutionCoreState, event: CoreEvent): void {
  const status = event.type.slice("execution.".length) as "completed" | "failed" | "cancelled";
  state.status = status;
  state.endedAt = event.at;
  state.failing = null;
  state.startApproval = null;
  if (status === "failed") state.error = (event.data.error as ErrorInfo) ?? null;
  if (status === "cancelled") state.reason = String(event.data.reason ?? "");
  for (const step of Object.values(state.steps)) {
    // A cancel ends every step not yet ended; a failure or a completion ends only those still active.
    if (status === "cancelled" ? ["completed", "failed", "skipped", "cancelled"].includes(step.status) : !ACTIVE_STEP.has(step.status)) continue;
    step.status = "cancelled";
    step.endedAt = event.at;
    step.waitingFor = null;
    step.wakeAt = null;
    step.deadlineAt = null;
    if (step.fanOut) step.fanOut.active = {};
  }
}

/** Retry from failed: failed, cancelled and never-started steps start afresh; completed ones keep their outputs. */
function resetForRetry(state: ExecutionCoreState): void {
  for (const [id, step] of Object.entries(state.steps)) {
    if (step.status !== "failed" && step.status !== "cancelled" && step.status !== "pending") continue;
    // Attempt numbers go on (agents see this is not the first try) while the retry budget starts afresh.
    state.steps[id] = { ...pendingStep(), attempt: step.attempt, attemptBase: step.attempt, usage: step.usage, logLines: step.logLines };
  }
  state.status = "running";
  state.error = null;
  state.failing = null;
  state.endedAt = null;
  state.reason = null;
}
