/** The simplest gateway: every agent is a service binding, always callable, schemas unchecked. */
import type { AgentGateway } from "./gateway.ts";
import { agentBinding } from "./bindings.ts";
import { callAgent } from "../execution/agent-call.ts";

export function bindingGateway(env: object): AgentGateway {
  return {
    prepare(agent) {
      const binding = agentBinding(env, agent);
      if (!binding) {
        return { kind: "fail", error: { code: "unknown_agent", message: `No agent "${agent}" is bound to the orchestrator.` } };
      }
      return { kind: "call", call: (task, timeoutMs) => callAgent(binding, task, timeoutMs) };
    },
    settle: (_agent, outcome) => outcome,
  };
}
