/**
 * Who is acting: an API token, a signed-in admin or viewer (through the console gateway), another Worker
 * (through the RPC entrypoint, named by its binding's props) or Baton itself (crons, timeouts).
 */
export type ActorKind = "token" | "admin" | "viewer" | "service" | "system";

export interface Actor {
  kind: ActorKind;
  name: string;
}

export const SYSTEM: Actor = { kind: "system", name: "baton" };

/** The form stored in the audit log and in `created_by` columns: `token:default`, `admin:ada@example.com`. */
export function actorLabel(actor: Actor): string {
  return `${actor.kind}:${actor.name}`;
}
