/**
 * Shapes of `GET /v1/logs`: agents' log lines across executions, newest first, filtered by level,
 * template, execution, text and time, paged with an opaque cursor; `after` follows new lines instead.
 */
import { z } from "zod";
import { logLevels } from "./executions.ts";

export const logEntrySchema = z.object({
  /** Arrival order across all executions: pass the newest as `after` to follow. */
  id: z.number().int(),
  executionId: z.string(),
  templateId: z.string().nullable(),
  stepId: z.string(),
  item: z.number().int().nullable(),
  attempt: z.number().int(),
  level: z.enum(logLevels),
  message: z.string(),
  at: z.number().int(),
});
export type LogEntry = z.infer<typeof logEntrySchema>;

export const logSearchPageSchema = z.object({
  logs: z.array(logEntrySchema),
  /** Pass as `cursor` for older lines; null at the oldest. (With `after`: always null.) */
  nextCursor: z.string().nullable(),
});
export type LogSearchPage = z.infer<typeof logSearchPageSchema>;

export interface LogSearch {
  /** This level and above: `warn` gives warn and error. */
  level?: (typeof logLevels)[number];
  template?: string;
  execution?: string;
  /** Text the message contains (case-insensitive for ASCII). */
  q?: string;
  since?: number;
  until?: number;
  cursor?: string;
  /** Lines that arrived after the line with this id, oldest first (for following). */
  after?: number;
  limit?: number;
}
