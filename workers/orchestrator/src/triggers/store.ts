/** Triggers in D1: one row each, the definition as saved plus the signing secret (signature auth only). */
import { asc, eq } from "drizzle-orm";
import type { Trigger, TriggerDefinition } from "#shared/api/triggers.ts";
import { type Actor, actorLabel } from "../audit/actor.ts";
import { auditEntry } from "../audit/record.ts";
import { randomSecret } from "../auth/crypto.ts";
import type { Database } from "../db/client.ts";
import { auditLog, triggers } from "../db/schema.ts";

export type StoredTrigger = typeof triggers.$inferSelect;

export function eventsPath(name: string): string {
  return `/v1/triggers/${name}/events`;
}

export function viewOf(row: StoredTrigger): Trigger {
  const d = row.definition;
  return {
    name: row.name,
    template: d.template,
    description: d.description ?? null,
    params: d.params,
    auth: d.auth,
    debounce: d.debounce ?? null,
    batch: d.batch ? { key: d.batch.key ?? null, maxSize: d.batch.maxSize, maxWaitMs: d.batch.maxWaitMs } : null,
    idempotencyKey: d.idempotencyKey ?? null,
    eventsPath: eventsPath(row.name),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

export async function getTrigger(db: Database, name: string): Promise<StoredTrigger | undefined> {
  return db.query.triggers.findFirst({ where: eq(triggers.name, name) });
}

export async function listTriggers(db: Database, template?: string): Promise<StoredTrigger[]> {
  return db
    .select()
    .from(triggers)
    .where(template === undefined ? undefined : eq(triggers.templateId, template))
    .orderBy(asc(triggers.name));
}

/**
 * Creates or replaces a trigger. A trigger with signature auth keeps the secret it has; one that has none
 * yet gets a new one, returned here and never again. Leaving signature auth forgets the secret.
 */
export async function putTrigger(
  db: Database,
  name: string,
  definition: TriggerDefinition,
  actor: Actor,
): Promise<{ row: StoredTrigger; created: boolean; secret?: string }> {
  const now = Date.now();
  const existing = await getTrigger(db, name);
  const newSecret = definition.auth === "signature" && !existing?.secret ? randomSecret("bts") : undefined;
  const secret = definition.auth === "signature" ? (newSecret ?? existing?.secret ?? null) : null;
  const row: StoredTrigger = {
    name,
    templateId: definition.template,
    definition,
    secret,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    updatedBy: actorLabel(actor),
  };
  const { name: _, createdAt: __, ...changes } = row;
  await db.batch([
    db.insert(triggers).values(row).onConflictDoUpdate({ target: triggers.name, set: changes }),
    db.insert(auditLog).values(auditEntry(actor, existing ? "trigger.update" : "trigger.create", name, { template: definition.template, auth: definition.auth })),
  ]);
  return { row, created: existing === undefined, ...(newSecret ? { secret: newSecret } : {}) };
}

/** False when there is no such trigger. Events it has buffered still start (they were accepted). */
export async function deleteTrigger(db: Database, name: string, actor: Actor): Promise<boolean> {
  const existing = await getTrigger(db, name);
  if (!existing) return false;
  await db.batch([
    db.delete(triggers).where(eq(triggers.name, name)),
    db.insert(auditLog).values(auditEntry(actor, "trigger.delete", name)),
  ]);
  return true;
}
