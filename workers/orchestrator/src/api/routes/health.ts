/** `GET /v1/health`: liveness without a token, for load balancers and `npm start`'s readiness wait. */
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../context.ts";

const startedAt = Date.now();

const healthSchema = z.object({
  status: z.literal("ok"),
  version: z.string(),
  uptimeMs: z.number().int(),
});

const route = createRoute({
  method: "get",
  path: "/health",
  summary: "Liveness and version",
  security: [],
  responses: { 200: { description: "Baton is up", content: { "application/json": { schema: healthSchema } } } },
});

export const healthRoutes = createRouter().openapi(route, (c) =>
  c.json({ status: "ok" as const, version: c.env.BATON_VERSION, uptimeMs: Date.now() - startedAt }, 200),
);
