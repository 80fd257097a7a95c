/**
 * The agent port of an execution (see port.ts): answers the engine from the isolate's registry
 * snapshot (no I/O per step), calls service-binding agents over RPC and HTTP agents at their registered
 * URL, checks input and output against the agent's schemas, and keeps the circuit breaker. Create it
 * in the Durable Object's constructor: when the isolate has no snapshot yet it holds the object's input
 * gates until one is loaded (once per isolate), so the first step never waits for the registry.
 */
import { callAgent } from "../execution/agent-call.ts";
import { agentBinding } from "./bindings.ts";
import { circuitPolicy } from "./circuit.ts";
import { reportFailure, reportRecovery, startProbe } from "./circuit-reports.ts";
import type { AgentPort } from "./port.ts";
import { runHttpAgent } from "./http-agent-client.ts";
import { database } from "../db/client.ts";
import { outboundPolicy } from "../outbound/policy.ts";
import { agentReadiness, outputProblem } from "./readiness.ts";
import { knownAgent, refreshSnapshot, snapshotAge, warmSnapshot } from "./registry-snapshot.ts";

/** A refusal (unknown or disabled agent) is trusted only from a snapshot at most this old. */
const CONFIRM_AGE_MS = 1_000;
/** How soon a step asks again after a refusal sent the snapshot to be refreshed. */
const CONFIRM_WAIT_MS = 250;
/** How soon a step asks again while its agent's half-open probe is under way. */
const PROBE_WAIT_MS = 1_000;

export function registryAgentPort(env: Env, ctx: DurableObjectState): AgentPort {
  if (!Number.isFinite(snapshotAge(Date.now()))) void ctx.blockConcurrencyWhile(() => warmSnapshot(env));
  const waitUntil = (promise: Promise<unknown>) => ctx.waitUntil(promise);
  const policy = circuitPolicy(env);

  return {
    prepare(name, input) {
      const now = Date.now();
      refreshSnapshot(env, now, waitUntil);
      const agent = knownAgent(name);
      if (agent === null) {
        // The first load failed (D1 unreachable): nothing is known, so nothing is refused yet.
        return { kind: "wait", reason: "the agent registry could not be loaded yet", retryAt: now + PROBE_WAIT_MS };
      }
      const binding = agent?.kind === "binding" ? agentBinding(env, name) : undefined;
      const url = agent?.kind === "http" ? agent.url : null;
      const verdict = agentReadiness(name, agent, binding !== undefined || url !== null, input, now);
      switch (verdict.kind) {
        case "refuse":
          if (verdict.confirm && snapshotAge(now) > CONFIRM_AGE_MS) {
            refreshSnapshot(env, now, waitUntil, CONFIRM_AGE_MS);
            return { kind: "wait", reason: `looking up agent "${name}" in the registry`, retryAt: now + CONFIRM_WAIT_MS };
          }
          return { kind: "fail", error: verdict.error };
        case "wait":
          return verdict;
        case "probe":
          startProbe(env, agent!, policy, waitUntil);
          return { kind: "wait", reason: verdict.reason, retryAt: now + PROBE_WAIT_MS };
        case "call": {
          if (url !== null) {
            const secret = agent?.signingSecret ?? null;
            const call = async (task: Parameters<typeof runHttpAgent>[1], timeoutMs: number) =>
              runHttpAgent(url, task, timeoutMs, secret, await outboundPolicy(env, database(env.DB)));
            return { kind: "call", call };
          }
          return { kind: "call", call: (task, timeoutMs) => callAgent(binding!, task, timeoutMs) };
        }
      }
    },

    settle(name, outcome) {
      const agent = knownAgent(name);
      if (!agent) return outcome;
      if (!outcome.ok) {
        // Only failures that say the agent is in trouble count; a refusal of bad input proves it is up.
        if (outcome.retryable) reportFailure(env, agent, `${outcome.error.code}: ${outcome.error.message}`, policy, waitUntil);
        return outcome;
      }
      if (agent.consecutiveFailures > 0 || agent.circuitOpenUntil !== null) reportRecovery(env, agent, waitUntil);
      const problem = outputProblem(name, agent, outcome.result.output);
      return problem ? { ok: false, retryable: false, error: problem } : outcome;
    },
  };
}
