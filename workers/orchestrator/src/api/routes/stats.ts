/**
 * `GET /v1/stats` (the dashboard's exact numbers) and `GET /v1/logs` (log lines across executions), both
 * read from D1's history after the history writer has handed D1 everything it holds.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { logSearchPageSchema } from "#shared/api/logs.ts";
import { MAX_STATS_DAYS, statsSchema } from "#shared/api/stats.ts";
import { logLevels } from "#shared/api/executions.ts";
import { historyUpToDate } from "../../history/writer.ts";
import { MAX_LOG_LIMIT, searchLogs } from "../../logs/search.ts";
import { dashboardStats } from "../../stats/dashboard-stats.ts";
import { createRouter } from "../context.ts";
import { errorResponses, jsonContent } from "../openapi.ts";
import { instant } from "./usage.ts";

const stats = createRoute({
  method: "get",
  path: "/stats",
  tags: ["Insights"],
  summary: "Exact counts for dashboards: by status now, today, per hour (24 h) and per day",
  request: {
    query: z.object({
      utcOffsetMinutes: z.coerce
        .number()
        .int()
        .min(-840)
        .max(840)
        .default(0)
        .openapi({ description: "The caller's offset from UTC in minutes (UTC+1 is 60): where 'today' and each bucket begin" }),
      days: z.coerce.number().int().min(1).max(MAX_STATS_DAYS).default(14),
    }),
  },
  responses: { 200: jsonContent(statsSchema, "The numbers"), ...errorResponses(422) },
});

const logs = createRoute({
  method: "get",
  path: "/logs",
  tags: ["Insights"],
  summary: "Agents' log lines across executions, newest first; `after` follows new ones",
  request: {
    query: z.object({
      level: z.enum(logLevels).optional().openapi({ description: "This level and above" }),
      template: z.string().max(64).optional(),
      execution: z.string().max(64).optional(),
      q: z.string().min(1).max(200).optional().openapi({ description: "Text the message contains" }),
      since: instant.optional(),
      until: instant.optional(),
      cursor: z.string().max(64).optional(),
      after: z.coerce.number().int().min(0).optional().openapi({ description: "Lines after the one with this id, oldest first" }),
      limit: z.coerce.number().int().min(1).max(MAX_LOG_LIMIT).optional(),
    }),
  },
  responses: { 200: jsonContent(logSearchPageSchema, "A page of log lines"), ...errorResponses(422) },
});

export const statsRoutes = createRouter()
  .openapi(stats, async (c) => {
    await historyUpToDate(c.env);
    return c.json(await dashboardStats(c.env.DB, c.req.valid("query")), 200);
  })
  .openapi(logs, async (c) => {
    await historyUpToDate(c.env);
    return c.json(await searchLogs(c.env.DB, c.req.valid("query")), 200);
  });
