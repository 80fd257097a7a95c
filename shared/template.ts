/**
 * The pipeline template (docs/architecture.md "Template", contract): its shape as a zod schema, which is
 * the one definition the API, the console and the CLI validate against. Cross-field rules (the DAG,
 * references, known agents, cron) live in the orchestrator's `templates/validate.ts`, which runs after
 * this.
 */
import { z } from "zod";

export const STEP_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const TEMPLATE_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const TEMPLATE_ID_MAX_LENGTH = 64;
export const PARAM_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_DELAY_MS = 24 * 60 * 60 * 1000;
const MAX_TIMEOUT_MS = 7 * 24 * 60 * 60 * 1000;

const stepId = z
  .string()
  .regex(STEP_ID_PATTERN, "use 1-64 lowercase letters, digits, '-' or '_', starting with a letter or digit");

export const paramTypes = ["string", "integer", "number", "boolean", "array", "object"] as const;
export type ParamType = (typeof paramTypes)[number];

export const paramSpecSchema = z.strictObject({
  type: z.enum(paramTypes),
  description: z.string().max(500).optional(),
  required: z.boolean().optional(),
  default: z.unknown().optional(),
  enum: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1).optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  minLength: z.number().int().min(0).optional(),
  maxLength: z.number().int().min(0).optional(),
  pattern: z.string().max(500).optional(),
});
export type ParamSpec = z.infer<typeof paramSpecSchema>;

export const backoffKinds = ["constant", "linear", "exponential"] as const;
export type BackoffKind = (typeof backoffKinds)[number];

export const retryPolicySchema = z.strictObject({
  /** Attempts after the first one. */
  limit: z.number().int().min(0).max(100),
  delayMs: z.number().int().min(0).max(MAX_DELAY_MS).default(1000),
  backoff: z.enum(backoffKinds).default("exponential"),
  maxDelayMs: z.number().int().min(0).max(MAX_DELAY_MS).optional(),
  /** Spread each delay randomly over [delay/2, delay] so that retries of many steps do not align. */
  jitter: z.boolean().default(false),
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

/**
 * A condition on earlier values: a `{{reference}}` that must be truthy, or a reference compared with a
 * literal. No expression is ever evaluated.
 */
export const conditionSchema = z.union([
  z.string().min(1),
  z.strictObject({
    value: z.string().min(1),
    equals: z.unknown().optional(),
    notEquals: z.unknown().optional(),
    in: z.array(z.unknown()).optional(),
  }),
]);
export type Condition = z.infer<typeof conditionSchema>;

const lockName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(:[1-9][0-9]{0,3})?$/, "use name or name:count, e.g. storefront or gpu:2");

const stepCommon = {
  id: stepId,
  name: z.string().max(200).optional(),
  needs: z.array(stepId).max(100).optional(),
  when: conditionSchema.optional(),
};

export const agentStepSchema = z.strictObject({
  ...stepCommon,
  type: z.literal("agent"),
  agent: z.string().min(1).max(64),
  input: z.unknown().optional(),
  retry: retryPolicySchema.optional(),
  timeoutMs: z.number().int().min(1).max(MAX_TIMEOUT_MS).optional(),
  locks: z.array(lockName).max(10).optional(),
  /** Called once the step's attempts are spent (or it failed for good): its output becomes the step's. */
  fallback: z
    .strictObject({
      agent: z.string().min(1).max(64),
      /** The fallback's own input; without it, the fallback gets the step's resolved input. */
      input: z.unknown().optional(),
    })
    .optional(),
  /** `continue`: a failed step stays failed, and the steps after it still run (they may read its error). */
  onError: z.enum(["fail", "continue"]).optional(),
  /** Fan-out: one run of the agent per item of the array `items` resolves to, outputs kept in order. */
  forEach: z
    .strictObject({
      items: z.string().min(1),
      concurrency: z.number().int().min(1).max(100).default(4),
    })
    .optional(),
});

export const approvalStepSchema = z.strictObject({
  ...stepCommon,
  type: z.literal("approval"),
  message: z.string().max(2000).optional(),
  timeoutMs: z.number().int().min(1).max(MAX_TIMEOUT_MS).optional(),
  onTimeout: z.enum(["approve", "reject"]).default("reject"),
});

export const pipelineStepSchema = z.strictObject({
  ...stepCommon,
  type: z.literal("pipeline"),
  template: z
    .string()
    .regex(TEMPLATE_ID_PATTERN, "use the id of a template: 1-64 lowercase letters, digits, '-' or '_'"),
  version: z.number().int().min(1).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  timeoutMs: z.number().int().min(1).max(MAX_TIMEOUT_MS).optional(),
});

/** `type` may be left out for agent steps, the common case; parsing fills it in. */
export const stepSchema = z.preprocess(
  (value) =>
    typeof value === "object" && value !== null && !Array.isArray(value) && !("type" in value)
      ? { ...value, type: "agent" }
      : value,
  z.discriminatedUnion("type", [agentStepSchema, approvalStepSchema, pipelineStepSchema]),
);
export type AgentStep = z.infer<typeof agentStepSchema>;
export type ApprovalStep = z.infer<typeof approvalStepSchema>;
export type PipelineStep = z.infer<typeof pipelineStepSchema>;
export type Step = z.infer<typeof stepSchema>;

/** A window such as `30s`, `15m`, `12h`, `30d`. */
export const windowPattern = /^([1-9][0-9]{0,5})(s|m|h|d)$/;

export const templateSchema = z.strictObject({
  id: z.string().regex(TEMPLATE_ID_PATTERN, "use 1-64 lowercase letters, digits, '-' or '_'"),
  name: z.string().min(1).max(200),
  description: z.string().max(5000).optional(),
  params: z
    .record(
      z.string().regex(PARAM_NAME_PATTERN, "use 1-64 letters, digits or '_', starting with a letter or '_'"),
      paramSpecSchema,
    )
    .default({}),
  steps: z.array(stepSchema).min(1).max(200),
  concurrency: z
    .strictObject({ limit: z.number().int().min(1).max(10_000), key: z.string().max(200).optional() })
    .optional(),
  rateLimit: z
    .strictObject({
      key: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(1_000_000),
      window: z.string().regex(windowPattern, "use a number and a unit, e.g. 30s, 15m, 12h, 30d"),
    })
    .optional(),
  priority: z.number().int().min(-100).max(100).default(0),
  budget: z.strictObject({ maxCostUsd: z.number().positive().max(1_000_000) }).optional(),
  schedule: z
    .strictObject({ cron: z.string().min(1).max(100), params: z.record(z.string(), z.unknown()).optional() })
    .optional(),
  /** `tool: true` makes the template an MCP tool of its own, its params the tool's input (docs/mcp.md). */
  mcp: z.strictObject({ tool: z.boolean() }).optional(),
});

/** A template after parsing: every default filled in. This is what is stored and executed. */
export type Template = z.infer<typeof templateSchema>;
