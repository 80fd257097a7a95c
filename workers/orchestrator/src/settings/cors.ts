/** The browser origins allowed to call the public API (setting `cors`); none until an admin allows some. */
import { type CorsSettings, corsSettingsSchema } from "#shared/api/cors.ts";
import type { Actor } from "../audit/actor.ts";
import type { Database } from "../db/client.ts";
import { readSetting, writeSetting } from "./store.ts";

export const CORS_KEY = "cors";

export function loadCors(db: Database): Promise<CorsSettings> {
  return readSetting(db, CORS_KEY, corsSettingsSchema, { allowedOrigins: [] });
}

export async function saveCors(db: Database, settings: CorsSettings, actor: Actor): Promise<CorsSettings> {
  const value = corsSettingsSchema.parse(settings);
  await writeSetting(db, CORS_KEY, value, actor, value);
  return value;
}

export function originAllowed(settings: CorsSettings, origin: string): boolean {
  return settings.allowedOrigins.some((allowed) => allowed === "*" || allowed === origin);
}
