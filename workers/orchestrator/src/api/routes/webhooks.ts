/**
 * Webhook endpoints: `GET/PUT /v1/webhooks` (where Baton posts, for which events; secrets are write-only)
 * and `GET /v1/webhooks/deliveries` (every delivery with its attempts and last outcome).
 */
import { createRoute, z } from "@hono/zod-openapi";
import {
  webhookDeliveryPageSchema,
  webhookDeliveryStatuses,
  webhookEventTypes,
  webhookSettingsInputSchema,
  webhookSettingsSchema,
} from "#shared/api/webhooks.ts";
import { outboundPolicy } from "../../outbound/policy.ts";
import { loadEndpoints, saveEndpoints, viewOf } from "../../webhooks/endpoints.ts";
import { listDeliveries } from "../../webhooks/log.ts";
import { createRouter } from "../context.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";

const tags = ["Webhooks"];

const read = createRoute({
  method: "get",
  path: "/webhooks",
  tags,
  summary: "The webhook endpoints (secrets shown as a hint)",
  responses: { 200: jsonContent(webhookSettingsSchema, "Webhook endpoints") },
});

const update = createRoute({
  method: "put",
  path: "/webhooks",
  tags,
  summary: "Replace the webhook endpoints; an endpoint sent without `secret` keeps its secret",
  request: { body: jsonBody(webhookSettingsInputSchema) },
  responses: { 200: jsonContent(webhookSettingsSchema, "The endpoints after the change"), ...errorResponses(400, 413, 415, 422) },
});

const deliveries = createRoute({
  method: "get",
  path: "/webhooks/deliveries",
  tags,
  summary: "The delivery log, newest first",
  request: {
    query: z.object({
      status: z.enum(webhookDeliveryStatuses).optional(),
      event: z.enum(webhookEventTypes).optional(),
      cursor: z.string().max(200).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: { 200: jsonContent(webhookDeliveryPageSchema, "A page of deliveries"), ...errorResponses(422) },
});

export const webhookRoutes = createRouter()
  .openapi(read, async (c) => c.json(viewOf(await loadEndpoints(c.var.db)), 200))
  .openapi(update, async (c) => c.json(await saveEndpoints(c.var.db, c.req.valid("json"), c.var.actor, await outboundPolicy(c.env, c.var.db)), 200))
  .openapi(deliveries, async (c) => c.json(await listDeliveries(c.var.db, c.req.valid("query")), 200));
