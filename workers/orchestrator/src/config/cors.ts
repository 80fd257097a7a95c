/** The browser origins allowed to call the public API (config key `cors`); none until an admin allows some. */
import type { CorsSettings } from "#shared/api/cors.ts";
import type { Database } from "../db/client.ts";
import { loadSettings } from "./store.ts";

export async function loadCors(db: Database): Promise<CorsSettings> {
  return (await loadSettings(db)).cors;
}

export function originAllowed(settings: CorsSettings, origin: string): boolean {
  return settings.allowedOrigins.some((allowed) => allowed === "*" || allowed === origin);
}
