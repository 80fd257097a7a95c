/** `GET /v1/approvals`: every approval step waiting for a decision, with its message and deadline. */
import { createRoute, z } from "@hono/zod-openapi";
import type { PendingApproval } from "#shared/execution.ts";
import { waitingApprovals } from "../../execution/list.ts";
import { executionStub } from "../../execution/start.ts";
import { createRouter } from "../context.ts";
import { jsonContent } from "../openapi.ts";

const approvalSchema = z.object({
  executionId: z.string(),
  templateId: z.string(),
  stepId: z.string(),
  message: z.string().nullable(),
  waitingSince: z.number().int().nullable(),
  timeoutAt: z.number().int().nullable(),
});

const list = createRoute({
  method: "get",
  path: "/approvals",
  tags: ["Approvals"],
  summary: "Pending approvals, oldest first",
  responses: { 200: jsonContent(z.object({ approvals: z.array(approvalSchema) }), "Pending approvals") },
});

export const approvalRoutes = createRouter().openapi(list, async (c) => {
  const rows = await waitingApprovals(c.var.db);
  // The message and deadline live with the execution; pending approvals are few, so ask each one.
  const approvals = await Promise.all(
    rows.map(async (row): Promise<PendingApproval | undefined> => {
      const state = await executionStub(c.env, row.executionId).getState();
      const step = state?.steps.find((s) => s.id === row.stepId);
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
  return c.json({ approvals: approvals.filter((a) => a !== undefined) }, 200);
});
