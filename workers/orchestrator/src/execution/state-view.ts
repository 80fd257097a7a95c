/** The execution's state as the API and RPC show it, built from the core's state and the payloads it points at. */
import type { ExecutionState, StepState as StepView } from "#shared/execution.ts";
import { NO_RETRY } from "./backoff.ts";
import { type ExecutionCoreState, type OutputRef, type PayloadRef, publicStatus } from "./core/state.ts";

/** A forEach step's output is listed in the state only up to this many items (it is its items' outputs). */
const VIEW_OUTPUT_ITEMS = 1_000;

export interface PayloadReader {
  read(ref: PayloadRef): unknown;
  readItemOutputs(stepId: string, afterSeq: number, total: number): unknown[];
}

export function buildExecutionState(state: ExecutionCoreState, reader: PayloadReader, output: Record<string, unknown> | null): ExecutionState {
  const steps: StepView[] = state.template.steps.map((step) => {
    const s = state.steps[step.id]!;
    const fanOut = s.fanOut;
    return {
      id: step.id,
      type: step.type,
      agent: step.type === "agent" ? step.agent : null,
      status: s.status,
      attempt: s.attempt,
      maxAttempts: step.type === "agent" ? (step.retry ?? NO_RETRY).limit + 1 : 1,
      input: s.input === null ? null : step.type === "approval" ? { message: reader.read(s.input) } : (reader.read(s.input) ?? null),
      output: readOutput(reader, step.id, s.output),
      error: s.error,
      progress: s.progress,
      waitingFor: s.waitingFor,
      wakeAt: s.wakeAt,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      usage: s.usage,
      items: fanOut ? itemSummary(s.status, fanOut) : null,
      childExecutionId: s.childExecutionId,
      reusedFrom: s.reusedFrom ?? null,
      fallback: s.fallback ? { agent: s.fallback.agent, error: s.fallback.error } : null,
      ...(s.continued ? { continued: true } : {}),
    };
  });
  const { facts } = state;
  return {
    ...executionSummary(state),
    reason: state.reason,
    output,
    steps,
    lastEventSeq: state.seq,
    forkedFrom: facts.forkedFrom ?? null,
    forks: state.forks ?? [],
    startApproval: startApprovalView(state),
    continuedFailures: state.template.steps.filter((step) => state.steps[step.id]?.continued === true).map((step) => step.id),
  };
}

/** The approval the start waits for; an older snapshot knows only that it waits (see core/state.ts). */
function startApprovalView(state: ExecutionCoreState): ExecutionState["startApproval"] {
  if (state.startApproval === "pending") return { message: "", requestedAt: state.facts.createdAt };
  return state.startApproval;
}

/** What the API's state and the execution's history row (history-snapshot.ts) both say of it. */
export function executionSummary(state: ExecutionCoreState) {
  const { facts } = state;
  return {
    id: facts.id,
    templateId: facts.templateId,
    templateVersion: facts.templateVersion,
    status: publicStatus(state),
    params: facts.params,
    priority: state.priority,
    idempotencyKey: facts.idempotencyKey,
    parentExecutionId: facts.parent?.executionId ?? null,
    createdBy: facts.createdBy,
    createdAt: facts.createdAt,
    startedAt: state.startedAt,
    endedAt: state.endedAt,
    error: state.error,
    costUsd: state.costUsd,
  };
}

function readOutput(reader: PayloadReader, stepId: string, ref: OutputRef | null): unknown {
  if (ref === null) return null;
  if ("items" in ref) return ref.items <= VIEW_OUTPUT_ITEMS ? reader.readItemOutputs(stepId, ref.afterSeq, ref.items) : null;
  return reader.read(ref) ?? null;
}

function itemSummary(status: string, fanOut: NonNullable<ExecutionCoreState["steps"][string]["fanOut"]>): StepView["items"] {
  let running = 0;
  for (const item of Object.values(fanOut.active)) if (item.status === "running" || item.status === "retrying") running++;
  // Items a failed or cancelled step never started are neither done nor running.
  void status;
  return { total: fanOut.total, completed: fanOut.completed, failed: fanOut.failed, running };
}
