/**
 * The agents registry in D1 (`agents` table): one row per agent name, kept after deregistration so that
 * history keeps resolving the name. Writes that count failures are atomic in SQL, because many
 * executions may report failures of the same agent at once.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { AgentDescription } from "#shared/agent.ts";
import type { Database } from "../db/client.ts";
import { agents } from "../db/schema.ts";
import type { Described, Health } from "./binding-probe.ts";
import { afterFailure, agentStatus, CLOSED, type CircuitPolicy } from "./circuit.ts";

export type AgentRow = typeof agents.$inferSelect;

const MAX_ERROR = 1000;

export async function listAgentRows(db: Database, options: { includeDeregistered?: boolean } = {}): Promise<AgentRow[]> {
  const query = db.select().from(agents);
  return options.includeDeregistered ? query.orderBy(agents.name) : query.where(isNull(agents.deregisteredAt)).orderBy(agents.name);
}

/** The registered (not deregistered) agent of that name. */
export async function getAgentRow(db: Database, name: string): Promise<AgentRow | undefined> {
  return db.select().from(agents).where(and(eq(agents.name, name), isNull(agents.deregisteredAt))).get();
}

function describedFields(description: AgentDescription) {
  return {
    version: description.version,
    inputSchema: description.input,
    outputSchema: description.output ?? null,
    pricing: description.pricing ? { ...description.pricing } : null,
  };
}

/** A bound agent found by discovery: registered (again) with what `describe()` and `health()` said. */
export async function saveBindingAgent(db: Database, name: string, binding: string, described: Described, health: Health, now: number): Promise<void> {
  const problem = "error" in described ? described.error : health.ok ? null : health.error;
  const circuit = problem === null ? CLOSED : { consecutiveFailures: 1, circuitOpenUntil: null };
  const fields = {
    kind: "binding",
    binding,
    url: null,
    ...("description" in described
      ? { ...describedFields(described.description), description: described.description.description }
      : { version: null, inputSchema: null, outputSchema: null, pricing: null }),
    ...circuit,
    latencyMs: health.latencyMs,
    lastCheckedAt: now,
    lastError: problem?.slice(0, MAX_ERROR) ?? null,
    ...(health.latencyMs !== null ? { lastSeenAt: now } : {}),
    deregisteredAt: null,
  };
  const status = agentStatus({ enabled: true, ...circuit, latencyMs: health.latencyMs, lastCheckedAt: now, lastSeenAt: now });
  await db
    .insert(agents)
    .values({ name, registeredAt: now, ...fields, status })
    // A name that was disabled before it went away stays disabled when it comes back.
    .onConflictDoUpdate({ target: agents.name, set: { ...fields, status: sql`CASE WHEN ${agents.enabled} THEN ${status} ELSE 'disabled' END` } })
    .run();
}

export interface NewHttpAgent {
  name: string;
  url: string;
  signingSecret: string;
  description: AgentDescription;
  /** Shown instead of the agent's own description when the admin gave one. */
  label: string | undefined;
  latencyMs: number;
}

/** Registers an HTTP agent, reusing the row of a deregistered agent of the same name. */
export async function saveHttpAgent(db: Database, agent: NewHttpAgent, now: number): Promise<void> {
  const fields = {
    kind: "http",
    binding: null,
    url: agent.url,
    signingSecret: agent.signingSecret,
    ...describedFields(agent.description),
    description: agent.label ?? agent.description.description,
    enabled: true,
    status: "healthy",
    latencyMs: agent.latencyMs,
    lastSeenAt: now,
    lastCheckedAt: now,
    lastError: null,
    ...CLOSED,
    registeredAt: now,
    deregisteredAt: null,
  };
  await db.insert(agents).values({ name: agent.name, ...fields }).onConflictDoUpdate({ target: agents.name, set: fields }).run();
}

/** A fresh signing secret for an HTTP agent; the old one stops being used at once. */
export async function setSigningSecret(db: Database, name: string, signingSecret: string): Promise<void> {
  await db.update(agents).set({ signingSecret }).where(eq(agents.name, name)).run();
}

