/**
 * The circuit breaker and the health status of an agent, as plain rules. Every failed contact (an
 * attempt that failed in a retryable way, a failed health check) counts; after `failureThreshold` in a
 * row the agent is `down` and its circuit open for `cooldownMs`: steps on it wait instead of using up
 * their attempts. When the cooldown is over the circuit is half-open: one probe (a health check) decides
 * whether it closes or stays open for another cooldown. Any success closes it.
 */
import type { AgentStatus } from "#shared/api/agents.ts";

export interface CircuitPolicy {
  failureThreshold: number;
  cooldownMs: number;
}

/** A health check slower than this makes a healthy agent `degraded`. */
export const SLOW_CHECK_MS = 2000;

const DEFAULT_POLICY: CircuitPolicy = { failureThreshold: 5, cooldownMs: 30_000 };

/** The policy from `CIRCUIT_FAILURES` and `CIRCUIT_COOLDOWN_MS` (wrangler.toml `[vars]`). */
export function circuitPolicy(env: { CIRCUIT_FAILURES?: string; CIRCUIT_COOLDOWN_MS?: string }): CircuitPolicy {
  return {
    failureThreshold: positiveInteger(env.CIRCUIT_FAILURES) ?? DEFAULT_POLICY.failureThreshold,
    cooldownMs: positiveInteger(env.CIRCUIT_COOLDOWN_MS) ?? DEFAULT_POLICY.cooldownMs,
  };
}

export type CircuitGate = { state: "closed" } | { state: "open"; until: number } | { state: "half-open" };

export function circuitGate(openUntil: number | null, now: number): CircuitGate {
  if (openUntil === null) return { state: "closed" };
  return openUntil > now ? { state: "open", until: openUntil } : { state: "half-open" };
}

export interface CircuitState {
  consecutiveFailures: number;
  circuitOpenUntil: number | null;
}

/** After one more failure: `failures` is the count including it (counted atomically by the store). */
export function afterFailure(failures: number, now: number, policy: CircuitPolicy): CircuitState {
  return {
    consecutiveFailures: failures,
    // Every failure at or past the threshold (a failed probe included) starts a fresh cooldown.
    circuitOpenUntil: failures >= policy.failureThreshold ? now + policy.cooldownMs : null,
  };
}

export const CLOSED: CircuitState = { consecutiveFailures: 0, circuitOpenUntil: null };

export function agentStatus(
  agent: { enabled: boolean; consecutiveFailures: number; circuitOpenUntil: number | null; latencyMs: number | null; lastCheckedAt: number | null; lastSeenAt: number | null },
): AgentStatus {
  if (!agent.enabled) return "disabled";
  if (agent.circuitOpenUntil !== null) return "down";
  if (agent.consecutiveFailures > 0) return "degraded";
  if (agent.lastCheckedAt === null && agent.lastSeenAt === null) return "unknown";
  return agent.latencyMs !== null && agent.latencyMs > SLOW_CHECK_MS ? "degraded" : "healthy";
}

function positiveInteger(raw: string | undefined): number | undefined {
  const value = Number(raw);
  return raw !== undefined && raw !== "" && Number.isInteger(value) && value > 0 ? value : undefined;
}
