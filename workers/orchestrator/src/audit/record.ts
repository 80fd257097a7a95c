/** Appends to the audit log: every change made through the API, the console or RPC leaves one row. */
import type { Database } from "../db/client.ts";
import { auditLog } from "../db/schema.ts";
import { type Actor, actorLabel } from "./actor.ts";

export type AuditRow = typeof auditLog.$inferInsert;

export function auditEntry(actor: Actor, action: string, target: string | null, details?: Record<string, unknown>): AuditRow {
  return { at: Date.now(), actor: actorLabel(actor), action, target, details: details ?? null };
}

export async function recordAudit(
  db: Database,
  actor: Actor,
  action: string,
  target: string | null,
  details?: Record<string, unknown>,
): Promise<void> {
  await db.insert(auditLog).values(auditEntry(actor, action, target, details)).run();
}
