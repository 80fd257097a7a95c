/** Steps that wait on someone else: an approval by an admin, and a child pipeline run as its own execution. */
import type { ApprovalStep, PipelineStep } from "#shared/template.ts";
import { resolveValue } from "../../templates/resolve.ts";
import type { ChildSummary } from "./io.ts";
import { completeStep, failStep } from "./settle.ts";
import { emptyUsage } from "./state.ts";
import type { Turn } from "./turn.ts";

export function startApproval(turn: Turn, step: ApprovalStep): void {
  let message: string;
  try {
    const resolved = resolveValue(step.message ?? `Approve step "${step.id}"?`, turn.scope());
    // A message that is one reference takes the referenced value as it is; the contract's message is text.
    message = typeof resolved === "string" ? resolved : JSON.stringify(resolved);
  } catch (error) {
    return failStep(turn, step.id, null, { code: "invalid_reference", message: `message: ${(error as Error).message}` });
  }
  const timeoutAt = step.timeoutMs !== undefined ? turn.now + step.timeoutMs : null;
  turn.emit("step.started", { stepId: step.id, status: "waiting", type: "approval" });
  turn.emit("approval.required", { stepId: step.id, message, timeoutAt, onTimeout: step.onTimeout });
}

export function settleApproval(turn: Turn, stepId: string, approved: boolean, by: string, comment: string | null): void {
  const at = turn.now;
  turn.emit("approval.resolved", { stepId, approved, by, comment, at });
  if (approved) completeStep(turn, stepId, null, { approved: true, by, comment, at }, emptyUsage());
  else failStep(turn, stepId, null, { code: "rejected", message: `Rejected by ${by}${comment ? `: ${comment}` : ""}.` });
}

/** Starts the child execution; `again` asks once more for a child whose start was never confirmed (same key, same child). */
export function startPipeline(turn: Turn, step: PipelineStep, again = false): void {
  let params: Record<string, unknown>;
  try {
    params = resolveValue(step.params ?? {}, turn.scope()) as Record<string, unknown>;
  } catch (error) {
    return failStep(turn, step.id, null, { code: "invalid_reference", message: `params: ${(error as Error).message}` });
  }
  if (!again) {
    const deadlineAt = step.timeoutMs !== undefined ? turn.now + step.timeoutMs : null;
    turn.emit("step.started", { stepId: step.id, status: "running", attempt: 1, template: step.template, input: params, deadlineAt });
  }
  turn.command({ type: "start-child", stepId: step.id, step, params });
}

export function childStarted(turn: Turn, stepId: string, childId: string): void {
  const state = turn.state.steps[stepId];
  if (state?.status !== "running" || state.childExecutionId === childId) return;
  turn.emit("step.progress", { stepId, status: "running", current: 0, total: 1, message: `child execution ${childId}`, childExecutionId: childId });
}

export function childStartFailed(turn: Turn, stepId: string, message: string): void {
  if (turn.state.steps[stepId]?.status !== "running") return;
  failStep(turn, stepId, null, { code: "child_start_failed", message });
}

export function childSettled(turn: Turn, stepId: string, child: ChildSummary): void {
  const state = turn.state.steps[stepId];
  if (state?.status !== "running" || state.childExecutionId !== child.id) return;
  if (child.status === "completed") return completeStep(turn, stepId, null, child.output, { ...emptyUsage(), costUsd: child.costUsd });
  failStep(turn, stepId, null, {
    code: child.status === "cancelled" ? "child_cancelled" : "child_failed",
    message: `Child execution ${child.id} ${child.status}${child.error ? `: ${child.error.message}` : ""}.`,
  });
}
