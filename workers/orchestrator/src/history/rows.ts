/** The rows an execution keeps in D1's history tables, as one handover to the history writer carries them. */
import type { AuditRow } from "../audit/record.ts";
import type { executions, logs, stepRuns, usage } from "../db/schema.ts";

export type ExecutionRow = typeof executions.$inferInsert;
export type StepRunRow = typeof stepRuns.$inferInsert;
export type UsageRow = typeof usage.$inferInsert;
export type LogRow = typeof logs.$inferInsert;
export type { AuditRow };

/** What one execution hands over at once: its summary row, the step rows that changed, new usage, audit entries and log lines. */
export interface HistoryRows {
  execution?: ExecutionRow;
  stepRuns?: StepRunRow[];
  usage?: UsageRow[];
  audit?: AuditRow[];
  logs?: LogRow[];
}
