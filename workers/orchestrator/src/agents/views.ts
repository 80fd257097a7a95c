/** The registry as the API shows it: a row, its derived status and its performance, in the shared shapes. */
import type { AgentDetail, AgentSummary } from "#shared/api/agents.ts";
import { agentStatus } from "./circuit.ts";
import type { AgentPerformance } from "./metrics.ts";
import type { AgentRow } from "./registry-store.ts";

export function agentSummary(row: AgentRow, performance: AgentPerformance): AgentSummary {
  return {
    name: row.name,
    kind: row.kind === "http" ? "http" : "binding",
    url: row.url,
    version: row.version,
    description: row.description,
    enabled: row.enabled,
    // Derived from the row rather than read from `status`, so a view can never disagree with the circuit.
    status: agentStatus(row),
    latencyMs: row.latencyMs,
    lastSeenAt: row.lastSeenAt,
    lastCheckedAt: row.lastCheckedAt,
    lastError: row.lastError,
    consecutiveFailures: row.consecutiveFailures,
    circuitOpenUntil: row.circuitOpenUntil,
    registeredAt: row.registeredAt,
    metrics: performance.metrics,
    activeSteps: performance.activeSteps,
  };
}

export function agentDetail(row: AgentRow, performance: AgentPerformance): AgentDetail {
  return {
    ...agentSummary(row, performance),
    inputSchema: row.inputSchema,
    outputSchema: row.outputSchema,
    pricing: row.pricing,
  };
}
