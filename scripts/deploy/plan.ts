/**
 * What `npm run deploy` does, decided from what it finds, without touching anything: which D1 database
 * to use and the wrangler.toml that names it, which secrets are missing and where each comes from, the
 * order of the deploys (every agent, then the orchestrator that binds them, then the console that binds
 * the orchestrator), and the URLs to print from wrangler's answers. Pure, so it is unit-tested; the
 * steps that act on the account are in steps.ts.
 */
import { randomBytes } from "node:crypto";
import type { WorkerConfig } from "../worker-configs.ts";

/** The secrets the orchestrator needs: the console's first admin and the API's bearer token. */
export const REQUIRED_SECRETS = ["ADMIN_EMAIL", "ADMIN_PASSWORD", "API_TOKEN"] as const;
export type SecretName = (typeof REQUIRED_SECRETS)[number];

/** The id wrangler.toml ships with: "not created yet". */
export const PLACEHOLDER_DATABASE_ID = "00000000-0000-4000-8000-000000000000";

export interface DatabaseConfig {
  name: string;
  id: string;
}

const databaseBlock = /^\[\[d1_databases\]\][^[]*/m;

/** The `[[d1_databases]]` of the orchestrator's wrangler.toml (Baton has exactly one). */
export function readDatabase(toml: string): DatabaseConfig {
  const block = databaseBlock.exec(toml)?.[0];
  const name = block && /^database_name\s*=\s*"([^"]+)"/m.exec(block)?.[1];
  const id = block && /^database_id\s*=\s*"([^"]*)"/m.exec(block)?.[1];
  if (!name || id === undefined || id === null) {
    throw new Error('wrangler.toml has no [[d1_databases]] block with database_name and database_id; restore it from git.');
  }
  return { name, id };
}

/** wrangler.toml with `database_id` set to `id`, everything else (comments included) as it was. */
export function withDatabaseId(toml: string, id: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Error(`"${id}" is not a D1 database id (a UUID)`);
  return toml.replace(databaseBlock, (block) => block.replace(/^database_id\s*=\s*"[^"]*"/m, `database_id = "${id}"`));
}

/** The id of the database called `name` in `wrangler d1 list --json`'s answer, if there is one. */
export function findDatabaseId(list: unknown, name: string): string | undefined {
  if (!Array.isArray(list)) throw new Error("`wrangler d1 list --json` did not answer a list");
  const found = list.find((db): db is { uuid: string } => typeof db === "object" && db !== null && db.name === name && typeof db.uuid === "string");
  return found?.uuid;
}

export type DatabasePlan = { action: "reuse"; id: string; writeConfig: boolean } | { action: "create"; name: string };

/** Reuse the database the account has under that name (and name its id in wrangler.toml), or create it. */
export function planDatabase(config: DatabaseConfig, existingId: string | undefined): DatabasePlan {
  if (existingId) return { action: "reuse", id: existingId, writeConfig: existingId !== config.id };
  return { action: "create", name: config.name };
}

/** Secret names from `wrangler secret list`'s JSON (`[{ name, type }]`). */
export function secretNames(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry) => (typeof entry === "object" && entry !== null && typeof entry.name === "string" ? [entry.name] : []));
}

export type SecretSource = "environment" | "generate" | "ask";

/**
 * Where each missing secret comes from: the environment (ADMIN_EMAIL=… npm run deploy), generated
 * (`--generate-secrets`; never the email), or asked for on the terminal. Secrets already set are left
 * alone, so a second run changes nothing. Throws, naming what to set, when nothing can provide one.
 */
export function planSecrets(
  existing: readonly string[],
  env: Partial<Record<string, string>>,
  options: { generate: boolean; interactive: boolean },
): Map<SecretName, SecretSource> {
  const plan = new Map<SecretName, SecretSource>();
  const unprovided: SecretName[] = [];
  for (const name of REQUIRED_SECRETS) {
    if (existing.includes(name)) continue;
    if (env[name]) plan.set(name, "environment");
    else if (options.generate && name !== "ADMIN_EMAIL") plan.set(name, "generate");
    else if (options.interactive) plan.set(name, "ask");
    else unprovided.push(name);
  }
  if (unprovided.length > 0) {
    throw new Error(
      `the orchestrator has no ${unprovided.join(", ")} yet and there is no terminal to ask on: set ${unprovided.map((n) => `${n}=…`).join(" ")} in the environment` +
        (unprovided.some((n) => n !== "ADMIN_EMAIL") ? " (or pass --generate-secrets for the password and token)" : ""),
    );
  }
  return plan;
}

/** A strong secret: 24 random bytes for a password, 32 for an API token (in the `bt_` form npm start uses). */
export function generateSecret(name: Exclude<SecretName, "ADMIN_EMAIL">): string {
  return name === "API_TOKEN" ? `bt_${randomBytes(32).toString("base64url")}` : randomBytes(24).toString("base64url");
}

/** Checks a secret typed or given in the environment; returns the problem, or undefined when it is fine. */
export function secretProblem(name: SecretName, value: string): string | undefined {
  if (name === "ADMIN_EMAIL") return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? undefined : "an email address, like admin@example.com";
  if (value.length < 12) return "at least 12 characters (Enter generates a strong one)";
  return undefined;
}

export type DeployStep =
  | { kind: "database"; name: string }
  | { kind: "migrations"; database: string }
  | { kind: "worker"; worker: WorkerConfig; withSecrets: boolean }
  | { kind: "console"; project: string };

/** Agents first (the orchestrator's service bindings need them), then the orchestrator, then the console. */
export function deploySteps(workers: readonly WorkerConfig[], database: string, consoleProject: string): DeployStep[] {
  const orchestrator = workers.find((w) => w.label === "orchestrator");
  if (!orchestrator) throw new Error("no orchestrator among the Workers");
  const agents = workers.filter((w) => w !== orchestrator);
  return [
    { kind: "database", name: database },
    { kind: "migrations", database },
    ...agents.map((worker) => ({ kind: "worker" as const, worker, withSecrets: false })),
    { kind: "worker", worker: orchestrator, withSecrets: true },
    { kind: "console", project: consoleProject },
  ];
}

/** The console's Pages project name (`name` in pages/wrangler.toml). */
export function readProjectName(pagesToml: string): string {
  const name = /^name\s*=\s*"([^"]+)"/m.exec(pagesToml)?.[1];
  if (!name) throw new Error('pages/wrangler.toml has no name = "…"; restore it from git.');
  return name;
}

/** The first https URL on a line of wrangler's output that ends in `suffix` (workers.dev, pages.dev). */
export function urlIn(output: string, suffix: string): string | undefined {
  const pattern = new RegExp(`https://[\\w.-]+\\.${suffix.replace(/\./g, "\\.")}`);
  return pattern.exec(output)?.[0];
}
