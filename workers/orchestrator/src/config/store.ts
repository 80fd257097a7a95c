/**
 * The configuration in D1 (one row per field in the `config` table), cached per isolate for a few
 * seconds so that hot paths (admission, starts) do not read D1 each time. Saving clears the cache of
 * this isolate; others see the change within CACHE_MS.
 */
import { eq, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type BatonConfig, type ConfigPatch, configSchema, defaultConfig } from "#shared/config.ts";
import { type Actor, actorLabel } from "../audit/actor.ts";
import { auditEntry } from "../audit/record.ts";
import type { Database } from "../db/client.ts";
import { auditLog, config } from "../db/schema.ts";

const CACHE_MS = 5_000;
const KEYS = Object.keys(defaultConfig) as (keyof BatonConfig)[];

let cached: { value: BatonConfig; at: number } | undefined;

export async function loadConfig(db: Database, now = Date.now()): Promise<BatonConfig> {
  if (cached && now - cached.at < CACHE_MS) return cached.value;
  const rows = await db.select().from(config).where(inArray(config.key, KEYS));
  const stored = Object.fromEntries(rows.map((row) => [row.key, row.value]));
  // A stored value that no longer fits the schema (after an upgrade, say) falls back to its default.
  const parsed = configSchema.safeParse(stored);
  const value = parsed.success ? parsed.data : { ...defaultConfig, ...pickValid(stored) };
  cached = { value, at: now };
  return value;
}

function pickValid(stored: Record<string, unknown>): Partial<BatonConfig> {
  const valid: Record<string, unknown> = {};
  for (const key of KEYS) {
    const field = configSchema.shape[key].safeParse(stored[key]);
    if (stored[key] !== undefined && field.success) valid[key] = field.data;
  }
  return valid as Partial<BatonConfig>;
}

/** Applies `patch` (already validated) and returns the whole configuration after it. */
export async function saveConfig(db: Database, patch: ConfigPatch, actor: Actor): Promise<BatonConfig> {
  const now = Date.now();
  // `limits` is one row: a patch of some of its fields keeps the others.
  if (patch.limits) cached = undefined;
  const merged = patch.limits ? { ...patch, limits: { ...(await loadConfig(db, now)).limits, ...patch.limits } } : patch;
  const entries = Object.entries(merged).filter(([, value]) => value !== undefined);
  if (entries.length > 0) {
    const updatedBy = actorLabel(actor);
    const statements: BatchItem<"sqlite">[] = entries.map(([key, value]) =>
      // null is each nullable field's default: no row at all says the same.
      value === null
        ? db.delete(config).where(eq(config.key, key))
        : db.insert(config).values({ key, value, updatedAt: now, updatedBy }).onConflictDoUpdate({ target: config.key, set: { value, updatedAt: now, updatedBy } }),
    );
    const audit = db.insert(auditLog).values(auditEntry(actor, "config.update", null, Object.fromEntries(entries)));
    await db.batch([audit, ...statements]);
  }
  cached = undefined;
  return loadConfig(db, now);
}

/** Forgets the cached configuration (tests, and right after a save). */
export function forgetConfig(): void {
  cached = undefined;
}
