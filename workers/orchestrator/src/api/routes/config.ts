/** `GET/PUT /v1/config`: limits, budgets and mode; validated, audited, effective without a restart. */
import { createRoute } from "@hono/zod-openapi";
import { configPatchSchema, configSchema } from "#shared/config.ts";
import { loadConfig, saveConfig } from "../../config/store.ts";
import { dispatcherConfigChanged } from "../../dispatcher/stub.ts";
import { createRouter } from "../context.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";

const tags = ["Config"];

const read = createRoute({
  method: "get",
  path: "/config",
  tags,
  summary: "The current configuration",
  responses: { 200: jsonContent(configSchema, "Configuration") },
});

const update = createRoute({
  method: "put",
  path: "/config",
  tags,
  summary: "Change any subset of the configuration; the rest stays",
  request: { body: jsonBody(configPatchSchema) },
  responses: { 200: jsonContent(configSchema, "The configuration after the change"), ...errorResponses(400, 413, 415, 422) },
});

export const configRoutes = createRouter()
  .openapi(read, async (c) => c.json(await loadConfig(c.var.db), 200))
  .openapi(update, async (c) => {
    const saved = await saveConfig(c.var.db, c.req.valid("json"), c.var.actor);
    // The dispatcher may live in another isolate with its own cached copy: tell it now.
    await dispatcherConfigChanged(c.env);
    return c.json(saved, 200);
  });
