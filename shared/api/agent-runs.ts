/**
 * Running one agent directly (`POST /v1/agents/:name/run`, RPC `runAgent`): the request, and the id
 * scheme of the one-step template each such run starts. Those templates are ordinary, versioned
 * templates, so a direct run is an ordinary execution (SSE, history, cost); their ids carry a prefix
 * user templates may not use, so they read as what they are in lists and never collide with a user's.
 */
import { z } from "zod";
import { startExecutionResponseSchema } from "./executions.ts";
import { hashHex } from "../samples/seeded.ts";
import { retryPolicySchema, TEMPLATE_ID_MAX_LENGTH } from "../template.ts";

/** Template ids starting with this are reserved for direct agent runs (templates/validate.ts refuses them). */
export const AGENT_RUN_PREFIX = "agent--";

/**
 * `agent--<name>`; an agent name too long to fit keeps its first characters and gets a hash of the
 * whole name, so two long names that share a beginning still get two templates.
 */
export function agentRunTemplateId(agent: string): string {
  const whole = `${AGENT_RUN_PREFIX}${agent}`;
  if (whole.length <= TEMPLATE_ID_MAX_LENGTH) return whole;
  const hash = hashHex(agent);
  return `${whole.slice(0, TEMPLATE_ID_MAX_LENGTH - hash.length - 1)}-${hash}`;
}

export function isAgentRunTemplate(templateId: string): boolean {
  return templateId.startsWith(AGENT_RUN_PREFIX);
}

/** `POST /v1/agents/:name/run`. Retries are off unless `retry` asks for them. */
export const runAgentSchema = z.strictObject({
  /** Checked against the agent's input schema; every bad field is named (`input.text`). */
  input: z.unknown(),
  retry: retryPolicySchema.optional(),
  timeoutMs: z.number().int().min(1).max(7 * 24 * 60 * 60 * 1000).optional(),
  priority: z.number().int().min(-100).max(100).optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export type RunAgentRequest = z.input<typeof runAgentSchema>;

export const runAgentResponseSchema = startExecutionResponseSchema.extend({
  /** The one-step template the run started (`agent--<name>`), for history filters. */
  template: z.string(),
});
export type RunAgentResponse = z.infer<typeof runAgentResponseSchema>;
