/**
 * Baton's runtime configuration (`GET/PUT /v1/config`): limits, budgets and the run mode. Changes take
 * effect without a restart. Every field has a default, so a fresh deployment needs no setup.
 */
import { z } from "zod";

export const runModes = ["auto", "approval", "manual"] as const;
export type RunMode = (typeof runModes)[number];

const fields = {
  /** Executions running at once, across all templates. */
  globalConcurrency: z.number().int().min(1).max(10_000),
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
};

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
  mcp: mcpConfigSchema.default(mcpConfigSchema.parse({})),
  triggers: triggersConfigSchema.default(triggersConfigSchema.parse({})),
});

export type BatonConfig = z.infer<typeof configSchema>;
export const defaultConfig: BatonConfig = configSchema.parse({});

/**
 * A change to the configuration: any subset of the fields; the others keep their values. The nested
 * groups (`mcp`, `triggers`) are merged field by field too.
 */
export const configPatchSchema = z
  .strictObject({ ...fields, mcp: mcpConfigSchema.partial(), triggers: triggersConfigSchema.partial() })
  .partial();
export type ConfigPatch = z.infer<typeof configPatchSchema>;
