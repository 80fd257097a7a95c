/**
 * What an admin does to the registry (through the API or the console): register an HTTP agent after
 * checking it (it gets a signing secret, rotatable), deregister it, disable and enable any agent. Each change leaves an audit row and reaches
 * this isolate's snapshot at once (other isolates within its TTL).
 */
import type { RegisterAgentRequest } from "#shared/api/agents.ts";
import { DomainError } from "../errors.ts";
import type { Actor } from "../audit/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { randomSecret } from "../auth/crypto.ts";
import type { Database } from "../db/client.ts";
import { normalizeAgentUrl } from "../agents/agent-url.ts";
import { agentBinding, bindingNameForAgent } from "../agents/bindings.ts";
import { checkAgent, probeAgent } from "../agents/health-check.ts";
import { dropAgent, putAgent } from "../agents/registry-snapshot.ts";
import { type AgentRow, getAgentRow, markDeregistered, saveHttpAgent, setAgentEnabled, setSigningSecret } from "../agents/registry-store.ts";
import { checkOutbound, outboundPolicy } from "../outbound/policy.ts";

/**
 * Registers an HTTP agent once it has answered `GET /health` (healthy) and `GET /describe` (well formed),
 * and gives it a signing secret, which the caller shows once.
 */
export async function registerHttpAgent(env: Env, db: Database, request: RegisterAgentRequest, actor: Actor): Promise<{ row: AgentRow; signingSecret: string }> {
  const { name } = request;
  const url = normalizeAgentUrl(request.url);
  if (!url.ok) throw new DomainError("validation_failed", `The agent's url ${url.message}.`, [{ path: "url", message: url.message }]);
  if (agentBinding(env, name)) {
    throw new DomainError("conflict", `"${name}" is the agent bound as ${bindingNameForAgent(name)} in this deployment; register the HTTP agent under another name.`);
  }
  const existing = await getAgentRow(db, name);
  if (existing) {
    throw new DomainError("conflict", `Agent "${name}" is already registered${existing.url ? ` at ${existing.url}` : ""}; DELETE /v1/agents/${name} first to register it again.`);
  }
  const allowed = await checkOutbound(new URL(url.url), await outboundPolicy(env, db));
  if (!allowed.ok) throw new DomainError("validation_failed", `Agent "${name}" was not registered: ${allowed.message}.`, [{ path: "url", message: allowed.message }]);
  const checked = await probeAgent(env, { name, kind: "http", url: url.url });
  if (!checked.ok || !checked.description) {
    const problem = checked.ok ? "it did not describe itself" : checked.error;
    throw new DomainError("validation_failed", `Agent "${name}" was not registered: ${problem.replace(/\.+$/, "")}.`, [{ path: "url", message: problem }]);
  }
  const signingSecret = randomSecret("bas");
  await saveHttpAgent(db, { name, url: url.url, signingSecret, description: checked.description, label: request.description, latencyMs: checked.latencyMs }, Date.now());
  await recordAudit(db, actor, "agent.register", name, { url: url.url, version: checked.description.version });
  const row = (await getAgentRow(db, name))!;
  putAgent(row);
  return { row, signingSecret };
}

/** Replaces an HTTP agent's signing secret; calls signed with the old one stop at once (this isolate) or within the snapshot's TTL. */
export async function rotateSigningSecret(db: Database, name: string, actor: Actor): Promise<{ name: string; signingSecret: string }> {
  const row = await requireAgent(db, name);
  if (row.kind !== "http") throw new DomainError("invalid_state", `Agent "${name}" is bound, not called over HTTP; only HTTP agents have a signing secret.`);
  const signingSecret = randomSecret("bas");
  await setSigningSecret(db, name, signingSecret);
  await recordAudit(db, actor, "agent.rotate-secret", name);
  putAgent({ ...row, signingSecret });
  return { name, signingSecret };
}

export async function deregisterAgent(db: Database, name: string, actor: Actor): Promise<{ name: string; deregisteredAt: number }> {
  const row = await requireAgent(db, name);
  if (row.kind === "binding") {
    throw new DomainError(
      "invalid_state",
      `Agent "${name}" is bound as ${row.binding ?? bindingNameForAgent(name)}; remove that binding from wrangler.toml to remove it, or disable it with POST /v1/agents/${name}/disable.`,
    );
  }
  const now = Date.now();
  await markDeregistered(db, name, now);
  await recordAudit(db, actor, "agent.deregister", name, { url: row.url });
  dropAgent(name);
  return { name, deregisteredAt: now };
}

/** Disables or enables an agent; enabling checks it at once, so its status is current. */
export async function setEnabled(env: Env, db: Database, name: string, enabled: boolean, actor: Actor): Promise<AgentRow> {
  await requireAgent(db, name);
  const row = (await setAgentEnabled(db, name, enabled))!;
  await recordAudit(db, actor, enabled ? "agent.enable" : "agent.disable", name);
  putAgent(row);
  return enabled ? checkAgent(env, row) : row;
}

export async function requireAgent(db: Database, name: string): Promise<AgentRow> {
  const row = await getAgentRow(db, name);
  if (!row) throw new DomainError("not_found", `No agent "${name}"; GET /v1/agents lists the registered ones.`);
  return row;
}
