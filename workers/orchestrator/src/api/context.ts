/** The Hono environment of the public API: bindings, plus who is calling and a drizzle handle. */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Actor } from "../audit/actor.ts";
import type { Database } from "../db/client.ts";
import { validationError, zodIssues } from "./errors.ts";

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
