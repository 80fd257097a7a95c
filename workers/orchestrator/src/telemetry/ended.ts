/**
 * The history writer's one call into tracing: executions whose ended status reached D1 go to the trace
 * exporter, and only while `otel.endpoint` is set (config is cached per isolate for a few seconds), so
 * Baton without OpenTelemetry pays nothing but that cached read.
 */
import { terminalExecutionStatuses, type ExecutionStatus } from "#shared/execution.ts";
import { loadConfig } from "../config/store.ts";
import { database } from "../db/client.ts";
import { traceExporter } from "./trace-exporter-do.ts";

export function endedExecutions(rows: readonly { table: string; executionId: string; row: Record<string, unknown> }[]): string[] {
  return rows
    .filter((pending) => pending.table === "executions" && terminalExecutionStatuses.has(pending.row.status as ExecutionStatus))
    .map((pending) => pending.executionId);
}

export async function announceEnded(env: Env, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  try {
    if (!(await loadConfig(database(env.DB))).otel.endpoint) return;
    await traceExporter(env).executionsEnded(ids);
  } catch (error) {
    console.error("ended executions were not handed to the trace exporter; their traces are not exported", error);
  }
}
