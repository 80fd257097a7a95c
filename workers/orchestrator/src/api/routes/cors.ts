/**
 * `GET/PUT /v1/cors`: the browser origins allowed to call this API; every other origin is refused. The
 * same origins are the `cors` key of `/v1/config`; this route stays for the clients that use it.
 */
import { createRoute } from "@hono/zod-openapi";
import { corsSettingsSchema } from "#shared/api/cors.ts";
import { loadCors } from "../../config/cors.ts";
import { updateCors } from "../../services/settings.ts";
import { callerOf, createRouter } from "../context.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";

const tags = ["Settings"];

const read = createRoute({
  method: "get",
  path: "/cors",
  tags,
  summary: "The origins allowed to call the API from a browser",
  responses: { 200: jsonContent(corsSettingsSchema, "Allowed origins") },
});

const update = createRoute({
  method: "put",
  path: "/cors",
  tags,
  summary: "Replace the allowed origins (`*` allows any)",
  request: { body: jsonBody(corsSettingsSchema) },
  responses: { 200: jsonContent(corsSettingsSchema, "The origins after the change"), ...errorResponses(400, 413, 415, 422) },
});

export const corsRoutes = createRouter()
  .openapi(read, async (c) => c.json(await loadCors(c.var.db), 200))
  .openapi(update, async (c) => c.json(await updateCors(callerOf(c), c.req.valid("json")), 200));
