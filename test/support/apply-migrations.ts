/**
 * Applies the D1 migrations before each test file. Storage is isolated per test file, so every file
 * starts from the migrated, empty schema; applying twice is a no-op.
 */
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
