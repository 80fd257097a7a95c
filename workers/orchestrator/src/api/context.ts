/** The Hono environment of the public API: bindings, plus who is calling and a drizzle handle. */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Actor } from "../audit/actor.ts";
import type { Database } from "../db/client.ts";
import type { Caller } from "../services/caller.ts";
import { validationError, zodIssues } from "../errors.ts";

export interface AppEnv {
  Bindings: Env;
  Variables: { actor: Actor; db: Database };
}

/** A router whose request validation fails with the API's error format, naming each bad field. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const what = result.target === "json" ? "request body" : result.target === "query" ? "query string" : "path";
        throw validationError(zodIssues(result.error), what);
      }
    },
  });
}

/** The request's caller for the service functions: its bindings, its database handle and who is acting. */
export function callerOf(c: Context<AppEnv>): Caller {
  return { env: c.env, db: c.var.db, actor: c.var.actor };
}
