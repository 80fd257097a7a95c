/**
 * Builds every agent under `workers/agents/` into one ES module each, so the test runtime can run them as
 * real auxiliary Workers behind the orchestrator's service bindings. The vitest plugin bundles only the
 * Worker under test; auxiliary Workers must arrive as built JavaScript.
 *
 * Runs in Node (from vitest.config.ts), not in workerd.
 */
import { buildSync } from "esbuild";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const agentsDir = join(root, "workers/agents");
const outDir = join(root, ".test-build/agents");

/** The Worker name of the agent in `workers/agents/<dir>`; each agent's wrangler.toml uses the same. */
export function agentWorkerName(dir: string): string {
  return `baton-agent-${dir}`;
}

export type AuxiliaryWorker = {
  name: string;
  modules: true;
  scriptPath: string;
  compatibilityDate: string;
};

export function buildAgentWorkers(compatibilityDate: string): AuxiliaryWorker[] {
  const dirs = readdirSync(agentsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(agentsDir, entry.name, "src/index.ts")))
    .map((entry) => entry.name)
    .sort();
  return dirs.map((dir) => {
    const scriptPath = join(outDir, `${dir}.mjs`);
    buildSync({
      entryPoints: [join(agentsDir, dir, "src/index.ts")],
      outfile: scriptPath,
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2024",
      external: ["cloudflare:*", "node:*"],
      logLevel: "warning",
    });
    return { name: agentWorkerName(dir), modules: true, scriptPath, compatibilityDate };
  });
}
