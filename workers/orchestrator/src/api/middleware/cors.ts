/**
 * CORS for the public API: a browser request from an allowed origin (setting `cors`) gets the CORS
 * headers, on errors too so the page can read the error; its preflight is answered here, before auth.
 * A request from any other origin is refused with 403 in the error format and no CORS headers, so the
 * browser blocks it whatever the method. Requests without an Origin (servers, the CLI) pass untouched.
 */
import type { MiddlewareHandler } from "hono";
import { loadCors, originAllowed } from "../../settings/cors.ts";
import type { AppEnv } from "../context.ts";
import { DomainError } from "../../errors.ts";

const ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE";
const ALLOW_HEADERS = "authorization, content-type, last-event-id";
const EXPOSE_HEADERS = "allow, retry-after";
const PREFLIGHT_MAX_AGE_S = "600";

export function cors(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (!origin) return next();
    if (!originAllowed(await loadCors(c.var.db), origin)) {
      throw new DomainError("forbidden", `Requests from the origin ${origin} are not allowed; an admin can allow it with PUT /v1/cors.`);
    }
    c.header("access-control-allow-origin", origin);
    c.header("vary", "Origin", { append: true });
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method")) {
      return c.body(null, 204, {
        "access-control-allow-methods": ALLOW_METHODS,
        "access-control-allow-headers": ALLOW_HEADERS,
        "access-control-max-age": PREFLIGHT_MAX_AGE_S,
      });
    }
    c.header("access-control-expose-headers", EXPOSE_HEADERS);
    await next();
  };
}
