/**
 * Applies the D1 migrations in `migrations/` to the local state before any Worker starts using it.
 *
 * Wrangler takes a few seconds to find there is nothing to do, so the run leaves a fingerprint of the
 * migration files in the state directory and the next start skips wrangler while it still matches.
 * Deleting the state directory (the way to reset local data) deletes the fingerprint with it.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "./run-command.ts";
import { repoRoot } from "./worker-configs.ts";
import { wranglerBin, wranglerEnv } from "./wrangler-env.ts";

const migrationsDir = join(repoRoot, "migrations");

function fingerprint(): string {
  const hash = createHash("sha256");
  for (const name of readdirSync(migrationsDir).filter((file) => file.endsWith(".sql")).sort()) {
    hash.update(`${name}\0`).update(readFileSync(join(migrationsDir, name))).update("\0");
  }
  return hash.digest("hex");
}

/** The names of the migrations applied just now; none when the state was up to date. */
export async function migrateLocalD1(stateDir: string): Promise<string[]> {
  const stampPath = join(stateDir, "baton-migrations.sha256");
  const expected = fingerprint();
  const d1Exists = existsSync(join(stateDir, "v3/d1"));
  if (d1Exists && existsSync(stampPath) && readFileSync(stampPath, "utf8") === expected) return [];

  const { code, output } = await runCommand(
    wranglerBin,
    ["d1", "migrations", "apply", "baton", "--local", "--persist-to", stateDir, "--config", "wrangler.toml"],
    // CI=true is how wrangler skips its "apply these migrations?" prompt; it has no --yes flag.
    { cwd: repoRoot, env: wranglerEnv({ CI: "true" }) },
  );
  if (code !== 0) throw new Error(`wrangler d1 migrations apply failed (exit ${code}):\n${output.trim()}`);
  writeFileSync(stampPath, expected);
  // Wrangler reprints its progress table after each migration: a name is listed once per table.
  return [...new Set([...output.matchAll(/│\s*(\d{4}_[\w-]+\.sql)\s*│\s*✅/g)].map((match) => match[1] ?? ""))];
}
