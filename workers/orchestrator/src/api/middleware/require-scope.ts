/**
 * Refuses a request whose token's scope does not cover the route (auth/scopes.ts names what each route
 * needs). Admins in the console, services over RPC and Baton itself carry no scope and pass.
 */
import type { MiddlewareHandler } from "hono";
import { scopeRule } from "../../auth/scopes.ts";
import type { AppEnv } from "../context.ts";
import { DomainError } from "../../errors.ts";

export function requireScope(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const scope = c.var.actor.scope;
    if (scope !== undefined) {
      const rule = scopeRule(c.req.method, c.req.path);
      if (!rule.allowed.includes(scope)) {
        throw new DomainError(
          "forbidden",
          `${c.req.method} ${c.req.path} needs a token of scope ${rule.scope}${rule.scope === "admin" ? "" : " or above"}; this token's scope is ${scope}.`,
          { requiredScope: rule.scope, tokenScope: scope },
        );
      }
    }
    await next();
  };
}
