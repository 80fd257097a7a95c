/**
 * The D1 schema, in one place. `npm run db:generate` turns changes here into a numbered SQL migration in
 * `migrations/`, which `wrangler d1 migrations apply` applies locally and in production.
 *
 * Times are epoch milliseconds; JSON columns hold text parsed by drizzle's `mode: "json"`.
 */
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { LogLevel } from "#shared/agent.ts";
import type { UserRole } from "#shared/console.ts";
import type { TriggerDefinition, TriggerDeliveryStatus } from "#shared/api/triggers.ts";
import type { Template } from "#shared/template.ts";

export const templates = sqliteTable("templates", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  description: text("description"),
  latestVersion: integer("latest_version").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  /** Set by DELETE: the template is hidden and cannot start, but history keeps resolving it. */
  archivedAt: integer("archived_at"),
});

export const templateVersions = sqliteTable(
  "template_versions",
  {
    templateId: text("template_id").notNull(),
    version: integer("version").notNull(),
    definition: text("definition", { mode: "json" }).$type<Template>().notNull(),
    createdAt: integer("created_at").notNull(),
    createdBy: text("created_by").notNull(),
  },
  (t) => [primaryKey({ columns: [t.templateId, t.version] })],
);

export const executions = sqliteTable(
  "executions",
  {
    id: text("id").primaryKey(),
    templateId: text("template_id").notNull(),
    templateVersion: integer("template_version").notNull(),
    status: text("status").notNull(),
    params: text("params", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    priority: integer("priority").notNull().default(0),
    idempotencyKey: text("idempotency_key"),
    concurrencyKey: text("concurrency_key"),
    /** The template's `rateLimit.key` resolved from the params, for "at most N per key per window". */
    rateKey: text("rate_key"),
    parentExecutionId: text("parent_execution_id"),
    error: text("error", { mode: "json" }).$type<{ code: string; message: string }>(),
    costUsd: real("cost_usd").notNull().default(0),
    stepsTotal: integer("steps_total").notNull().default(0),
    stepsDone: integer("steps_done").notNull().default(0),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    startedAt: integer("started_at"),
    endedAt: integer("ended_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("executions_created_at").on(t.createdAt),
    index("executions_status_created_at").on(t.status, t.createdAt),
    index("executions_template_created_at").on(t.templateId, t.createdAt),
    // Not unique: idempotency keys are scoped per caller too, and the execution id derived from them is what is unique.
    index("executions_template_idempotency_key").on(t.templateId, t.idempotencyKey),
    index("executions_template_rate_key_created_at").on(t.templateId, t.rateKey, t.createdAt),
    // "Finished today" and the stats' per-hour series count by end time.
    index("executions_ended_at").on(t.endedAt),
  ],
);

export const stepRuns = sqliteTable(
  "step_runs",
  {
    executionId: text("execution_id").notNull(),
    stepId: text("step_id").notNull(),
    /** agent, approval or pipeline. */
    type: text("type").notNull(),
    agent: text("agent"),
    status: text("status").notNull(),
    waitingFor: text("waiting_for"),
    attempts: integer("attempts").notNull().default(0),
    startedAt: integer("started_at"),
    endedAt: integer("ended_at"),
    durationMs: integer("duration_ms"),
    costUsd: real("cost_usd").notNull().default(0),
    error: text("error"),
  },
  (t) => [
    primaryKey({ columns: [t.executionId, t.stepId] }),
    index("step_runs_agent_ended_at").on(t.agent, t.endedAt),
    index("step_runs_status").on(t.status),
  ],
);

export const agents = sqliteTable("agents", {
  name: text("name").primaryKey(),
  /** `binding` for agents behind a service binding, `http` for agents registered by URL. */
  kind: text("kind").notNull(),
  binding: text("binding"),
  url: text("url"),
  version: text("version"),
  description: text("description"),
  inputSchema: text("input_schema", { mode: "json" }).$type<Record<string, unknown>>(),
  outputSchema: text("output_schema", { mode: "json" }).$type<Record<string, unknown>>(),
  pricing: text("pricing", { mode: "json" }).$type<Record<string, number>>(),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  status: text("status").notNull().default("unknown"),
  latencyMs: integer("latency_ms"),
  lastSeenAt: integer("last_seen_at"),
  lastCheckedAt: integer("last_checked_at"),
  lastError: text("last_error"),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  /** The circuit breaker: while in the future, steps on the agent wait instead of calling it. */
  circuitOpenUntil: integer("circuit_open_until"),
  /** HTTP agents: the HMAC secret Baton signs its calls with (shown once at registration, rotatable). */
  signingSecret: text("signing_secret"),
  registeredAt: integer("registered_at").notNull(),
  deregisteredAt: integer("deregistered_at"),
});

export const usage = sqliteTable(
  "usage",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    executionId: text("execution_id").notNull(),
    stepId: text("step_id").notNull(),
    attempt: integer("attempt").notNull(),
    templateId: text("template_id").notNull(),
    agent: text("agent").notNull(),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    cachedTokens: integer("cached_tokens").notNull().default(0),
    costUsd: real("cost_usd").notNull().default(0),
    /** UTC day, `YYYY-MM-DD`, for daily roll-ups and budgets. */
    day: text("day").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("usage_day").on(t.day),
    index("usage_template_day").on(t.templateId, t.day),
    index("usage_execution").on(t.executionId),
    // Cost "today" in the caller's time zone, which UTC `day` cannot answer.
    index("usage_created_at").on(t.createdAt),
  ],
);

/**
 * Agents' log lines across executions (`GET /v1/logs`), copied from each execution's `step.log` events
 * through the history writer. `id` is arrival order: paging and following go by it. The execution's
 * own event log stays the source of `GET /v1/executions/:id/logs`.
 */
export const logs = sqliteTable(
  "logs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    executionId: text("execution_id").notNull(),
    /** The `step.log` event's seq in its execution: with the execution, it makes a re-sent line a no-op. */
    seq: integer("seq").notNull(),
    stepId: text("step_id").notNull(),
    item: integer("item"),
    attempt: integer("attempt").notNull(),
    level: text("level").$type<LogLevel>().notNull(),
    message: text("message").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [uniqueIndex("logs_execution_seq").on(t.executionId, t.seq), index("logs_at").on(t.at)],
);

export const config = sqliteTable("config", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).notNull(),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: text("updated_by").notNull(),
});

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  role: text("role").$type<UserRole>().notNull(),
  passwordHash: text("password_hash").notNull(),
  passwordSalt: text("password_salt").notNull(),
  passwordIterations: integer("password_iterations").notNull(),
  createdAt: integer("created_at").notNull(),
  disabledAt: integer("disabled_at"),
});

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 of the cookie's secret: a leaked table does not hand out sessions. */
    idHash: text("id_hash").primaryKey(),
    userId: text("user_id").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

