/**
 * Who calls a service function, and with what: the bindings, a drizzle handle and the acting identity.
 * The HTTP routes build one from the request (a token's actor), the RPC entrypoint from its binding's
 * props (a service actor), so both go through the same functions and leave the same audit trail.
 */
import type { Actor } from "../audit/actor.ts";
import type { Database } from "../db/client.ts";

export interface Caller {
  env: Env;
  db: Database;
  actor: Actor;
}
