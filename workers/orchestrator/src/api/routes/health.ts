/** `GET /v1/health`: liveness without a token, for load balancers and `npm start`'s readiness wait. */
import { createRoute } from "@hono/zod-openapi";
import { healthSchema } from "#shared/api/health.ts";
import { createRouter } from "../context.ts";
import { jsonContent } from "../openapi.ts";

// The clock does not run while a module is being loaded in workerd, so take the start on first use.
let startedAt: number | undefined;

const route = createRoute({
  method: "get",
  path: "/health",
  summary: "Liveness and version",
  security: [],
  responses: { 200: jsonContent(healthSchema, "Baton is up") },
});

export const healthRoutes = createRouter().openapi(route, (c) => {
  startedAt ??= Date.now();
  return c.json({ status: "ok" as const, version: c.env.BATON_VERSION, uptimeMs: Date.now() - startedAt }, 200);
});
