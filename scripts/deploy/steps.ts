/**
 * The deploy itself, step by step, against the account wrangler is signed in to (CLOUDFLARE_API_TOKEN and
 * CLOUDFLARE_ACCOUNT_ID, or `wrangler login`). Every step first looks at what is there and only adds
 * what is missing, so running it again is safe: the database is reused, applied migrations are skipped,
 * set secrets are kept, and each deploy uploads a new version of the same Worker.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import type { WorkerConfig } from "../worker-configs.ts";
import {
  type DeployStep,
  findDatabaseId,
  generateSecret,
  planDatabase,
  planSecrets,
  readDatabase,
  type SecretName,
  secretNames,
  secretProblem,
  urlIn,
  withDatabaseId,
} from "./plan.ts";
import type { Wrangler } from "./wrangler-runner.ts";

export interface DeployIo {
  wrangler: Wrangler;
  /** The orchestrator's wrangler.toml, where the database id is written. */
  configPath: string;
  say(line: string): void;
  /** Asks on the terminal; undefined when there is none. `hidden` does not echo (passwords). */
  ask: ((question: string, hidden: boolean) => Promise<string>) | undefined;
  env: Partial<Record<string, string>>;
  generateSecrets: boolean;
  /** Builds the console (vite) into pages/dist. */
  buildConsole(): Promise<void>;
}

export interface DeployResult {
  apiUrl: string | undefined;
  consoleUrl: string | undefined;
  /** Secrets set by this run, to print once (the password and token only when generated). */
  secretsSet: Map<SecretName, { value: string; generated: boolean }>;
}

export class DeployError extends Error {
  override name = "DeployError";
}

async function must(io: DeployIo, what: string, args: string[], cwd?: string) {
  const result = await io.wrangler.run(args, cwd ? { cwd } : {});
  if (result.code !== 0) {
    throw new DeployError(`${what} failed (wrangler ${args.join(" ")}):\n${stripVTControlCharacters(result.output).trim()}`);
  }
  return result;
}

async function ensureDatabase(io: DeployIo): Promise<string> {
  const path = io.configPath;
  const toml = readFileSync(path, "utf8");
  const config = readDatabase(toml);
  const listed = await must(io, "listing D1 databases", ["d1", "list", "--json"]);
  let plan = planDatabase(config, findDatabaseId(JSON.parse(listed.stdout), config.name));
  if (plan.action === "create") {
    await must(io, `creating D1 database "${config.name}"`, ["d1", "create", config.name]);
    const again = await must(io, "listing D1 databases", ["d1", "list", "--json"]);
    const id = findDatabaseId(JSON.parse(again.stdout), config.name);
    if (!id) throw new DeployError(`created D1 database "${config.name}", but it is not in \`wrangler d1 list\``);
    io.say(`created D1 database "${config.name}" (${id})`);
    plan = planDatabase(config, id);
  } else io.say(`D1 database "${config.name}" exists (${plan.id}); reusing it`);
  if (plan.action === "reuse" && plan.writeConfig) {
    writeFileSync(path, withDatabaseId(toml, plan.id));
    io.say(`wrote database_id = "${plan.id}" into wrangler.toml (commit it)`);
  }
  return config.name;
}

async function existingSecrets(io: DeployIo, worker: WorkerConfig): Promise<string[]> {
  // Before the first deploy the Worker does not exist and the list fails: then no secret is set.
  const listed = await io.wrangler.run(["secret", "list", "--format", "json", "--config", worker.configPath]);
  if (listed.code !== 0) return [];
  try {
    return secretNames(JSON.parse(listed.stdout));
  } catch {
    return [];
  }
}

