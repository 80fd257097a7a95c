/**
 * Health checks: asks an agent `health()` and `describe()` (or `GET /health` and `GET /describe`), times
 * the answer, and stores what it means (status, latency, last seen, last error, the circuit). The same
 * check serves the cron (every enabled agent, every minute), `POST /v1/agents/:name/check`, the
 * registration of an HTTP agent, and the half-open probe of an open circuit.
 */
import { database } from "../db/client.ts";
import { boundHealth, describeBound, PROBE_TIMEOUT_MS } from "./binding-probe.ts";
import { circuitPolicy } from "./circuit.ts";
import { parseDescription, parseHealth } from "./description.ts";
import { discoverBoundAgents } from "./discovery.ts";
import { getAgentJson } from "./http-agent-client.ts";
import { type OutboundPolicy, outboundPolicy } from "../outbound/policy.ts";
import { putAgent } from "./registry-snapshot.ts";
import { type AgentRow, type CheckResult, recordCheck } from "./registry-store.ts";

export async function probeAgent(env: Env, agent: { name: string; kind: string; url: string | null }): Promise<CheckResult> {
  return agent.kind === "http" && agent.url ? probeHttp(agent.url, await outboundPolicy(env, database(env.DB))) : probeBinding(env, agent.name);
}

async function probeBinding(env: object, name: string): Promise<CheckResult> {
  const health = await boundHealth(env, name);
  if (!health.ok) return health;
  const described = await describeBound(env, name);
  if ("error" in described) return { ok: false, latencyMs: health.latencyMs, error: described.error };
  return { ok: true, latencyMs: health.latencyMs, description: described.description };
}

async function probeHttp(url: string, policy: OutboundPolicy): Promise<CheckResult> {
  const answer = await getAgentJson(url, "/health", PROBE_TIMEOUT_MS, policy);
  if (!answer.ok) return { ok: false, latencyMs: answer.latencyMs, error: answer.message };
  const { latencyMs } = answer;
  const health = parseHealth(answer.body);
  if (!health.ok) {
    return { ok: false, latencyMs, error: `GET ${url}/health answered HTTP ${answer.status} with malformed JSON (${health.problem}); expected { "ok": true }` };
  }
  if (!health.value.ok || answer.status >= 300) {
    // The agent's own `detail`, shortened to one line: a field of the contract, never a body.
    const detail = health.value.detail?.replace(/\s+/g, " ").slice(0, 200) ?? `ok: ${health.value.ok}`;
    return { ok: false, latencyMs, error: `unhealthy: GET ${url}/health answered HTTP ${answer.status}: ${detail}` };
  }
  const described = await getAgentJson(url, "/describe", PROBE_TIMEOUT_MS, policy);
  if (!described.ok) return { ok: false, latencyMs, error: described.message };
  if (described.status >= 300) return { ok: false, latencyMs, error: `GET ${url}/describe answered HTTP ${described.status}` };
  const description = parseDescription(described.body);
  if (!description.ok) return { ok: false, latencyMs, error: `GET ${url}/describe answered malformed JSON: ${description.problem}` };
  return { ok: true, latencyMs, description: description.description };
}

/** Checks one registered agent now and stores the result (here and in this isolate's snapshot). */
export async function checkAgent(env: Env, row: AgentRow): Promise<AgentRow> {
  const result = await probeAgent(env, row);
  const checked = await recordCheck(database(env.DB), row, result, Date.now(), circuitPolicy(env));
  putAgent(checked);
  return checked;
}

/** The cron job: finds new or removed bindings, then checks every enabled agent at once. */
export async function checkAllAgents(env: Env, now: Date): Promise<void> {
  const rows = (await discoverBoundAgents(env, database(env.DB), now.getTime())).filter((row) => row.enabled);
  const results = await Promise.allSettled(rows.map((row) => checkAgent(env, row)));
  results.forEach((result, i) => {
    if (result.status === "rejected") console.error(`health check of agent ${rows[i]!.name} failed`, result.reason);
  });
}
