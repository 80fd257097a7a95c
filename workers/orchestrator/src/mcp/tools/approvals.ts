/** `list_approvals`, `approve_step`, `reject_step`: the decisions an execution is waiting for. */
import { z } from "zod";
import { pendingApprovals } from "../../services/approvals.ts";
import { decideApproval } from "../../services/execution-control.ts";
import { templateVisible, visibleExecution } from "../access.ts";
import { defineTool, type ToolContext } from "../tool.ts";
import { trimExecution } from "../trim.ts";
import { executionId } from "./executions.ts";

export const listApprovals = defineTool({
  name: "list_approvals",
  description: "List the approval steps waiting for a decision (step id $start: a start waiting for approval).",
  input: z.object({}),
  async run(_input, { caller, mcp }) {
    const approvals = (await pendingApprovals(caller)).filter((approval) => templateVisible(mcp, approval.templateId));
    return {
      approvals: approvals.map((approval) => ({
        ...approval,
        waitingSince: approval.waitingSince === null ? null : new Date(approval.waitingSince).toISOString(),
        timeoutAt: approval.timeoutAt === null ? null : new Date(approval.timeoutAt).toISOString(),
      })),
    };
  },
});

const decision = z.object({
  id: executionId,
  step: z.string().min(1).max(64).describe("The approval step's id, from list_approvals"),
  comment: z.string().max(2000).optional(),
});

function decide(approved: boolean) {
  return async ({ id, step, comment }: z.infer<typeof decision>, { caller, mcp }: ToolContext) => {
    await visibleExecution(caller, mcp, id);
    return trimExecution(await decideApproval(caller, id, step, approved, comment ?? null));
  };
}

export const approveStep = defineTool({
  name: "approve_step",
  description: "Approve a waiting approval step; the execution goes on.",
  input: decision,
  run: decide(true),
});

export const rejectStep = defineTool({
  name: "reject_step",
  description: "Reject a waiting approval step; the step fails, and the execution with it unless it handles that.",
  input: decision,
  run: decide(false),
});
