/**
 * Baton's runtime configuration (`GET/PUT /v1/config`): limits, budgets and the run mode, and (below)
 * the allowed CORS origins and the webhook endpoints. Changes take
 * effect without a restart. Every field has a default, so a fresh deployment needs no setup.
 */
import { z } from "zod";
import { corsSettingsSchema } from "./api/cors.ts";
import { webhookSettingsInputSchema, webhookSettingsSchema } from "./api/webhooks.ts";

export const runModes = ["auto", "approval", "manual"] as const;
export type RunMode = (typeof runModes)[number];

const fields = {
  /** Executions running at once, across all templates. */
  globalConcurrency: z.number().int().min(1).max(1_000_000),
  /** `budget.maxCostUsd` for templates that set none; null for no limit. */
  defaultExecutionBudgetUsd: z.number().positive().max(1_000_000).nullable(),
  /** Total spend per UTC day; starts are refused once it is reached. Null for no limit. */
  dailyBudgetUsd: z.number().positive().max(10_000_000).nullable(),
  /** Spend per UTC day for single templates, by template id. */
  templateDailyBudgetsUsd: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/), z.number().positive().max(10_000_000)),
  /**
   * `auto`: schedules run; `approval`: every start, scheduled or manual, first waits for an admin's
   * approval; `manual`: schedules are paused (manual starts run).
   */
  mode: z.enum(runModes),
  /** Agents' log lines are kept this many days in the cross-execution log (`GET /v1/logs`). */
  logRetentionDays: z.number().int().min(1).max(3650),
  /**
   * OpenTelemetry export (docs/observability.md): with an `endpoint`, every execution that ends becomes
   * a trace sent over OTLP/HTTP JSON to `<endpoint>/v1/traces` (or to the endpoint itself when it ends
   * with `/v1/traces`); headers (API keys) come from the `OTEL_EXPORTER_OTLP_HEADERS` secret. Null: off.
   */
  otel: z.strictObject({
    endpoint: z
      .url({ protocol: /^https?$/, error: "use an http(s) URL such as https://api.honeycomb.io, or null to turn export off" })
      .max(2000)
      .nullable(),
    serviceName: z.string().trim().min(1).max(100).default("baton"),
  }),
  /**
   * What one execution may grow to, fixed for each execution when it starts: items per forEach step,
   * events it records, log lines per step, and bytes of one step's input or output as JSON (each is
   * stored in one row). A patch changes the fields it names and keeps the others.
   */
  limits: z.strictObject({
    itemsPerForEach: z.number().int().min(1).max(1_000_000),
    eventsPerExecution: z.number().int().min(100).max(10_000_000),
    logLinesPerStep: z.number().int().min(1).max(100_000),
    outputBytes: z.number().int().min(1_000).max(1_500_000),
  }),
  /**
   * Places per lock, by lock name: wins over what templates declare (`gpu:2`). A lock no entry names
   * keeps the capacity of its first declaration, whatever later templates say.
   */
  lockCapacities: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/), z.number().int().min(1).max(1000)),
  /**
   * Hosts Baton may call although the outbound policy refuses them (an agent on the operator's private
   * network, say): exact host names or IP addresses, as in the URL. See docs/security.md.
   */
  outboundAllowHosts: z
    .array(z.string().trim().toLowerCase().min(1).max(253).regex(/^[a-z0-9.:[\]_-]+$/, "a host name or IP address, as in a URL"))
    .max(100),
};

export const defaultOtelConfig = { endpoint: null, serviceName: "baton" };

export const defaultLimits = { itemsPerForEach: 100_000, eventsPerExecution: 1_000_000, logLinesPerStep: 1_000, outputBytes: 1_000_000 };

const templateId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/);

/** Starts made by AI assistants over MCP (`/mcp`). */
export const mcpConfigSchema = z.strictObject({
  /** Every execution an assistant starts waits for an admin's approval first (the start approval). */
  requireStartApproval: z.boolean().default(false),
  /** The templates an assistant may see and start; null for all of them. */
  templates: z.array(templateId).max(1000).nullable().default(null),
});
export type McpConfig = z.infer<typeof mcpConfigSchema>;

/** Events sent to inbound triggers (`POST /v1/triggers/:name/events`). */
export const triggersConfigSchema = z.strictObject({
  /** The largest event body a trigger accepts; bigger ones get 413 and nothing is stored. */
  maxEventBytes: z.number().int().min(1024).max(1024 * 1024).default(256 * 1024),
});
export type TriggersConfig = z.infer<typeof triggersConfigSchema>;

export const configSchema = z.strictObject({
  globalConcurrency: fields.globalConcurrency.default(50),
  defaultExecutionBudgetUsd: fields.defaultExecutionBudgetUsd.default(null),
  dailyBudgetUsd: fields.dailyBudgetUsd.default(null),
  templateDailyBudgetsUsd: fields.templateDailyBudgetsUsd.default({}),
  mode: fields.mode.default("auto"),
  logRetentionDays: fields.logRetentionDays.default(30),
  otel: fields.otel.default(defaultOtelConfig),
  limits: z
    .strictObject({
      itemsPerForEach: fields.limits.shape.itemsPerForEach.default(defaultLimits.itemsPerForEach),
      eventsPerExecution: fields.limits.shape.eventsPerExecution.default(defaultLimits.eventsPerExecution),
      logLinesPerStep: fields.limits.shape.logLinesPerStep.default(defaultLimits.logLinesPerStep),
      outputBytes: fields.limits.shape.outputBytes.default(defaultLimits.outputBytes),
    })
    .default(defaultLimits),
  lockCapacities: fields.lockCapacities.default({}),
  outboundAllowHosts: fields.outboundAllowHosts.default([]),
  mcp: mcpConfigSchema.default(mcpConfigSchema.parse({})),
  triggers: triggersConfigSchema.default(triggersConfigSchema.parse({})),
});

export type BatonConfig = z.infer<typeof configSchema>;
export const defaultConfig: BatonConfig = configSchema.parse({});

/**
 * A change to the configuration: any subset of the fields; the others keep their values. The nested
 * groups (`limits`, `mcp`, `triggers`) are merged field by field too.
 */
export const configPatchSchema = z
  .strictObject({ ...fields, limits: fields.limits.partial(), mcp: mcpConfigSchema.partial(), triggers: triggersConfigSchema.partial() })
  .partial();
export type ConfigPatch = z.infer<typeof configPatchSchema>;

/**
 * `GET /v1/config`: the limits above, plus the other keys of the configuration: the browser origins
 * allowed to call the API and the webhook endpoints (secrets shown as a hint). `/v1/cors` and
 * `/v1/webhooks` still answer for one key each.
 */
export const configViewSchema = configSchema.extend({ cors: corsSettingsSchema, webhooks: webhookSettingsSchema });
export type ConfigView = z.infer<typeof configViewSchema>;

/** `PUT /v1/config`: any subset of the limits, and `cors` or `webhooks` replaced whole. */
export const configUpdateSchema = configPatchSchema.extend({
  cors: corsSettingsSchema.optional(),
  webhooks: webhookSettingsInputSchema.optional(),
});
export type ConfigUpdate = z.input<typeof configUpdateSchema>;
