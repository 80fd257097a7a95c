/** `GET /v1/approvals`: every approval step waiting for a decision, with its message and deadline. */
import { createRoute, z } from "@hono/zod-openapi";
import { pendingApprovals } from "../../services/approvals.ts";
import { callerOf, createRouter } from "../context.ts";
import { jsonContent } from "../openapi.ts";
import { PendingApproval } from "../schemas.ts";

const list = createRoute({
  method: "get",
  path: "/approvals",
  tags: ["Approvals"],
  summary: "Pending approvals, oldest first",
  responses: { 200: jsonContent(z.object({ approvals: z.array(PendingApproval) }), "Pending approvals") },
});

export const approvalRoutes = createRouter().openapi(list, async (c) => c.json({ approvals: await pendingApprovals(callerOf(c)) }, 200));
