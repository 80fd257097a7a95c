/**
 * Executions stored by the first layout (a `steps` table of whole records beside an `events` table of one
 * row per event) keep working after an upgrade: the first load converts them in one transaction. Their
 * event log already says everything the fold needs, so the conversion moves the events into the turn
 * log as they are and keeps what never changes in the meta row; the old step records are dropped.
 */
import type { Template } from "#shared/template.ts";
import { DEFAULT_LIMITS } from "./core/limits.ts";
import type { ExecutionFacts } from "./core/state.ts";

/** The execution record of the first layout, as far as the new one needs it: the facts, and then some. */
type LegacyExecution = Omit<ExecutionFacts, "limits" | "budgetUsd"> & { priority: number; budgetUsd?: number | null };

export function migrateLegacyLayout(sql: SqlStorage, schema: string): void {
  const meta = (key: string) => sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value;
  const executionJson = meta("execution");
  const templateJson = meta("template");
  if (executionJson === undefined || templateJson === undefined) return;
  const execution = JSON.parse(executionJson) as LegacyExecution;
  const { id, templateId, templateVersion, params, idempotencyKey, concurrencyKey, rateKey, parent, createdBy, createdAt } = execution;
  const facts: ExecutionFacts = {
    ...{ id, templateId, templateVersion, params, idempotencyKey, concurrencyKey, rateKey, parent, createdBy, createdAt },
    budgetUsd: execution.budgetUsd ?? null,
    limits: DEFAULT_LIMITS,
  };
  sql.exec(schema);
  sql.exec(
    "INSERT OR REPLACE INTO meta (key, value) VALUES ('run', ?)",
    JSON.stringify({ facts, template: JSON.parse(templateJson) as Template, priority: execution.priority }),
  );
  sql.exec(
    `INSERT INTO log (first, last, events)
     SELECT seq, seq, json_array(json_object('seq', seq, 'type', type, 'at', at, 'data', json(data))) FROM events ORDER BY seq`,
  );
  sql.exec("DROP TABLE IF EXISTS events");
  sql.exec("DROP TABLE IF EXISTS steps");
  sql.exec("DELETE FROM meta WHERE key IN ('execution', 'template')");
}
