/**
 * Whether a step may call its agent now, decided from the registry snapshot alone: call it, refuse
 * (unknown, disabled or unbound agent; input that breaks the agent's input schema), wait for its open
 * circuit, or probe it because its cooldown is over. The gateway turns the verdict into what the engine
 * does; this is the rule, kept pure.
 */
import type { ErrorInfo } from "#shared/execution.ts";
import { bindingNameForAgent } from "./bindings.ts";
import { circuitGate } from "./circuit.ts";
import { describeIssues, validateJson } from "./json-schema.ts";
import type { RegisteredAgent } from "./registry-snapshot.ts";

export type Verdict =
  | { kind: "call" }
  /** `confirm`: the refusal rests on registry state that may be newer elsewhere; check a fresh snapshot first. */
  | { kind: "refuse"; error: ErrorInfo; confirm: boolean }
  | { kind: "wait"; reason: string; retryAt: number }
  | { kind: "probe"; reason: string };

/** `reachable`: a binding agent is bound, an HTTP agent has its URL. */
export function agentReadiness(name: string, agent: RegisteredAgent | undefined, reachable: boolean, input: unknown, now: number): Verdict {
  if (!agent || !reachable) {
    return {
      kind: "refuse",
      confirm: true,
      error: {
        code: "unknown_agent",
        message: `Agent "${name}" is not registered: register it with POST /v1/agents, or bind it as ${bindingNameForAgent(name)} in wrangler.toml.`,
      },
    };
  }
  if (!agent.enabled) {
    return {
      kind: "refuse",
      confirm: true,
      error: { code: "agent_disabled", message: `Agent "${name}" is disabled; enable it with POST /v1/agents/${name}/enable, then retry the execution.` },
    };
  }
  const gate = circuitGate(agent.circuitOpenUntil, now);
  const down = `agent "${name}" is down after ${agent.consecutiveFailures} failures in a row${agent.lastError ? ` (last: ${agent.lastError.slice(0, 300)})` : ""}`;
  if (gate.state === "open") return { kind: "wait", reason: `${down}; next check at ${new Date(gate.until).toISOString()}`, retryAt: gate.until };
  if (gate.state === "half-open") return { kind: "probe", reason: `${down}; checking whether it is back` };
  if (agent.inputSchema) {
    const issues = validateJson(agent.inputSchema, input, "input");
    if (issues.length > 0) {
      return {
        kind: "refuse",
        confirm: false,
        error: { code: "invalid_input", message: `The input does not match agent "${name}"'s input schema: ${describeIssues(issues)}.` },
      };
    }
  }
  return { kind: "call" };
}

/** Turns a successful result into a failure when its output breaks the agent's published output schema. */
export function outputProblem(name: string, agent: RegisteredAgent | undefined, output: unknown): ErrorInfo | null {
  if (!agent?.outputSchema) return null;
  const issues = validateJson(agent.outputSchema, output, "output");
  if (issues.length === 0) return null;
  return { code: "invalid_output", message: `Agent "${name}" answered with output that breaks its own output schema: ${describeIssues(issues)}.` };
}
