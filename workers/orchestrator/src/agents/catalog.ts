/**
 * Which agents a template may use right now: those bound to the orchestrator and those registered over
 * HTTP, less the ones an admin disabled.
 */
import { isNull } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { agents } from "../db/schema.ts";
import { boundAgentNames } from "./bindings.ts";
import { knownAgent } from "./registry-snapshot.ts";

export type AgentAvailability = "available" | "disabled" | "unknown";

export interface AgentCatalog {
  status(name: string): AgentAvailability;
  names(): string[];
}

export async function loadAgentCatalog(env: object, db: Database): Promise<AgentCatalog> {
  const bound = boundAgentNames(env);
  const rows = await db
    .select({ name: agents.name, kind: agents.kind, enabled: agents.enabled })
    .from(agents)
    .where(isNull(agents.deregisteredAt));
  const known = new Map<string, AgentAvailability>();
  for (const name of bound.keys()) known.set(name, "available");
  for (const row of rows) {
    if (row.kind === "binding" && !bound.has(row.name)) continue;
    known.set(row.name, row.enabled ? "available" : "disabled");
  }
  return {
    status: (name) => known.get(name) ?? "unknown",
    names: () => [...known.keys()].sort(),
  };
}

/**
 * Whether this isolate's registry snapshot (registry-snapshot.ts) shows every one of `names` enabled
 * and reachable, so that a start needs no D1 read to check its agents. False means "not sure", never
 * "refused": a refusal always comes from D1 (`loadAgentCatalog`).
 */
export function availableInSnapshot(env: object, names: readonly string[]): boolean {
  const bound = boundAgentNames(env);
  return names.every((name) => {
    const agent = knownAgent(name);
    if (!agent?.enabled) return false;
    return agent.kind === "http" ? agent.url !== null : bound.has(name);
  });
}
