/**
 * Builds every agent under `workers/agents/` into one ES module each, so the test runtime can run them as
 * real auxiliary Workers behind the orchestrator's service bindings. The vitest plugin bundles only the
 * Worker under test; auxiliary Workers must arrive as built JavaScript.
 *
 * Runs in Node (from vitest.config.ts), not in workerd.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { bundleWorker, repoRoot } from "./bundle-worker.ts";

const agentsDir = join(repoRoot, "workers/agents");

/** The Worker name of the agent in `workers/agents/<dir>`; each agent's wrangler.toml uses the same. */
export function agentWorkerName(dir: string): string {
  return `baton-agent-${dir}`;
}

export type AuxiliaryWorker = {
  name: string;
  modules: true;
  scriptPath: string;
  compatibilityDate: string;
  bindings?: Record<string, string>;
};

/**
 * The llm agent runs on its stand-in here, as under `npm start` without an endpoint, so the gallery
 * pipelines run end to end; `LLM_UNCONFIGURED` is a second copy without it, for the tests of what an
 * unconfigured llm agent says (bound under a name discovery does not read as an agent).
 */
const agentBindings: Record<string, Record<string, string>> = { llm: { LLM_STAND_IN: "1" } };
export const UNCONFIGURED_LLM_WORKER = "baton-agent-llm-unconfigured";

export function buildAgentWorkers(compatibilityDate: string): AuxiliaryWorker[] {
  const dirs = readdirSync(agentsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(agentsDir, entry.name, "src/index.ts")))
    .map((entry) => entry.name)
    .sort();
  const workers: AuxiliaryWorker[] = dirs.map((dir) => ({
    name: agentWorkerName(dir),
    modules: true,
    scriptPath: bundleWorker(`workers/agents/${dir}/src/index.ts`, `agents/${dir}`),
    compatibilityDate,
    ...(agentBindings[dir] ? { bindings: agentBindings[dir] } : {}),
  }));
  const llm = workers.find((worker) => worker.name === agentWorkerName("llm"));
  if (llm) workers.push({ name: UNCONFIGURED_LLM_WORKER, modules: true, scriptPath: llm.scriptPath, compatibilityDate });
  return workers;
}

/** The Worker that serves the test HTTP agents (see http-agents/worker.ts); the orchestrator's outbound fetches go to it. */
export const HTTP_AGENTS_WORKER = "baton-test-http-agents";

export function buildHttpAgentsWorker(compatibilityDate: string): AuxiliaryWorker & { serviceBindings: Record<string, string> } {
  const scriptPath = bundleWorker("test/support/http-agents/worker.ts", "agents/http-agents");
  return { name: HTTP_AGENTS_WORKER, modules: true, scriptPath, compatibilityDate, serviceBindings: { ECHO: agentWorkerName("echo") } };
}
