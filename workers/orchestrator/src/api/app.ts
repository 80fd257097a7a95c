/**
 * The public HTTP API under `/v1`: one Hono app, bearer auth (and the token's scope) on everything but
 * health and the OpenAPI document, one error format for every failure (including 404, 405 and anything thrown).
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { database } from "../db/client.ts";
import { type AppEnv, createRouter } from "./context.ts";
import { DomainError } from "../errors.ts";
import { errorResponse, toApiError } from "./errors.ts";
import { bearerAuth } from "./middleware/bearer-auth.ts";
import { cors } from "./middleware/cors.ts";
import { jsonGuard } from "./middleware/json-guard.ts";
import { requireScope } from "./middleware/require-scope.ts";
import { documentCommonErrors, documentRoute, documentScopes } from "./openapi.ts";
import { agentRoutes } from "./routes/agents.ts";
import { approvalRoutes } from "./routes/approvals.ts";
import { configRoutes } from "./routes/config.ts";
import { controlPlaneRoutes } from "./routes/control-plane.ts";
import { corsRoutes } from "./routes/cors.ts";
import { lockRoutes } from "./routes/locks.ts";
import { queueRoutes } from "./routes/queue.ts";
import { usageRoutes } from "./routes/usage.ts";
import { executionRoutes } from "./routes/executions.ts";
import { healthRoutes } from "./routes/health.ts";
import { insightRoutes } from "./routes/insights.ts";
import { liveRoutes } from "./routes/live.ts";
import { statsRoutes } from "./routes/stats.ts";
import { templateRoutes } from "./routes/templates.ts";
import { tokenRoutes } from "./routes/tokens.ts";
import { userRoutes } from "./routes/users.ts";
import { TRIGGER_EVENTS_PATH, triggerRoutes } from "./routes/triggers.ts";
import { webhookRoutes } from "./routes/webhooks.ts";

export const MAX_BODY_BYTES = 1024 * 1024;
const PUBLIC_PATHS = new Set(["/v1/health", "/v1/openapi.json"]);

/**
 * `authenticate` sets the acting identity: bearer tokens for the public fetch handler; the console
 * gateway passes its own (the signed-in admin), which nothing on the public path can reach.
 */
export function createApi({ authenticate = bearerAuth() }: { authenticate?: MiddlewareHandler<AppEnv> } = {}) {
  const app = createRouter();

  app.use("*", async (c, next) => {
    c.set("db", database(c.env.DB));
    await next();
  });
  // Before auth: a browser's preflight carries no token.
  app.use("/v1/*", cors());
  app.use(
    "/v1/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new DomainError("payload_too_large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
      },
    }),
  );
  // A trigger's events authenticate with the trigger's own scheme (token or signature), in the route.
  const ownAuth = (method: string, path: string) => PUBLIC_PATHS.has(path) || (method === "POST" && TRIGGER_EVENTS_PATH.test(path));
  app.use("/v1/*", (c, next) => (ownAuth(c.req.method, c.req.path) ? next() : authenticate(c, next)));
  const scoped = requireScope();
  app.use("/v1/*", (c, next) => (ownAuth(c.req.method, c.req.path) ? next() : scoped(c, next)));
  // A trigger's event is read raw by its route (the signature covers the exact bytes, under its own cap).
  const guard = jsonGuard();
  app.use("/v1/*", (c, next) => (c.req.method === "POST" && TRIGGER_EVENTS_PATH.test(c.req.path) ? next() : guard(c, next)));

  app.route("/v1", healthRoutes);
  app.route("/v1", templateRoutes);
  app.route("/v1", tokenRoutes);
  app.route("/v1", executionRoutes);
  app.route("/v1", approvalRoutes);
  app.route("/v1", liveRoutes);
  app.route("/v1", webhookRoutes);
  app.route("/v1", corsRoutes);
  app.route("/v1", agentRoutes);
  app.route("/v1", queueRoutes);
  app.route("/v1", controlPlaneRoutes);
  app.route("/v1", configRoutes);
  app.route("/v1", lockRoutes);
  app.route("/v1", usageRoutes);
  app.route("/v1", userRoutes);
  app.route("/v1", statsRoutes);
  app.route("/v1", insightRoutes);
  app.route("/v1", triggerRoutes);

  app.doc31("/v1/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: { title: "Baton API", version: c.env.BATON_VERSION },
    servers: [{ url: new URL(c.req.url).origin }],
    security: [{ bearerAuth: [] }],
  }));
  app.openAPIRegistry.registerPath(documentRoute);
  documentCommonErrors(app.openAPIRegistry);
  documentScopes(app.openAPIRegistry);
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", { type: "http", scheme: "bearer" });
  app.openAPIRegistry.registerComponent("securitySchemes", "batonSignature", {
    type: "apiKey",
    in: "header",
    name: "Baton-Signature",
    description: "t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\" with the trigger's secret> (docs/triggers.md)",
  });

  app.notFound((c) => {
    const allowed = allowedMethods(app.routes, c.req.path);
    if (allowed.length > 0) {
      c.header("Allow", allowed.join(", "));
      return errorResponse(
        c,
        new DomainError("method_not_allowed", `${c.req.method} is not allowed on ${c.req.path}; use ${allowed.join(" or ")}.`),
      );
    }
    return errorResponse(c, new DomainError("not_found", `No route ${c.req.method} ${c.req.path}; see GET /v1/openapi.json.`));
  });
  app.onError((error, c) => errorResponse(c, toApiError(error)));
  return app;
}

/** The methods some route accepts at `path`, for a 405 with an `Allow` header instead of a bare 404. */
function allowedMethods(routes: ReadonlyArray<{ method: string; path: string }>, path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    if (route.method === "ALL") continue;
    const pattern = new RegExp(`^${route.path.replace(/:[^/]+/g, "[^/]+").replace(/\*/g, ".*")}/?$`);
    if (pattern.test(path)) methods.add(route.method);
  }
  return [...methods].sort();
}
