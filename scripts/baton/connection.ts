/**
 * Where the CLI finds Baton and its token: `--url` / `--token`, else `BATON_URL` / `BATON_TOKEN`, else the
 * local stack's `.dev.vars` (`API_TOKEN`, written by `npm start`) and http://localhost:8787.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDevVars } from "../dev-vars.ts";
import { repoRoot } from "../worker-configs.ts";

export const DEFAULT_URL = "http://localhost:8787";

export interface Connection {
  url: string;
  token: string | undefined;
  /** Where the token came from, for error messages. */
  tokenSource: string;
}

/** The first `.dev.vars` found: in the working directory, then at the repository's root. */
function devVarsToken(cwd: string): { token: string; path: string } | undefined {
  for (const path of [join(cwd, ".dev.vars"), join(repoRoot, ".dev.vars")]) {
    if (!existsSync(path)) continue;
    const token = parseDevVars(readFileSync(path, "utf8")).get("API_TOKEN");
    if (token) return { token, path };
  }
  return undefined;
}

export function resolveConnection(flags: { url?: string; token?: string }, env: NodeJS.ProcessEnv, cwd: string): Connection {
  const url = flags.url ?? env.BATON_URL ?? DEFAULT_URL;
  if (flags.token) return { url, token: flags.token, tokenSource: "--token" };
  if (env.BATON_TOKEN) return { url, token: env.BATON_TOKEN, tokenSource: "BATON_TOKEN" };
  const local = devVarsToken(cwd);
  if (local) return { url, token: local.token, tokenSource: `API_TOKEN in ${local.path}` };
  return { url, token: undefined, tokenSource: "nowhere (set BATON_TOKEN, or run npm start to write .dev.vars)" };
}
