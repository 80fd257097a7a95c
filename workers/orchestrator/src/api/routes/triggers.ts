/**
 * Inbound triggers: `PUT/GET/DELETE /v1/triggers/:name`, `GET /v1/triggers`, the event intake
 * `POST /v1/triggers/:name/events` (authenticated by the trigger itself: a bearer token or a
 * `Baton-Signature`, so the API's bearer middleware lets it through) and `GET …/deliveries`.
 */
import { createRoute, z } from "@hono/zod-openapi";
import {
  TRIGGER_NAME_PATTERN,
  triggerDeliveryPageSchema,
  triggerEventResponseSchema,
  triggerInputSchema,
  triggerListSchema,
  triggerSavedSchema,
  triggerSchema,
} from "#shared/api/triggers.ts";
import * as triggers from "../../services/triggers.ts";
import { receiveEvent } from "../../triggers/receive.ts";
import { callerOf, createRouter } from "../context.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";

const tags = ["Triggers"];
const nameParam = z.object({ name: z.string().regex(TRIGGER_NAME_PATTERN, "use 1-64 lowercase letters, digits, '-' or '_'") });

/** Matches the events path, which the bearer middleware must not guard (signature triggers carry no token). */
export const TRIGGER_EVENTS_PATH = /^\/v1\/triggers\/[^/]+\/events$/;

const list = createRoute({
  method: "get",
  path: "/triggers",
  tags,
  summary: "Every trigger (or those of one template)",
  request: { query: z.object({ template: z.string().max(64).optional() }) },
  responses: { 200: jsonContent(triggerListSchema, "Triggers, by name"), ...errorResponses(422) },
});

const read = createRoute({
  method: "get",
  path: "/triggers/{name}",
  tags,
  summary: "One trigger (its secret is never shown)",
  request: { params: nameParam },
  responses: { 200: jsonContent(triggerSchema, "The trigger"), ...errorResponses(404, 422) },
});

const save = createRoute({
  method: "put",
  path: "/triggers/{name}",
  tags,
  summary: "Create or replace a trigger; with auth \"signature\", the answer that creates its secret shows it, once",
  request: { params: nameParam, body: jsonBody(triggerInputSchema) },
  responses: {
    200: jsonContent(triggerSavedSchema, "Replaced"),
    201: jsonContent(triggerSavedSchema, "Created"),
    ...errorResponses(400, 413, 415, 422),
  },
});

const remove = createRoute({
  method: "delete",
  path: "/triggers/{name}",
  tags,
  summary: "Delete a trigger (events it already accepted still start; its deliveries stay listed)",
  request: { params: nameParam },
  responses: { 200: jsonContent(z.object({ name: z.string(), deleted: z.literal(true) }), "Deleted"), ...errorResponses(404, 422) },
});

const events = createRoute({
  method: "post",
  path: "/triggers/{name}/events",
  tags,
  summary: "Send an event: a JSON body, authenticated by a bearer token or a Baton-Signature header, as the trigger says",
  description:
    "`Baton-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\" with the trigger's secret>`, " +
    "within 5 minutes of Baton's clock. Bodies over `triggers.maxEventBytes` (config) get 413. Refusals before " +
    "authentication store nothing; every authenticated event is listed in the deliveries.",
  security: [{ bearerAuth: [] }, { batonSignature: [] }],
  request: { params: nameParam },
  responses: {
    202: jsonContent(triggerEventResponseSchema, "Accepted: started, debounced, batched or a duplicate"),
    ...errorResponses(400, 404, 413, 422, 429),
  },
});

const deliveries = createRoute({
  method: "get",
  path: "/triggers/{name}/deliveries",
  tags,
  summary: "What became of each event, newest first",
  request: {
    params: nameParam,
    query: z.object({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
  },
  responses: { 200: jsonContent(triggerDeliveryPageSchema, "A page of deliveries"), ...errorResponses(404, 422) },
});

export const triggerRoutes = createRouter()
  .openapi(list, async (c) => c.json({ triggers: await triggers.list(callerOf(c), c.req.valid("query").template) }, 200))
  .openapi(read, async (c) => c.json(await triggers.read(callerOf(c), c.req.valid("param").name), 200))
  .openapi(save, async (c) => {
    const saved = await triggers.save(callerOf(c), c.req.valid("param").name, c.req.valid("json"));
    return saved.created ? c.json(saved, 201) : c.json(saved, 200);
  })
  .openapi(remove, async (c) => {
    const { name } = c.req.valid("param");
    await triggers.remove(callerOf(c), name);
    return c.json({ name, deleted: true as const }, 200);
  })
  .openapi(events, async (c) => c.json(await receiveEvent(c.env, c.var.db, c.req.param("name") ?? "", c.req.raw), 202))
  .openapi(deliveries, async (c) => c.json(await triggers.deliveries(callerOf(c), c.req.valid("param").name, c.req.valid("query")), 200));
