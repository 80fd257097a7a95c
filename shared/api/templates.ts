/** Shapes of the template endpoints' answers (`/v1/templates…`), shared by the API, the client and the console. */
import { z } from "zod";
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
