/** What the console's Pages Functions are bound to, and what the middleware hands on to the routes. */
import type { ConsoleGatewayRpc, ConsoleSession } from "../../shared/console.ts";

export interface ConsoleEnv {
  /** The orchestrator's ConsoleGateway entrypoint (pages/wrangler.toml). */
  GATEWAY: ConsoleGatewayRpc;
  ASSETS: Fetcher;
}

export interface ConsoleData extends Record<string, unknown> {
  /** Set by the middleware for every request that needs a session: always an admin's. */
  session?: ConsoleSession;
}

export type ConsoleFunction<Params extends string = string> = PagesFunction<ConsoleEnv, Params, ConsoleData>;