export async function markDeregistered(db: Database, name: string, now: number): Promise<void> {
  await db.update(agents).set({ deregisteredAt: now }).where(eq(agents.name, name)).run();
}

export async function setAgentEnabled(db: Database, name: string, enabled: boolean): Promise<AgentRow | undefined> {
  const row = await getAgentRow(db, name);
  if (!row) return undefined;
  const next = { ...row, enabled };
  // Turning an agent off or on is a fresh start for its circuit.
  const changes = { enabled, ...CLOSED, status: agentStatus({ ...next, ...CLOSED }) };
  await db.update(agents).set(changes).where(eq(agents.name, name)).run();
  return { ...next, ...changes };
}

export type CheckResult =
  | { ok: true; latencyMs: number; description: AgentDescription | null }
  | { ok: false; latencyMs: number | null; error: string };

/** Stores a health check (the cron's, an admin's, or a half-open probe) and what it means for the circuit. */
export async function recordCheck(db: Database, row: AgentRow, result: CheckResult, now: number, policy: CircuitPolicy): Promise<AgentRow> {
  if (result.ok) {
    const described = result.description
      ? { ...describedFields(result.description), ...(row.kind === "binding" ? { description: result.description.description } : {}) }
      : {};
    const changes = { ...described, ...CLOSED, latencyMs: result.latencyMs, lastSeenAt: now, lastCheckedAt: now, lastError: null };
    const next = { ...row, ...changes };
    const saved = { ...changes, status: agentStatus(next) };
    await db.update(agents).set(saved).where(eq(agents.name, row.name)).run();
    return { ...next, ...saved };
  }
  const counted = await countFailure(db, row.name, result.error, now, policy, { lastCheckedAt: now, latencyMs: result.latencyMs });
  return { ...row, ...counted, lastCheckedAt: now, latencyMs: result.latencyMs, lastError: result.error.slice(0, MAX_ERROR) };
}

/** An attempt on the agent failed in a way that says the agent is in trouble. */
export async function recordFailure(db: Database, name: string, error: string, now: number, policy: CircuitPolicy) {
  return countFailure(db, name, error, now, policy, {});
}

/** The agent answered again after failures: close its circuit. */
export async function recordRecovery(db: Database, name: string, now: number): Promise<void> {
  await db
    .update(agents)
    .set({ ...CLOSED, lastSeenAt: now, lastError: null, status: sql`CASE WHEN ${agents.enabled} THEN 'healthy' ELSE 'disabled' END` })
    .where(eq(agents.name, name))
    .run();
}

/**
 * Claims the half-open probe of an open circuit by pushing its end one cooldown further; only the caller
 * whose update lands probes, so many isolates waiting on the same agent send one probe, not many.
 */
export async function claimProbe(db: Database, name: string, openUntil: number, now: number, policy: CircuitPolicy): Promise<boolean> {
  const claimed = await db
    .update(agents)
    .set({ circuitOpenUntil: now + policy.cooldownMs })
    .where(and(eq(agents.name, name), eq(agents.circuitOpenUntil, openUntil)))
    .returning({ name: agents.name });
  return claimed.length > 0;
}

async function countFailure(
  db: Database,
  name: string,
  error: string,
  now: number,
  policy: CircuitPolicy,
  extra: { lastCheckedAt?: number; latencyMs?: number | null },
) {
  const lastError = error.slice(0, MAX_ERROR);
  const [counted] = await db
    .update(agents)
    .set({ consecutiveFailures: sql`${agents.consecutiveFailures} + 1`, lastError, ...extra })
    .where(eq(agents.name, name))
    .returning({ failures: agents.consecutiveFailures, enabled: agents.enabled, latencyMs: agents.latencyMs, lastCheckedAt: agents.lastCheckedAt, lastSeenAt: agents.lastSeenAt });
  if (!counted) return { ...CLOSED, consecutiveFailures: 0, status: "unknown" };
  const circuit = afterFailure(counted.failures, now, policy);
  const status = agentStatus({ ...counted, ...circuit });
  await db.update(agents).set({ circuitOpenUntil: circuit.circuitOpenUntil, status }).where(eq(agents.name, name)).run();
  return { ...circuit, status };
}
