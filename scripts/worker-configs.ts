/**
 * Where the Workers of this repository are configured: the orchestrator's wrangler.toml at the root,
 * then one per agent directory. `npm start` runs them all in one `wrangler dev`; `npm run check`
 * dry-runs the deploy of each.
 */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "..");

export type WorkerConfig = {
  /** How people call it in output: "orchestrator", or the agent's directory name. */
  label: string;
  /** The wrangler.toml path, relative to the repository root. */
  configPath: string;
};

/** The orchestrator first: with several `-c`, wrangler dev serves the first config on the public port. */
export function workerConfigs(): WorkerConfig[] {
  const agentsDir = join(repoRoot, "workers/agents");
  const agents = existsSync(agentsDir)
    ? readdirSync(agentsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(join(agentsDir, entry.name, "wrangler.toml")))
        .map((entry) => entry.name)
        .sort()
    : [];
  return [
    { label: "orchestrator", configPath: "wrangler.toml" },
    ...agents.map((name) => ({ label: name, configPath: `workers/agents/${name}/wrangler.toml` })),
  ];
}
