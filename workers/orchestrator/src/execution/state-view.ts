/** The execution's state as the API and RPC show it, built from the engine's records. */
import type { ExecutionState, StepState } from "#shared/execution.ts";
import type { Template } from "#shared/template.ts";
import { NO_RETRY } from "./backoff.ts";
import { type ExecutionRecord, type StepRecord, WHOLE_STEP } from "./records.ts";

export function buildExecutionState(
  execution: ExecutionRecord,
  template: Template,
  records: ReadonlyMap<string, StepRecord>,
  lastEventSeq: number,
  output: Record<string, unknown> | null,
): ExecutionState {
  const steps: StepState[] = template.steps.map((step) => {
    const record = records.get(`${step.id}#${WHOLE_STEP}`);
    const items = record?.itemCount != null ? itemSummary(records, step.id, record.itemCount) : null;
    return {
      id: step.id,
      type: step.type,
      agent: step.type === "agent" ? step.agent : null,
      status: record?.status ?? "pending",
      attempt: record?.attempt ?? 0,
      maxAttempts: step.type === "agent" ? (step.retry ?? NO_RETRY).limit + 1 : 1,
      input: record?.input ?? null,
      output: record?.output ?? null,
      error: record?.error ?? null,
      progress: record?.progress ?? null,
      waitingFor: record?.waitingFor ?? null,
      wakeAt: record?.wakeAt ?? null,
      startedAt: record?.startedAt ?? null,
      endedAt: record?.endedAt ?? null,
      usage: record?.usage ?? { inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0 },
      items,
      childExecutionId: record?.childExecutionId ?? null,
    };
  });
  return {
    id: execution.id,
    templateId: execution.templateId,
    templateVersion: execution.templateVersion,
    status: execution.status,
    params: execution.params,
    priority: execution.priority,
    idempotencyKey: execution.idempotencyKey,
    parentExecutionId: execution.parent?.executionId ?? null,
    createdBy: execution.createdBy,
    createdAt: execution.createdAt,
    startedAt: execution.startedAt,
    endedAt: execution.endedAt,
    error: execution.error,
    reason: execution.reason,
    costUsd: execution.costUsd,
    output,
    steps,
    lastEventSeq,
  };
}

function itemSummary(records: ReadonlyMap<string, StepRecord>, stepId: string, count: number): StepState["items"] {
  const summary = { total: count, completed: 0, failed: 0, running: 0 };
  for (let i = 0; i < count; i++) {
    const status = records.get(`${stepId}#${i}`)?.status;
    if (status === "completed") summary.completed++;
    else if (status === "failed") summary.failed++;
    else if (status === "running" || status === "retrying") summary.running++;
  }
  return summary;
}
