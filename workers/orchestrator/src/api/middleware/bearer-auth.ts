/** Requires `Authorization: Bearer <token>` with a known, unrevoked, unexpired API token; sets the acting identity and its scope. */
import type { MiddlewareHandler } from "hono";
import { authenticateToken } from "../../auth/api-tokens.ts";
import type { AppEnv } from "../context.ts";
import { DomainError } from "../../errors.ts";

export function bearerAuth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const match = header?.match(/^Bearer\s+(\S{1,512})\s*$/i);
    if (!match?.[1]) {
      throw new DomainError(
        "unauthorized",
        "This endpoint needs an API token: send 'Authorization: Bearer <token>' (npm start prints one).",
      );
    }
    const result = await authenticateToken(c.var.db, match[1], c.env.API_TOKEN);
    if (!result) throw new DomainError("unauthorized", "The API token is unknown, has expired or has been revoked.");
    if (result.touch) c.executionCtx.waitUntil(result.touch);
    const { name, scope, expiresAt } = result.identity;
    c.set("actor", { kind: "token", name, scope, expiresAt });
    await next();
  };
}
