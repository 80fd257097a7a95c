/**
 * An execution's state cut to what fits an assistant's context: step inputs are left out, and any value
 * longer than a few kilobytes of JSON is replaced by its beginning. The answer says what was left out,
 * so the assistant knows to ask the API (or the console) for the whole of it.
 */
import type { ExecutionState } from "#shared/execution.ts";

/** The most JSON characters one value (a param set, an output, an error) may take. */
export const MAX_VALUE_CHARS = 2_000;
/** The most steps listed; the rest are counted by status. */
export const MAX_STEPS = 50;

export interface TrimmedExecution {
  id: string;
  template: string;
  status: ExecutionState["status"];
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  costUsd: number;
  error: ExecutionState["error"];
  reason: string | null;
  params: unknown;
  output: unknown;
  steps: Array<{
    id: string;
    status: string;
    agent: string | null;
    attempt: number;
    waitingFor?: string;
    progress?: unknown;
    output?: unknown;
    error?: unknown;
  }>;
  leftOut: string[];
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** The value itself when small; else a note with the JSON's beginning, and a line in `leftOut`. */
function fit(value: unknown, where: string, leftOut: string[]): unknown {
  const json = JSON.stringify(value);
  if (json === undefined || json.length <= MAX_VALUE_CHARS) return value;
  leftOut.push(`${where}: ${json.length} characters of JSON, cut to the first ${MAX_VALUE_CHARS}`);
  return { truncated: true, jsonStart: json.slice(0, MAX_VALUE_CHARS) };
}

export function trimExecution(state: ExecutionState): TrimmedExecution {
  const leftOut: string[] = ["steps[].input (what each step was given)"];
  const shown = state.steps.slice(0, MAX_STEPS);
  if (state.steps.length > MAX_STEPS) {
    const counts = new Map<string, number>();
    for (const step of state.steps.slice(MAX_STEPS)) counts.set(step.status, (counts.get(step.status) ?? 0) + 1);
    const byStatus = [...counts].map(([status, n]) => `${n} ${status}`).join(", ");
    leftOut.push(`${state.steps.length - MAX_STEPS} more steps (${byStatus})`);
  }
  return {
    id: state.id,
    template: `${state.templateId} v${state.templateVersion}`,
    status: state.status,
    createdBy: state.createdBy,
    createdAt: iso(state.createdAt) ?? "",
    startedAt: iso(state.startedAt),
    endedAt: iso(state.endedAt),
    costUsd: state.costUsd,
    error: state.error,
    reason: state.reason,
    params: fit(state.params, "params", leftOut),
    output: fit(state.output, "output", leftOut),
    steps: shown.map((step) => ({
      id: step.id,
      status: step.status,
      agent: step.agent,
      attempt: step.attempt,
      ...(step.waitingFor !== null ? { waitingFor: step.waitingFor } : {}),
      ...(step.progress !== null && step.status === "running" ? { progress: step.progress } : {}),
      ...(step.output !== null && step.output !== undefined ? { output: fit(step.output, `steps.${step.id}.output`, leftOut) } : {}),
      ...(step.error !== null ? { error: fit(step.error, `steps.${step.id}.error`, leftOut) } : {}),
    })),
    leftOut,
  };
}
