/**
 * Steering executions (cancel, pause, resume, retry, approval decisions, and the bulk stops): each
 * change goes to the execution's Durable Object and leaves one audit row naming who made it.
 */
import type { BulkResult } from "#shared/api/executions.ts";
import type { ExecutionState } from "#shared/execution.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../audit/record.ts";
import type { ControlResult } from "../execution/execution-do.ts";
import { activeExecutionIds } from "../history/queries.ts";
import { executionStub } from "../execution/stub.ts";
import { historyUpToDate } from "../history/writer.ts";
import type { Caller } from "./caller.ts";
import { existingExecution } from "./executions.ts";

export type ControlAction = "cancel" | "pause" | "resume" | "retry";

function settled(result: ControlResult): ExecutionState {
  if (result.ok) return result.execution;
  throw new DomainError(result.code === "not_found" || result.code === "validation_failed" ? result.code : "invalid_state", result.message);
}

/** `reason` is kept with a cancel or a pause; resume and retry take none. */
export async function control(caller: Caller, id: string, action: ControlAction, reason: string | null = null): Promise<ExecutionState> {
  const stub = existingExecution(caller.env, id);
  const { actor } = caller;
  const result =
    action === "cancel"
      ? await stub.cancel(reason ?? "cancelled by request", actor)
      : action === "pause"
        ? await stub.pause(actor, reason)
        : action === "resume"
          ? await stub.resume(actor)
          : await stub.retry(actor);
  const state = settled(result);
  await recordAudit(caller.db, actor, `execution.${action}`, id, reason !== null ? { reason } : undefined);
  return state;
}

export async function decideApproval(
  caller: Caller,
  id: string,
  stepId: string,
  approved: boolean,
  comment: string | null = null,
): Promise<ExecutionState> {
  const state = settled(await existingExecution(caller.env, id).resolveApproval(stepId, approved, caller.actor, comment));
  await recordAudit(caller.db, caller.actor, approved ? "approval.approve" : "approval.reject", `${id}/${stepId}`, { comment });
  return state;
}

export async function pauseAll(caller: Caller, reason: string | null): Promise<BulkResult> {
  const why = reason ?? "pause all";
  await historyUpToDate(caller.env);
  const ids = await activeExecutionIds(caller.db, ["queued", "running", "waiting"]);
  const results = await Promise.all(ids.map((id) => executionStub(caller.env, id).pause(caller.actor, why)));
  const affected = ids.filter((_, i) => results[i]?.ok);
  await recordAudit(caller.db, caller.actor, "execution.pause_all", null, { affected: affected.length });
  return { affected };
}

export async function emergencyStop(caller: Caller, reason: string | null): Promise<BulkResult> {
  const why = reason ?? "emergency stop";
  await historyUpToDate(caller.env);
  const ids = await activeExecutionIds(caller.db, ["queued", "running", "waiting", "paused"]);
  const results = await Promise.all(ids.map((id) => executionStub(caller.env, id).cancel(why, caller.actor)));
  const affected = ids.filter((_, i) => results[i]?.ok);
  await recordAudit(caller.db, caller.actor, "execution.emergency_stop", null, { affected: affected.length, reason: why });
  return { affected };
}
