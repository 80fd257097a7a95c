/**
 * The one store of the D1 `config` table: one row per key, each key with its schema and default. The
 * keys are the runtime limits of `/v1/config` (shared/config.ts), the allowed CORS origins and the
 * webhook endpoints (secrets included, so this never leaves the Worker as is). Every key is validated
 * on the way in (by the caller's schema) and on the way out (a stored value that no longer fits falls
 * back to its default). All keys are cached together per isolate for a few seconds so that hot paths
 * (admission, starts, CORS, every execution's end) do not read D1 each time; saving clears this
 * isolate's copy, others see a change within CACHE_MS.
 *
 * The store writes what it is given: which changes are audited is the services' decision
 * (services/settings.ts), and their audit row commits in the same batch as the change.
 */
import { inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { z } from "zod";
import { corsSettingsSchema } from "#shared/api/cors.ts";
import { webhookEndpointSchema } from "#shared/api/webhooks.ts";
import { type BatonConfig, configSchema, defaultConfig } from "#shared/config.ts";
import { type Actor, actorLabel } from "../audit/actor.ts";
import type { AuditRow } from "../audit/record.ts";
import type { Database } from "../db/client.ts";
import { auditLog, config } from "../db/schema.ts";

export const CACHE_MS = 5_000;

/** Every key of the table, with the schema its stored value must fit. */
const settingsSchema = configSchema.extend({
  cors: corsSettingsSchema.default({ allowedOrigins: [] }),
  webhooks: z.object({ endpoints: z.array(webhookEndpointSchema) }).default({ endpoints: [] }),
});
export type Settings = z.infer<typeof settingsSchema>;
/** The groups a patch may name some fields of (the others keep their values). */
type Group = "limits" | "mcp" | "triggers";
/** Keys to write; a group may name some of its fields only. */
export type SettingsPatch = { [K in Exclude<keyof Settings, Group>]?: Settings[K] | null } & { [K in Group]?: Partial<Settings[K]> };

const KEYS = Object.keys(settingsSchema.shape) as (keyof Settings)[];
const CONFIG_KEYS = Object.keys(defaultConfig) as (keyof BatonConfig)[];

let cached: { value: Settings; at: number } | undefined;

/** Every key's value (its default when absent or no longer valid). */
export async function loadSettings(db: Database, now = Date.now()): Promise<Settings> {
  if (cached && now - cached.at < CACHE_MS) return cached.value;
  const rows = await db.select().from(config).where(inArray(config.key, KEYS));
  const stored = Object.fromEntries(rows.map((row) => [row.key, row.value]));
  const value = Object.fromEntries(KEYS.map((key) => [key, fieldValue(key, stored[key])])) as Settings;
  cached = { value, at: now };
  return value;
}

function fieldValue<K extends keyof Settings>(key: K, stored: unknown): Settings[K] {
  const field = settingsSchema.shape[key];
  const parsed = field.safeParse(stored);
  if (parsed.success) return parsed.data as Settings[K];
  // After an upgrade, say: the default serves until an admin saves a new value.
  console.error(`config key "${key}" no longer fits its schema; using the default`, parsed.error.issues);
  return field.parse(undefined) as Settings[K];
}

/** The runtime limits of `/v1/config` (the other keys have their own readers). */
export async function loadConfig(db: Database, now = Date.now()): Promise<BatonConfig> {
  const settings = await loadSettings(db, now);
  return Object.fromEntries(CONFIG_KEYS.map((key) => [key, settings[key]])) as BatonConfig;
}

/**
 * Writes each key of `patch` (already validated; null deletes the row: null is each nullable key's
 * default), with the service's audit row in the same batch, and returns every key after the change.
 */
export async function saveSettings(db: Database, patch: SettingsPatch, actor: Actor, audit: AuditRow | null): Promise<Settings> {
  const now = Date.now();
  cached = undefined;
  const current = await loadSettings(db, now);
  const entries = Object.entries(patch)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]): [string, unknown] => [key, mergeGroup(current[key as keyof Settings], value)]);
  if (entries.length > 0) {
    const updatedBy = actorLabel(actor);
    const statements: BatchItem<"sqlite">[] = entries.map(([key, value]) =>
      value === null
        ? db.delete(config).where(inArray(config.key, [key]))
        : db.insert(config).values({ key, value, updatedAt: now, updatedBy }).onConflictDoUpdate({ target: config.key, set: { value, updatedAt: now, updatedBy } }),
    );
    if (audit) statements.unshift(db.insert(auditLog).values(audit));
    await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  }
  cached = undefined;
  return loadSettings(db, now);
}

/** A nested group (`limits`, `mcp`, `triggers`) changes only the fields the patch names. */
function mergeGroup(current: unknown, value: unknown): unknown {
  const isGroup = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  return isGroup(current) && isGroup(value) ? { ...current, ...value } : value;
}

/** Forgets the cached values: before a read that must see D1 as it is now (a change made elsewhere). */
export function forgetConfig(): void {
  cached = undefined;
}