/** Asks until the answer will do; Enter alone generates the password or the token. */
async function askFor(io: DeployIo, name: SecretName): Promise<{ value: string; generated: boolean }> {
  const prompt = name === "ADMIN_EMAIL" ? "ADMIN_EMAIL (the console's first admin): " : `${name} (Enter generates a strong one): `;
  for (;;) {
    const answer = (await io.ask!(prompt, name !== "ADMIN_EMAIL")).trim();
    if (answer === "" && name !== "ADMIN_EMAIL") return { value: generateSecret(name), generated: true };
    const problem = secretProblem(name, answer);
    if (!problem) return { value: answer, generated: false };
    io.say(`${name} must be ${problem}`);
  }
}

async function collectSecrets(io: DeployIo, existing: string[]): Promise<DeployResult["secretsSet"]> {
  const plan = planSecrets(existing, io.env, { generate: io.generateSecrets, interactive: io.ask !== undefined });
  const values: DeployResult["secretsSet"] = new Map();
  for (const [name, source] of plan) {
    if (source === "environment") values.set(name, { value: io.env[name]!, generated: false });
    else if (source === "generate" && name !== "ADMIN_EMAIL") values.set(name, { value: generateSecret(name), generated: true });
    else values.set(name, await askFor(io, name));
  }
  return values;
}

async function deployWorker(io: DeployIo, worker: WorkerConfig, secrets: DeployResult["secretsSet"]): Promise<string> {
  const args = ["deploy", "--config", worker.configPath];
  const dir = secrets.size > 0 ? mkdtempSync(join(tmpdir(), "baton-deploy-")) : undefined;
  try {
    if (dir) {
      // Uploaded with the version, added to those already set (wrangler deploy --secrets-file).
      const file = join(dir, "secrets.json");
      writeFileSync(file, JSON.stringify(Object.fromEntries([...secrets].map(([name, { value }]) => [name, value]))), { mode: 0o600 });
      args.push("--secrets-file", file);
    }
    const result = await must(io, `deploying ${worker.label}`, args);
    io.say(`deployed ${worker.label}`);
    return result.output;
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

async function deployConsole(io: DeployIo, project: string): Promise<string> {
  await io.buildConsole();
  const created = await io.wrangler.run(["pages", "project", "create", project, "--production-branch", "main"], { cwd: "pages" });
  if (created.code !== 0 && !/already exists/i.test(created.output)) {
    throw new DeployError(`creating the Pages project "${project}" failed:\n${stripVTControlCharacters(created.output).trim()}`);
  }
  // From pages/, so that pages/wrangler.toml (the GATEWAY service binding) and functions/ go with it.
  const result = await must(io, "deploying the console", ["pages", "deploy", "dist", "--project-name", project, "--branch", "main", "--commit-dirty=true"], "pages");
  io.say(`deployed the console (Pages project "${project}")`);
  return result.output;
}

/**
 * Runs the steps in order; stops at the first failure (everything before it stays deployed). The missing
 * secrets are settled first, so that nothing is deployed when one cannot be had.
 */
export async function deploy(io: DeployIo, steps: DeployStep[]): Promise<DeployResult> {
  await must(io, "checking the Cloudflare account (wrangler whoami)", ["whoami"]);
  const orchestrator = steps.find((step) => step.kind === "worker" && step.withSecrets);
  const secrets = orchestrator?.kind === "worker" ? await collectSecrets(io, await existingSecrets(io, orchestrator.worker)) : new Map();
  const result: DeployResult = { apiUrl: undefined, consoleUrl: undefined, secretsSet: secrets };
  for (const step of steps) {
    switch (step.kind) {
      case "database":
        await ensureDatabase(io);
        break;
      case "migrations":
        await must(io, "applying D1 migrations", ["d1", "migrations", "apply", step.database, "--remote"]);
        io.say("D1 migrations applied (those already applied are skipped)");
        break;
      case "worker": {
        const output = await deployWorker(io, step.worker, step.withSecrets ? secrets : new Map());
        if (step.withSecrets) result.apiUrl = urlIn(output, "workers.dev");
        break;
      }
      case "console":
        result.consoleUrl = urlIn(await deployConsole(io, step.project), "pages.dev");
        break;
    }
  }
  return result;
}
