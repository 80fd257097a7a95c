/**
 * Settings that are not part of `/v1/config` yet (webhook endpoints, CORS origins): one JSON value per
 * key in the D1 `config` table, validated on the way in and on the way out, cached per isolate for a few
 * seconds (saving clears this isolate's copy; others see a change within CACHE_MS).
 */
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { type Actor, actorLabel } from "../audit/actor.ts";
import { auditEntry } from "../audit/record.ts";
import type { Database } from "../db/client.ts";
import { auditLog, config } from "../db/schema.ts";

export const CACHE_MS = 5_000;

const cache = new Map<string, { value: unknown; at: number }>();

/** The stored value of `key`, or `fallback` when there is none or it no longer fits the schema. */
export async function readSetting<S extends z.ZodType>(db: Database, key: string, schema: S, fallback: z.output<S>, now = Date.now()): Promise<z.output<S>> {
  const hit = cache.get(key);
  if (hit && now - hit.at < CACHE_MS) return hit.value as z.output<S>;
  const row = await db.query.config.findFirst({ where: eq(config.key, key) });
  const parsed = row ? schema.safeParse(row.value) : undefined;
  if (parsed && !parsed.success) console.error(`setting "${key}" no longer fits its schema; using the default`, parsed.error.issues);
  const value = parsed?.success ? parsed.data : fallback;
  cache.set(key, { value, at: now });
  return value;
}

/** Stores `value` (already validated) under `key`, with an audit row whose details are `audited`. */
export async function writeSetting(db: Database, key: string, value: unknown, actor: Actor, audited: Record<string, unknown>): Promise<void> {
  const now = Date.now();
  const updatedBy = actorLabel(actor);
  await db.batch([
    db.insert(config).values({ key, value, updatedAt: now, updatedBy }).onConflictDoUpdate({ target: config.key, set: { value, updatedAt: now, updatedBy } }),
    db.insert(auditLog).values(auditEntry(actor, `${key}.update`, key, audited)),
  ]);
  cache.delete(key);
}
