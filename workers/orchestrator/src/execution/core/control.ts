/** What admins and callers do to an execution: cancel, pause, resume, retry, reprioritize, approve or reject. */
import type { ControlInput, Rejection } from "./io.ts";
import { releaseLocks } from "./locks.ts";
import { finish, isOver, pump } from "./pump.ts";
import { START_APPROVAL_STEP } from "#shared/execution.ts";
import { publicStatus } from "./state.ts";
import { timerFired } from "./timers.ts";
import type { Turn } from "./turn.ts";
import { settleApproval } from "./waits.ts";

export function control(turn: Turn, input: ControlInput): Rejection | undefined {
  switch (input.type) {
    case "cancel":
      return cancel(turn, input.reason, input.by);
    case "pause":
      return pause(turn, input.by, input.reason);
    case "resume":
      return resume(turn, input.by);
    case "retry":
      return retry(turn, input.by);
    case "set-priority":
      if (turn.state.status !== "queued") return invalid(`Only a queued execution can be reprioritized; this one is ${publicStatus(turn.state)}.`);
      turn.state.priority = input.priority;
      turn.command({ type: "save-facts" });
      return;
    case "approval":
      return input.stepId === START_APPROVAL_STEP
        ? resolveStart(turn, input.approved, input.by, input.comment)
        : resolveApproval(turn, input.stepId, input.approved, input.by, input.comment);
  }
}

const invalid = (message: string): Rejection => ({ code: "invalid_state", message });

function cancel(turn: Turn, reason: string, by: string): Rejection | undefined {
  if (isOver(turn)) return invalid(`The execution is already ${turn.state.status}; nothing to cancel.`);
  for (const [stepId, step] of Object.entries(turn.state.steps)) {
    if (step.status === "running" && step.childExecutionId) {
      turn.command({ type: "cancel-child", childId: step.childExecutionId, reason: `parent cancelled: ${reason}` });
    }
    void stepId;
  }
  for (const key of [...turn.volatile.locksHeld.keys()]) releaseLocks(turn, key);
  finish(turn, "cancelled", null, { reason, by });
  return undefined;
}

function pause(turn: Turn, by: string, reason: string | null): Rejection | undefined {
  const status = publicStatus(turn.state);
  if (status !== "running" && status !== "waiting" && status !== "queued") {
    return invalid(`Only a queued, running or waiting execution can be paused; this one is ${status}.`);
  }
  turn.emit("execution.paused", { by, reason });
  // A paused execution that has not started holds no place in the queue.
  if (status === "queued") turn.command({ type: "release" });
  return undefined;
}

function resume(turn: Turn, by: string): Rejection | undefined {
  if (turn.state.status !== "paused") return invalid(`Only a paused execution can be resumed; this one is ${publicStatus(turn.state)}.`);
  turn.emit("execution.resumed", { by });
  const next: string = turn.state.status;
  if (next === "queued") turn.command({ type: "enqueue" });
  else if (next === "running") timerFired(turn);
  return undefined;
}

function retry(turn: Turn, by: string): Rejection | undefined {
  if (turn.state.status !== "failed") return invalid(`Only a failed execution can be retried; this one is ${turn.state.status}.`);
  turn.emit("execution.resumed", { by, retry: true });
  turn.volatile.items.clear();
  pump(turn);
  return undefined;
}

function resolveApproval(turn: Turn, stepId: string, approved: boolean, by: string, comment: string | null): Rejection | undefined {
  const step = turn.stepsById.get(stepId);
  const state = turn.state.steps[stepId];
  if (!step || !state) return { code: "not_found", message: `The execution has no step "${stepId}".` };
  if (step.type !== "approval") return invalid(`Step "${stepId}" is not an approval step.`);
  if (state.status !== "waiting") return invalid(`Step "${stepId}" is not waiting for approval (it is ${state.status}).`);
  if (isOver(turn)) return invalid(`The execution is already ${turn.state.status}.`);
  settleApproval(turn, stepId, approved, by, comment);
  pump(turn);
  return undefined;
}

function resolveStart(turn: Turn, approved: boolean, by: string, comment: string | null): Rejection | undefined {
  if (turn.state.startApproval === null) return invalid("This execution's start is not waiting for approval.");
  turn.emit("approval.resolved", { stepId: START_APPROVAL_STEP, approved, by, comment, at: turn.now });
  if (!approved) {
    finish(turn, "cancelled", null, { reason: `start rejected by ${by}${comment ? `: ${comment}` : ""}`, by });
    return undefined;
  }
  turn.command({ type: "enqueue" });
  return undefined;
}
