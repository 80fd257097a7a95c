/**
 * `.dev.vars`: the local secrets wrangler dev hands to the orchestrator. Missing ones are generated
 * and appended; existing lines are never rewritten, so a user's own edits and extra secrets survive.
 */
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./worker-configs.ts";

const devVarsPath = join(repoRoot, ".dev.vars");

export type LocalSecrets = { ADMIN_EMAIL: string; ADMIN_PASSWORD: string; API_TOKEN: string };

const defaults: { [K in keyof LocalSecrets]: () => string } = {
  ADMIN_EMAIL: () => "admin@example.com",
  ADMIN_PASSWORD: () => randomBytes(18).toString("base64url"),
  API_TOKEN: () => `bt_${randomBytes(32).toString("base64url")}`,
};

/** Reads KEY=VALUE lines the way dotenv does for the simple cases: comments, `export`, quotes. */
export function parseDevVars(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = line.match(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/);
    if (!match?.[1]) continue;
    let value = match[2] ?? "";
    const quoted = value.match(/^(["'`])(.*)\1$/);
    if (quoted) value = quoted[2] ?? "";
    else value = value.replace(/\s+#.*$/, "");
    vars.set(match[1], value);
  }
  return vars;
}

/** Returns the secrets, writing any that are missing; `created` names the ones written just now. */
export function ensureDevVars(): { secrets: LocalSecrets; created: string[] } {
  const existing = existsSync(devVarsPath) ? readFileSync(devVarsPath, "utf8") : "";
  const vars = parseDevVars(existing);
  const created: (keyof LocalSecrets)[] = [];
  const valueOf = (key: keyof LocalSecrets): string => {
    const value = vars.get(key);
    if (value) return value;
    created.push(key);
    return defaults[key]();
  };
  const secrets: LocalSecrets = {
    ADMIN_EMAIL: valueOf("ADMIN_EMAIL"),
    ADMIN_PASSWORD: valueOf("ADMIN_PASSWORD"),
    API_TOKEN: valueOf("API_TOKEN"),
  };
  const lines = created.map((key) => `${key}=${secrets[key]}\n`).join("");
  if (!existing) {
    const header = "# Local secrets for `wrangler dev`, written by `npm start`. Git-ignored: never commit this file.\n";
    writeFileSync(devVarsPath, header + lines, { mode: 0o600 });
  } else if (lines) {
    appendFileSync(devVarsPath, (existing.endsWith("\n") ? "" : "\n") + lines);
  }
  return { secrets, created };
}

const llmDevVarsPath = join(repoRoot, "workers/agents/llm/.dev.vars");

/**
 * Turns on the llm agent's stand-in (LLM_STAND_IN=1) in its own `.dev.vars`, unless the file says
 * otherwise already, so the gallery runs offline. A configured endpoint still wins over the stand-in.
 * Answers which of the two the llm agent will use, for the start-up message.
 */
export function ensureLlmStandIn(): { llm: "stand-in" | "endpoint" | "off"; written: boolean } {
  const existing = existsSync(llmDevVarsPath) ? readFileSync(llmDevVarsPath, "utf8") : "";
  const vars = parseDevVars(existing);
  let written = false;
  if (!vars.has("LLM_STAND_IN")) {
    const line =
      "# The llm agent answers with its deterministic stand-in, marked [stand-in], while no endpoint is set.\n" +
      "# Set LLM_BASE_URL, LLM_API_KEY and LLM_MODEL here for a real model; LLM_STAND_IN=0 to refuse instead.\n" +
      "LLM_STAND_IN=1\n";
    if (!existing) writeFileSync(llmDevVarsPath, line, { mode: 0o600 });
    else appendFileSync(llmDevVarsPath, (existing.endsWith("\n") ? "" : "\n") + line);
    vars.set("LLM_STAND_IN", "1");
    written = true;
  }
  if (vars.get("LLM_BASE_URL") && vars.get("LLM_API_KEY") && vars.get("LLM_MODEL")) return { llm: "endpoint", written };
  return { llm: ["1", "true", "yes"].includes((vars.get("LLM_STAND_IN") ?? "").toLowerCase()) ? "stand-in" : "off", written };
}
