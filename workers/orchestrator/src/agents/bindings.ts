/**
 * The agents the orchestrator is bound to. Every service binding named `AGENT_<NAME>` is an agent whose
 * name is `<name>` in lowercase with `_` read as `-`: `AGENT_MARKET_SCOUT` is "market-scout". Adding an
 * agent to a deployment is one `[[services]]` block in wrangler.toml.
 */
import type { AgentService } from "#shared/agent.ts";

const AGENT_BINDING_PREFIX = "AGENT_";

export function agentNameFromBinding(binding: string): string {
  return binding.slice(AGENT_BINDING_PREFIX.length).toLowerCase().replace(/_/g, "-");
}

export function bindingNameForAgent(agent: string): string {
  return AGENT_BINDING_PREFIX + agent.toUpperCase().replace(/-/g, "_");
}

/** Agent name → binding name, for every agent binding in `env`. */
export function boundAgentNames(env: object): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(env)) {
    // Only bindings are objects; a plain `[vars]` string that happens to start with AGENT_ is no agent.
    if (key.startsWith(AGENT_BINDING_PREFIX) && key.length > AGENT_BINDING_PREFIX.length && typeof value === "object" && value !== null) {
      found.set(agentNameFromBinding(key), key);
    }
  }
  return found;
}

export function agentBinding(env: object, agent: string): AgentService | undefined {
  const binding = (env as Record<string, unknown>)[bindingNameForAgent(agent)];
  // A service binding to a WorkerEntrypoint exposes its methods as RPC; the contract types them.
  return binding ? (binding as unknown as AgentService) : undefined;
}
