/** `GET /v1/insights`: a template's runs per key over a window, with each key's rate-limit saturation. */
import { createRoute, z } from "@hono/zod-openapi";
import { insightsQuerySchema, insightsSchema } from "#shared/api/insights.ts";
import { DEFAULT_INSIGHTS_PAGE, insights } from "../../services/insights.ts";
import { callerOf, createRouter } from "../context.ts";
import { errorResponses, jsonContent } from "../openapi.ts";

const read = createRoute({
  method: "get",
  path: "/insights",
  tags: ["Insights"],
  summary: "A template's runs per param or key (runs, completed, failed, cost, last run, rate-limit saturation), most runs first",
  request: {
    // The contract's fields; a query string's limit arrives as text.
    query: z.object({ ...insightsQuerySchema.shape, limit: z.coerce.number().int().min(1).max(200).default(DEFAULT_INSIGHTS_PAGE) }),
  },
  responses: { 200: jsonContent(insightsSchema, "Runs per key"), ...errorResponses(404, 422) },
});

export const insightRoutes = createRouter().openapi(read, async (c) => c.json(await insights(callerOf(c), c.req.valid("query")), 200));
