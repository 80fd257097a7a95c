/**
 * Where the CLI finds Baton and its token: `--url`, else `BATON_URL`, else http://localhost:8787; the
 * token from `--token-file` / `BATON_TOKEN_FILE` (a file only its owner reads), `BATON_TOKEN`, else the
 * local stack's `.dev.vars` (`API_TOKEN`, written by `npm start`). `--token` still works, with a
 * warning: a token on the command line shows in `ps` to every user of the machine and in shell history.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseDevVars } from "../dev-vars.ts";
import { UsageError } from "./args.ts";
import { repoRoot } from "../worker-configs.ts";

export const DEFAULT_URL = "http://localhost:8787";

export interface Connection {
  url: string;
  token: string | undefined;
  /** Where the token came from, for error messages. */
  tokenSource: string;
  /** Said once on stderr before the command runs. */
  warning?: string;
}

export const TOKEN_FLAG_WARNING =
  "baton: warning: --token shows the token to anyone who can list processes, and keeps it in your shell history; use BATON_TOKEN or --token-file instead.";

function tokenFromFile(path: string, cwd: string): string {
  const full = resolve(cwd, path);
  if (!existsSync(full)) throw new UsageError(`the token file ${path} does not exist.`);
  const text = readFileSync(full, "utf8").trim();
  if (!text || /\s/.test(text)) throw new UsageError(`the token file ${path} must hold one token and nothing else.`);
  return text;
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

export function resolveConnection(flags: { url?: string; token?: string; tokenFile?: string }, env: NodeJS.ProcessEnv, cwd: string): Connection {
  const url = flags.url ?? env.BATON_URL ?? DEFAULT_URL;
  if (flags.token) return { url, token: flags.token, tokenSource: "--token", warning: TOKEN_FLAG_WARNING };
  if (flags.tokenFile) return { url, token: tokenFromFile(flags.tokenFile, cwd), tokenSource: `--token-file ${flags.tokenFile}` };
  if (env.BATON_TOKEN_FILE) return { url, token: tokenFromFile(env.BATON_TOKEN_FILE, cwd), tokenSource: `BATON_TOKEN_FILE (${env.BATON_TOKEN_FILE})` };
  if (env.BATON_TOKEN) return { url, token: env.BATON_TOKEN, tokenSource: "BATON_TOKEN" };
  const local = devVarsToken(cwd);
  if (local) return { url, token: local.token, tokenSource: `API_TOKEN in ${local.path}` };
  return { url, token: undefined, tokenSource: "nowhere (set BATON_TOKEN, or run npm start to write .dev.vars)" };
}
