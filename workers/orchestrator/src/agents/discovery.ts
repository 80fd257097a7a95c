/**
 * Discovery of the agents bound to the orchestrator: each `AGENT_<NAME>` service binding that the
 * registry does not know yet is asked to `describe()` itself (and checked with `health()`) and registered
 * under its name with its schemas and pricing. It runs lazily, whenever an isolate loads the registry or
 * the API reads it, so a new binding is known from the first request that needs it; the health cron keeps
 * descriptions current afterwards. A binding that is gone from wrangler.toml is deregistered; history
 * keeps its name.
 */
import type { Database } from "../db/client.ts";
import { boundAgentNames } from "./bindings.ts";
import { boundHealth, describeBound } from "./binding-probe.ts";
import { type AgentRow, listAgentRows, markDeregistered, saveBindingAgent } from "./registry-store.ts";

/** Registers what is bound and not yet registered; answers the registered agents after. */
export async function discoverBoundAgents(env: object, db: Database, now: number): Promise<AgentRow[]> {
  const bound = boundAgentNames(env);
  const all = await listAgentRows(db, { includeDeregistered: true });
  const rows = new Map(all.map((row) => [row.name, row]));
  const fresh = [...bound].filter(([name]) => {
    const row = rows.get(name);
    return !row || row.deregisteredAt !== null || row.kind !== "binding";
  });
  const gone = all.filter((row) => row.kind === "binding" && row.deregisteredAt === null && !bound.has(row.name));
  // Nearly always nothing to do: the registry is read once, not twice.
  if (fresh.length === 0 && gone.length === 0) return all.filter((row) => row.deregisteredAt === null);
  await Promise.all([
    ...fresh.map(async ([name, binding]) => {
      const [described, health] = await Promise.all([describeBound(env, name), boundHealth(env, name)]);
      await saveBindingAgent(db, name, binding, described, health, now);
    }),
    ...gone.map((row) => markDeregistered(db, row.name, now)),
  ]);
  return listAgentRows(db);
}
