/**
 * How the scripts call wrangler: the pinned binary from node_modules, with an environment that keeps it
 * from phoning home (this machine may be offline) and from asking questions nobody is there to answer.
 */
import { join } from "node:path";
import { repoRoot } from "./worker-configs.ts";

export const wranglerBin = join(repoRoot, "node_modules/.bin/wrangler");

export function wranglerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
    WRANGLER_NO_SKILLS_UPDATE_PROMPTS: "true",
    // The banner's version line also triggers an npm update check.
    WRANGLER_HIDE_BANNER: "true",
    // Node keeps wrangler's compiled 10 MB CLI here, a quarter second less of CPU for every command.
    NODE_COMPILE_CACHE: join(repoRoot, "node_modules/.cache/node-compile-cache"),
    ...extra,
  };
}
