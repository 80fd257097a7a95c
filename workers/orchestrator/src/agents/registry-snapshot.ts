/**
 * The registry as this isolate last read it: a module-level copy shared by every Durable Object and
 * request in the isolate, so that the engine's hot path (`prepare` before each attempt) answers from
 * memory. It is refreshed in the background once older than SNAPSHOT_TTL_MS; changes made in this
 * isolate (the API, circuit reports) are applied to it at once, other isolates see them within the TTL.
 */
import type { JsonSchema } from "#shared/agent.ts";
import { database } from "../db/client.ts";
import { discoverBoundAgents } from "./discovery.ts";
import type { AgentRow } from "./registry-store.ts";

export const SNAPSHOT_TTL_MS = 5_000;
/** A failed load is retried no sooner than this, so a D1 outage is not hammered by every step. */
const RETRY_LOAD_MS = 1_000;
/** A refresh not done by then is taken for lost (its Durable Object went away mid-way) and started again. */
const REFRESH_LOST_MS = 15_000;

export interface RegisteredAgent {
  name: string;
  kind: "binding" | "http";
  url: string | null;
  enabled: boolean;
  inputSchema: JsonSchema | null;
  outputSchema: JsonSchema | null;
  consecutiveFailures: number;
  circuitOpenUntil: number | null;
  lastError: string | null;
  /** HTTP agents: what Baton signs its calls with. */
  signingSecret: string | null;
}

interface Snapshot {
  agents: Map<string, RegisteredAgent>;
  loadedAt: number;
}

let current: Snapshot | undefined;
/** Counts changes applied here, so a load that raced with one does not overwrite it with older rows. */
let changes = 0;
let refreshingSince: number | null = null;
let lastFailedLoadAt = 0;

export function toRegisteredAgent(row: AgentRow): RegisteredAgent {
  return {
    name: row.name,
    kind: row.kind === "http" ? "http" : "binding",
    url: row.url,
    enabled: row.enabled,
    inputSchema: row.inputSchema,
    outputSchema: row.outputSchema,
    consecutiveFailures: row.consecutiveFailures,
    circuitOpenUntil: row.circuitOpenUntil,
    lastError: row.lastError,
    signingSecret: row.signingSecret,
  };
}

/** The agent as last known here; `null` while this isolate has not loaded the registry yet. */
export function knownAgent(name: string): RegisteredAgent | undefined | null {
  return current ? current.agents.get(name) : null;
}

/** How old the snapshot is (infinite before the first load). */
export function snapshotAge(now: number): number {
  return current ? now - current.loadedAt : Number.POSITIVE_INFINITY;
}

/** Reads the registry (discovering bound agents D1 does not know yet) and makes it this isolate's snapshot. */
export async function loadSnapshot(env: Env): Promise<void> {
  const startedAt = Date.now();
  const changesBefore = changes;
  try {
    const rows = await discoverBoundAgents(env, database(env.DB), startedAt);
    if (current && changes !== changesBefore) {
      // Rows read before a local change would undo it: keep what we have and read again soon.
      current.loadedAt = 0;
      return;
    }
    current = { agents: new Map(rows.map((row) => [row.name, toRegisteredAgent(row)])), loadedAt: startedAt };
  } catch (error) {
    lastFailedLoadAt = Date.now();
    throw error;
  }
}

/** Loads the snapshot if this isolate has none; never throws (callers fall back to waiting). */
export async function warmSnapshot(env: Env): Promise<void> {
  if (current) return;
  await loadSnapshot(env).catch((error) => console.error("loading the agent registry failed", error));
}

/** Starts a refresh when the snapshot is older than `maxAgeMs` and none is under way. */
export function refreshSnapshot(env: Env, now: number, waitUntil: (promise: Promise<unknown>) => void, maxAgeMs = SNAPSHOT_TTL_MS): void {
  if (refreshingSince !== null && now - refreshingSince < REFRESH_LOST_MS) return;
  if (snapshotAge(now) <= maxAgeMs || now - lastFailedLoadAt < RETRY_LOAD_MS) return;
  const since = now;
  refreshingSince = since;
  waitUntil(
    loadSnapshot(env)
      .catch((error) => console.error("refreshing the agent registry failed", error))
      .finally(() => {
        if (refreshingSince === since) refreshingSince = null;
      }),
  );
}

/** Applies a row this isolate just wrote (or read) to the snapshot. */
export function putAgent(row: AgentRow): void {
  if (!current) return;
  changes++;
  if (row.deregisteredAt !== null) current.agents.delete(row.name);
  else current.agents.set(row.name, toRegisteredAgent(row));
}

export function patchAgent(name: string, patch: Partial<RegisteredAgent>): void {
  const agent = current?.agents.get(name);
  if (!agent) return;
  changes++;
  current!.agents.set(name, { ...agent, ...patch });
}

export function dropAgent(name: string): void {
  changes++;
  current?.agents.delete(name);
}
