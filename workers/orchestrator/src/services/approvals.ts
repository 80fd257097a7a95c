/**
 * Approvals waiting for a decision (`GET /v1/approvals`): approval steps with their message and
 * deadline, and, in approval mode, starts that wait for an admin (step id `$start`).
 */
import type { PendingApproval } from "#shared/execution.ts";
import { START_APPROVAL_STEP } from "../execution/engine.ts";
import { waitingApprovals } from "../history/queries.ts";
import { executionStub } from "../execution/stub.ts";
import { historyUpToDate } from "../history/writer.ts";
import type { Caller } from "./caller.ts";

export async function pendingApprovals(caller: Caller): Promise<PendingApproval[]> {
  await historyUpToDate(caller.env);
  const rows = await waitingApprovals(caller.db);
  // The message and deadline live with the execution; pending approvals are few, so ask each one.
  const approvals = await Promise.all(
    rows.map(async (row): Promise<PendingApproval | undefined> => {
      const state = await executionStub(caller.env, row.executionId).getState();
      if (!state) return undefined;
      if (row.stepId === null) {
        if (state.status !== "waiting" || state.startedAt !== null) return undefined;
        return {
          executionId: state.id,
          templateId: state.templateId,
          stepId: START_APPROVAL_STEP,
          message: `Start "${state.templateId}"?`,
          waitingSince: state.createdAt,
          timeoutAt: null,
        };
      }
      const step = state.steps.find((s) => s.id === row.stepId);
      if (!step || step.status !== "waiting") return undefined;
      const input = step.input as { message?: unknown } | null;
      return {
        executionId: row.executionId,
        templateId: row.templateId,
        stepId: row.stepId,
        message: typeof input?.message === "string" ? input.message : null,
        waitingSince: step.startedAt,
        timeoutAt: step.wakeAt,
      };
    }),
  );
  return approvals.filter((a) => a !== undefined);
}
