/**
 * The shared zod schemas under the names the OpenAPI document gives them (`components/schemas`), so each
 * shape is described once and referenced by every route that uses it. The definitions stay in `shared/`;
 * `.openapi(name)` only returns a named copy.
 */
import { z } from "@hono/zod-openapi";
import {
  executionEventSchema,
  executionPageSchema,
  executionStateSchema,
  executionSummarySchema,
  logLineSchema,
  pendingApprovalSchema,
  startExecutionResponseSchema,
  forkExecutionSchema,
  forkExecutionResponseSchema,
  startExecutionSchema,
} from "#shared/api/executions.ts";
import {
  templateCheckSchema,
  templateRecordSchema,
  templateSaveResultSchema,
  templateSummarySchema,
  templateVersionSchema,
} from "#shared/api/templates.ts";
import { errorBodySchema, fieldIssueSchema } from "#shared/errors.ts";
import { templateSchema } from "#shared/template.ts";

export const ErrorBody = errorBodySchema.openapi("Error");
export const FieldIssue = fieldIssueSchema.openapi("FieldIssue");
export const Template = templateSchema.openapi("Template");
export const TemplateSummary = templateSummarySchema.openapi("TemplateSummary");
export const TemplateRecord = templateRecordSchema.openapi("TemplateRecord");
export const TemplateVersion = templateVersionSchema.openapi("TemplateVersion");
export const TemplateSaveResult = templateSaveResultSchema.openapi("TemplateSaveResult");
export const TemplateCheck = templateCheckSchema.openapi("TemplateCheck");
export const StartExecutionRequest = startExecutionSchema.openapi("StartExecutionRequest");
export const StartExecutionResponse = startExecutionResponseSchema.openapi("StartExecutionResponse");
export const ForkExecutionRequest = forkExecutionSchema.openapi("ForkExecutionRequest");
export const ForkExecutionResponse = forkExecutionResponseSchema.openapi("ForkExecutionResponse");
export const ExecutionState = executionStateSchema.openapi("ExecutionState");
export const ExecutionSummary = executionSummarySchema.openapi("ExecutionSummary");
// Built on the named summary so that the document refers to it instead of repeating it.
export const ExecutionPage = executionPageSchema.extend({ executions: z.array(ExecutionSummary) }).openapi("ExecutionPage");
export const ExecutionEvent = executionEventSchema.openapi("ExecutionEvent");
export const LogLine = logLineSchema.openapi("LogLine");
export const PendingApproval = pendingApprovalSchema.openapi("PendingApproval");
