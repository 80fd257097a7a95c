/**
 * What the history rows in D1 say of an execution (its row, and the rows of the steps that changed), built
 * from the core's state alone, as state-view.ts builds what the API shows. The shell hands it over to the
 * control shard's history writer (handovers.ts).
 */
import { terminalStepStatuses } from "#shared/execution.ts";
import type { ExecutionCoreState } from "./core/state.ts";
import type { HistorySnapshot } from "./handovers.ts";
import { executionSummary } from "./state-view.ts";

export function historySnapshotOf(state: ExecutionCoreState): HistorySnapshot {
  const { facts } = state;
  const steps = state.template.steps;
  return {
    execution: {
      ...executionSummary(state),
      concurrencyKey: facts.concurrencyKey,
      rateKey: facts.rateKey,
      stepsTotal: steps.length,
      stepsDone: steps.filter((s) => terminalStepStatuses.has(state.steps[s.id]!.status)).length,
    },
    stepRuns: (ids) =>
      steps
        .filter((step) => ids.includes(step.id))
        .map((step) => {
          const s = state.steps[step.id]!;
          return {
            executionId: facts.id,
            stepId: step.id,
            type: step.type,
            agent: step.type === "agent" ? step.agent : null,
            status: s.status,
            waitingFor: s.waitingFor,
            attempts: s.attempt,
            startedAt: s.startedAt,
            endedAt: s.endedAt,
            durationMs: s.startedAt !== null && s.endedAt !== null ? s.endedAt - s.startedAt : null,
            costUsd: s.usage.costUsd,
            error: s.error ? `${s.error.code}: ${s.error.message}` : null,
          };
        }),
  };
}
