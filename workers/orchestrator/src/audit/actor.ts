/**
 * Who is acting: an API token, a signed-in admin or viewer (through the console gateway), another Worker
 * (through the RPC entrypoint, named by its binding's props), an AI assistant over MCP (named by its
 * token), an inbound trigger (named by the trigger) or Baton itself (crons, timeouts).
 */
import type { TokenScope } from "#shared/api/tokens.ts";

export type ActorKind = "token" | "admin" | "viewer" | "service" | "mcp" | "trigger" | "system";

export interface Actor {
  kind: ActorKind;
  name: string;
  /** A token's scope and expiry; absent for admins, services and Baton itself, which may do everything. */
  scope?: TokenScope;
  expiresAt?: number | null;
}

export const SYSTEM: Actor = { kind: "system", name: "baton" };

/** The form stored in the audit log and in `created_by` columns: `token:default`, `admin:ada@example.com`. */
export function actorLabel(actor: Actor): string {
  return `${actor.kind}:${actor.name}`;
}
