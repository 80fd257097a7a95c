/**
 * Shapes of the agent registry (`/v1/agents…`): what an agent says about itself, what an admin sends to
 * register one, and what the API answers, shared by the orchestrator, the client and the console.
 */
import { z } from "zod";
import type { AgentDescription } from "../agent.ts";

/** Names as the bindings imply them (`AGENT_MARKET_SCOUT` is "market-scout"), so both kinds share one namespace. */
export const AGENT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;

export const agentNameSchema = z
  .string()
  .regex(AGENT_NAME_PATTERN, "use 1-64 lowercase letters, digits or '-', starting with a letter");

/**
 * `healthy`: answered its last check quickly. `degraded`: answered slowly, or failed a few times lately.
 * `down`: failed repeatedly; its circuit is open and steps on it wait. `disabled`: turned off by an admin.
 * `unknown`: not checked yet.
 */
export const agentStatuses = ["healthy", "degraded", "down", "disabled", "unknown"] as const;
export type AgentStatus = (typeof agentStatuses)[number];

const jsonSchemaDocument = z.record(z.string(), z.unknown());

const pricingSchema = z.object({
  inputPer1kTokensUsd: z.number().min(0).optional(),
  outputPer1kTokensUsd: z.number().min(0).optional(),
  perCallUsd: z.number().min(0).optional(),
});

/**
 * `describe()` / `GET /describe` (docs/architecture.md "Agent contract"), as the orchestrator checks an
 * answer.
 */
export const agentDescriptionSchema = z.object({
  name: z.string().min(1).max(200),
  version: z.string().min(1).max(100),
  description: z.string().max(5000),
  input: jsonSchemaDocument,
  output: jsonSchemaDocument.optional(),
  pricing: pricingSchema.optional(),
}) satisfies z.ZodType<AgentDescription>;

/** `GET /health`. */
export const agentHealthSchema = z.object({ ok: z.boolean(), detail: z.string().optional() });

export const registerAgentSchema = z.strictObject({
  name: agentNameSchema,
  url: z
    .string()
    .max(2000)
    .describe("Base URL: Baton calls GET {url}/health, GET {url}/describe and POST {url}/run"),
  description: z.string().max(5000).optional().describe("Shown instead of the agent's own description"),
});
export type RegisterAgentRequest = z.infer<typeof registerAgentSchema>;

export const agentMetricsSchema = z.object({
  /** Steps on the agent that ended, completed or failed (cancelled and skipped steps are not counted). */
  runs: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  /** succeeded / runs; null without runs. */
  successRate: z.number().nullable(),
  /** Over completed steps, from a step's start to its end (retries included); null without any. */
  p50DurationMs: z.number().nullable(),
  p95DurationMs: z.number().nullable(),
  costUsd: z.number(),
});
export type AgentMetrics = z.infer<typeof agentMetricsSchema>;

/** A step that is on the agent right now: running, between retries, or waiting for its circuit. */
export const activeStepSchema = z.object({
  executionId: z.string(),
  stepId: z.string(),
  status: z.enum(["running", "retrying", "waiting"]),
  attempts: z.number().int(),
  startedAt: z.number().int().nullable(),
  waitingFor: z.string().nullable(),
});
export type ActiveStep = z.infer<typeof activeStepSchema>;

export const agentSummarySchema = z.object({
  name: z.string(),
  kind: z.enum(["binding", "http"]),
  /** The registered base URL of an HTTP agent; null for service bindings. */
  url: z.string().nullable(),
  version: z.string().nullable(),
  description: z.string().nullable(),
  enabled: z.boolean(),
  status: z.enum(agentStatuses),
  latencyMs: z.number().int().nullable(),
  lastSeenAt: z.number().int().nullable(),
  lastCheckedAt: z.number().int().nullable(),
  lastError: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  /** While set and in the future the circuit is open: steps wait instead of calling the agent. */
  circuitOpenUntil: z.number().int().nullable(),
  registeredAt: z.number().int(),
  metrics: z.object({ last24h: agentMetricsSchema, allTime: agentMetricsSchema }),
  activeSteps: z.array(activeStepSchema),
});
export type AgentSummary = z.infer<typeof agentSummarySchema>;

export const agentDetailSchema = agentSummarySchema.extend({
  inputSchema: jsonSchemaDocument.nullable(),
  outputSchema: jsonSchemaDocument.nullable(),
  pricing: pricingSchema.nullable(),
});
export type AgentDetail = z.infer<typeof agentDetailSchema>;

/**
 * The secret Baton signs its calls to an HTTP agent with (`Baton-Signature`, the webhook scheme of
 * shared/webhook-signature.ts). Shown only in the answer that creates it: at registration and rotation.
 */
export const signingSecretField = z.string().describe("Shown once: Baton signs every POST /run to this agent with it; verify with verifyWebhook");

export const registeredAgentSchema = agentDetailSchema.extend({ signingSecret: signingSecretField });
export type RegisteredAgentDetail = z.infer<typeof registeredAgentSchema>;

export const rotatedSecretSchema = z.object({ name: z.string(), signingSecret: signingSecretField });
export type RotatedSecret = z.infer<typeof rotatedSecretSchema>;
