/** Shapes of the template endpoints' answers (`/v1/templates…`), shared by the API, the client and the console. */
import { z } from "zod";
import { fieldIssueSchema } from "../errors.ts";
import { templateSchema } from "../template.ts";

export const templateSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  latestVersion: z.number().int(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  archivedAt: z.number().int().nullable(),
});
export type TemplateSummary = z.infer<typeof templateSummarySchema>;

export const templateRecordSchema = templateSummarySchema.extend({
  /** The version shown in `definition` (the latest unless `?version=` asked for another). */
  version: z.number().int(),
  versionCreatedAt: z.number().int(),
  versionCreatedBy: z.string(),
  definition: templateSchema,
});
export type TemplateRecord = z.infer<typeof templateRecordSchema>;

export const templateVersionSchema = z.object({
  version: z.number().int(),
  createdAt: z.number().int(),
  createdBy: z.string(),
});
export type TemplateVersion = z.infer<typeof templateVersionSchema>;

export const templateSaveResultSchema = templateRecordSchema.extend({
  /** False when the saved definition equals the latest version, which is then kept as it is. */
  created: z.boolean(),
});
export type TemplateSaveResult = z.infer<typeof templateSaveResultSchema>;

/** A template as an author writes it, before defaults are applied (what saving and validating accept). */
export type TemplateDraft = z.input<typeof templateSchema>;

export const templateCheckSchema = z.object({
  valid: z.boolean(),
  issues: z.array(fieldIssueSchema),
  /** The template with its defaults applied, when it is valid. */
  template: templateSchema.optional(),
});
export type TemplateCheck = z.infer<typeof templateCheckSchema>;

const spreadSchema = z.object({ p50: z.number(), p90: z.number() });

/** `POST /v1/templates/:id/estimate`: expected cost and duration from history, per step and in total. */
export const templateEstimateSchema = z.object({
  templateId: z.string(),
  /** How many past executions the estimate rests on (0: no history, see `note`). */
  basedOn: z.number().int(),
  note: z.string().nullable(),
  costUsd: spreadSchema.nullable(),
  durationMs: spreadSchema.nullable(),
  steps: z.array(z.object({ stepId: z.string(), basedOn: z.number().int(), costUsd: spreadSchema, durationMs: spreadSchema })),
});
export type TemplateEstimate = z.infer<typeof templateEstimateSchema>;
