/** `GET /v1/usage` (rolled up by day, template or agent) and `POST /v1/templates/:id/estimate`. */
import { createRoute, z } from "@hono/zod-openapi";
import { templateEstimateSchema } from "#shared/api/templates.ts";
import { estimate } from "../../services/estimates.ts";
import { usageGroupings, usageReportSchema } from "#shared/api/resources.ts";
import { usageReport } from "../../usage/report.ts";
import { historyUpToDate } from "../../history/writer.ts";
import { callerOf, createRouter } from "../context.ts";
import { errorResponses, jsonContent } from "../openapi.ts";

/** A time as epoch milliseconds or an ISO date (`2026-11-23`, `2026-11-23T10:00:00Z`). */
export const instant = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const at = /^\d{1,15}$/.test(value) ? Number(value) : Date.parse(value);
    if (Number.isNaN(at)) {
      ctx.addIssue({ code: "custom", message: "use epoch milliseconds or an ISO date such as 2026-11-23" });
      return z.NEVER;
    }
    return at;
  });


const report = createRoute({
  method: "get",
  path: "/usage",
  tags: ["Usage"],
  summary: "Tokens and cost, grouped by day, template or agent",
  request: { query: z.object({ groupBy: z.enum(usageGroupings).default("day"), since: instant.optional(), until: instant.optional() }) },
  responses: { 200: jsonContent(usageReportSchema, "Usage"), ...errorResponses(422) },
});

const estimateRoute = createRoute({
  method: "post",
  path: "/templates/{id}/estimate",
  tags: ["Templates"],
  summary: "Expected cost and duration (p50, p90) from history, per step and in total",
  request: {
    params: z.object({ id: z.string().max(64) }),
    body: { required: false, content: { "application/json": { schema: z.strictObject({ params: z.record(z.string(), z.unknown()).optional() }) } } },
  },
  responses: { 200: jsonContent(templateEstimateSchema, "The estimate"), ...errorResponses(404, 415, 422) },
});

export const usageRoutes = createRouter()
  .openapi(report, async (c) => {
    const { groupBy, since, until } = c.req.valid("query");
    await historyUpToDate(c.env);
    return c.json({ groupBy, ...(await usageReport(c.var.db, groupBy, since, until)) }, 200);
  })
  .openapi(estimateRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.header("content-type") ? (c.req.valid("json") as { params?: Record<string, unknown> }) : {};
    return c.json(await estimate(callerOf(c), id, body.params ?? {}), 200);
  });
