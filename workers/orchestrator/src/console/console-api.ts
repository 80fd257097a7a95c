/**
 * The public API's routes as the console gateway serves them: the same Hono app, but the acting
 * identity is the signed-in user (admin or viewer) the gateway names, carried in a call context that only the gateway
 * creates. The public fetch handler runs a different app instance whose only way in is a bearer token,
 * so no header, cookie or path there can claim an admin.
 */
import type { ExecutionContext, MiddlewareHandler } from "hono";
import { createApi } from "../api/app.ts";
import type { AppEnv } from "../api/context.ts";
import { DomainError } from "../errors.ts";
import type { Actor } from "../audit/actor.ts";

/** The execution context of one gateway call: the Worker's own, plus the user acting in it. */
export class ConsoleCallContext implements ExecutionContext {
  constructor(
    private readonly outer: ExecutionContext,
    readonly actor: Actor,
  ) {}

  waitUntil(promise: Promise<unknown>): void {
    this.outer.waitUntil(promise);
  }

  passThroughOnException(): void {}

  get props(): unknown {
    return {};
  }
}

function consoleAuth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ctx = c.executionCtx;
    if (!(ctx instanceof ConsoleCallContext)) {
      throw new DomainError("unauthorized", "The console API is served only through the ConsoleGateway binding.");
    }
    c.set("actor", ctx.actor);
    await next();
  };
}

let app: ReturnType<typeof createApi> | undefined;

/** Built on first use: an isolate that never serves the console never pays for a second app. */
export function consoleApi(): ReturnType<typeof createApi> {
  app ??= createApi({ authenticate: consoleAuth() });
  return app;
}
