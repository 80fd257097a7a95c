/**
 * The public HTTP API under `/v1`: one Hono app, bearer auth on everything but health and the OpenAPI
 * document, one error format for every failure (including 404, 405 and anything thrown).
 */
import { bodyLimit } from "hono/body-limit";
import { database } from "../db/client.ts";
import { createRouter } from "./context.ts";
import { ApiError, errorResponse, toApiError } from "./errors.ts";
import { bearerAuth } from "./middleware/bearer-auth.ts";
import { approvalRoutes } from "./routes/approvals.ts";
import { executionRoutes } from "./routes/executions.ts";
import { healthRoutes } from "./routes/health.ts";
import { liveRoutes } from "./routes/live.ts";
import { templateRoutes } from "./routes/templates.ts";
import { tokenRoutes } from "./routes/tokens.ts";

export const MAX_BODY_BYTES = 1024 * 1024;
const PUBLIC_PATHS = new Set(["/v1/health", "/v1/openapi.json"]);

export function createApi() {
  const app = createRouter();

  app.use("*", async (c, next) => {
    c.set("db", database(c.env.DB));
    await next();
  });
  app.use(
    "/v1/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError("payload_too_large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
      },
    }),
  );
  const auth = bearerAuth();
  app.use("/v1/*", (c, next) => (PUBLIC_PATHS.has(c.req.path) ? next() : auth(c, next)));

  app.route("/v1", healthRoutes);
  app.route("/v1", templateRoutes);
  app.route("/v1", tokenRoutes);
  app.route("/v1", executionRoutes);
  app.route("/v1", approvalRoutes);
  app.route("/v1", liveRoutes);

  app.doc31("/v1/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: { title: "Baton API", version: c.env.BATON_VERSION },
    servers: [{ url: new URL(c.req.url).origin }],
    security: [{ bearerAuth: [] }],
  }));
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", { type: "http", scheme: "bearer" });

  app.notFound((c) => {
    const allowed = allowedMethods(app.routes, c.req.path);
    if (allowed.length > 0) {
      c.header("Allow", allowed.join(", "));
      return errorResponse(
        c,
        new ApiError("method_not_allowed", `${c.req.method} is not allowed on ${c.req.path}; use ${allowed.join(" or ")}.`),
      );
    }
    return errorResponse(c, new ApiError("not_found", `No route ${c.req.method} ${c.req.path}; see GET /v1/openapi.json.`));
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
