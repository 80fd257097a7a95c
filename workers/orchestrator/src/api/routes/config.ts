/**
 * `GET/PUT /v1/config`: limits, budgets, mode, allowed CORS origins and webhook endpoints; validated,
 * audited, effective without a restart.
 */
import { createRoute } from "@hono/zod-openapi";
import { configUpdateSchema, configViewSchema } from "#shared/config.ts";
import { readConfig, updateConfig } from "../../services/settings.ts";
import { callerOf, createRouter } from "../context.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";

const tags = ["Config"];

const read = createRoute({
  method: "get",
  path: "/config",
  tags,
  summary: "The current configuration",
  responses: { 200: jsonContent(configViewSchema, "Configuration") },
});

const update = createRoute({
  method: "put",
  path: "/config",
  tags,
  summary: "Change any subset of the configuration; the rest stays (`cors` and `webhooks` are replaced whole; a webhook endpoint sent without `secret` keeps its secret)",
  request: { body: jsonBody(configUpdateSchema) },
  responses: { 200: jsonContent(configViewSchema, "The configuration after the change"), ...errorResponses(400, 413, 415, 422) },
});

export const configRoutes = createRouter()
  .openapi(read, async (c) => c.json(await readConfig(callerOf(c)), 200))
  .openapi(update, async (c) => c.json(await updateConfig(callerOf(c), c.req.valid("json")), 200));
