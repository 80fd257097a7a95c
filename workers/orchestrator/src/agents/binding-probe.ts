/**
 * Calls to a bound agent outside any step: `describe()` (what it is) and `health()` (whether it is
 * well), each bounded by a timeout and turned into a result or the reason there is none.
 */
import type { AgentDescription } from "#shared/agent.ts";
import { agentBinding, bindingNameForAgent } from "./bindings.ts";
import { parseDescription, parseHealth } from "./description.ts";
import { withTimeout } from "./timeout.ts";

export const PROBE_TIMEOUT_MS = 5_000;

export type Described = { description: AgentDescription } | { error: string };
export type Health = { ok: true; latencyMs: number } | { ok: false; latencyMs: number | null; error: string };

export async function describeBound(env: object, name: string): Promise<Described> {
  const binding = agentBinding(env, name);
  if (!binding) return { error: unbound(name) };
  try {
    const parsed = parseDescription(await withTimeout(binding.describe(), PROBE_TIMEOUT_MS, "describe()"));
    return parsed.ok ? { description: parsed.description } : { error: `describe() answered malformed: ${parsed.problem}` };
  } catch (error) {
    return { error: `describe() failed: ${message(error)}` };
  }
}

export async function boundHealth(env: object, name: string): Promise<Health> {
  const binding = agentBinding(env, name);
  if (!binding) return { ok: false, latencyMs: null, error: unbound(name) };
  const startedAt = Date.now();
  let answer: unknown;
  try {
    answer = await withTimeout(binding.health(), PROBE_TIMEOUT_MS, "health()");
  } catch (error) {
    return { ok: false, latencyMs: null, error: `health() failed: ${message(error)}` };
  }
  const latencyMs = Date.now() - startedAt;
  const health = parseHealth(answer);
  if (!health.ok) return { ok: false, latencyMs, error: `health() answered malformed: ${health.problem}` };
  if (!health.value.ok) return { ok: false, latencyMs, error: `unhealthy: ${health.value.detail ?? "health() said ok: false"}` };
  return { ok: true, latencyMs };
}

function unbound(name: string): string {
  return `no service binding ${bindingNameForAgent(name)}; add it to wrangler.toml`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