/** Failed console sign-ins of the last window, one row per limited key (`email:…`, `address:…`). */
export const signInAttempts = sqliteTable(
  "sign_in_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("sign_in_attempts_key_at").on(t.key, t.at), index("sign_in_attempts_at").on(t.at)],
);

export const apiTokens = sqliteTable("api_tokens", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** SHA-256 of the token, hex. The token itself is shown once and never stored. */
  tokenHash: text("token_hash").notNull().unique(),
  /** `admin`, `operate`, `run` or `read` (shared/api/tokens.ts). */
  scope: text("scope").notNull().default("admin"),
  /** Null: never expires. */
  expiresAt: integer("expires_at"),
  /** Who minted it (`token:<name>`, `admin:<email>`), or `system:bootstrap` for the `API_TOKEN` secret. */
  createdBy: text("created_by"),
  createdAt: integer("created_at").notNull(),
  lastUsedAt: integer("last_used_at"),
  revokedAt: integer("revoked_at"),
});

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target"),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [index("audit_log_at").on(t.at)],
);

/** Alerts already raised (e.g. a daily budget crossing 80 %), so each is raised once. */
export const alerts = sqliteTable("alerts", {
  key: text("key").primaryKey(),
  kind: text("kind").notNull(),
  at: integer("at").notNull(),
  details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
});

/** Every outgoing webhook delivery attempt, for the delivery log. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    url: text("url").notNull(),
    event: text("event").notNull(),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    nextAttemptAt: integer("next_attempt_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("webhook_deliveries_created_at").on(t.createdAt), index("webhook_deliveries_status_next").on(t.status, t.nextAttemptAt)],
);

/** Inbound triggers; `definition` is the trigger as saved, `secret` its signing secret (signature auth). */
export const triggers = sqliteTable(
  "triggers",
  {
    name: text("name").primaryKey(),
    templateId: text("template_id").notNull(),
    definition: text("definition", { mode: "json" }).$type<TriggerDefinition>().notNull(),
    secret: text("secret"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    updatedBy: text("updated_by").notNull(),
  },
  (t) => [index("triggers_template_id").on(t.templateId)],
);

/** What became of each event a trigger received (refusals before authentication are not stored). */
export const triggerDeliveries = sqliteTable(
  "trigger_deliveries",
  {
    id: text("id").primaryKey(),
    triggerName: text("trigger_name").notNull(),
    receivedAt: integer("received_at").notNull(),
    status: text("status").$type<TriggerDeliveryStatus>().notNull(),
    executionId: text("execution_id"),
    detail: text("detail"),
    key: text("key"),
    idempotencyKey: text("idempotency_key"),
    bytes: integer("bytes").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("trigger_deliveries_trigger_received").on(t.triggerName, t.receivedAt, t.id)],
);
