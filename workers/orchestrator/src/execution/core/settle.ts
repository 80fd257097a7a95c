/** A step (or one forEach item) reaches its end: completed with an output and its usage charged, or failed. */
import type { ErrorInfo, StepUsage } from "#shared/execution.ts";
import { stepData } from "./attempts.ts";
import { itemSettled } from "./fan-out.ts";
import { releaseLocks } from "./locks.ts";
import { keyOf, type Turn } from "./turn.ts";

export function completeStep(turn: Turn, stepId: string, item: number | null, output: unknown, usage: StepUsage): void {
  const target = item === null ? turn.step(stepId) : turn.step(stepId).fanOut?.active[item];
  const startedAt = item === null ? turn.step(stepId).startedAt : null;
  const attempt = target?.attempt ?? 0;
  turn.emit(
    "step.completed",
    stepData(stepId, item, { status: "completed", attempt, output, ...(startedAt !== null ? { durationMs: turn.now - startedAt } : {}) }),
  );
  if (item === null) turn.volatile.outputs.set(stepId, output);
  charge(turn, stepId, item, attempt, usage);
  if (item !== null) itemSettled(turn, stepId);
}

export function failStep(turn: Turn, stepId: string, item: number | null, error: ErrorInfo): void {
  const target = item === null ? turn.step(stepId) : turn.step(stepId).fanOut?.active[item];
  releaseLocks(turn, keyOf(stepId, item));
  turn.volatile.wakeAt.delete(keyOf(stepId, item));
  const step = turn.stepsById.get(stepId);
  // `onError: "continue"`: the step stays failed, and the execution goes on past it.
  const continued = item === null && step?.type === "agent" && step.onError === "continue";
  turn.emit("step.failed", stepData(stepId, item, { status: "failed", attempt: target?.attempt ?? 0, error, ...(continued ? { continued: true } : {}) }));
  if (item !== null) itemSettled(turn, stepId, { item, error });
}

function charge(turn: Turn, stepId: string, item: number | null, attempt: number, usage: StepUsage): void {
  if (usage.costUsd === 0 && usage.inputTokens === 0 && usage.outputTokens === 0 && usage.cachedTokens === 0) return;
  const step = turn.stepsById.get(stepId);
  const totalCostUsd = turn.state.costUsd + usage.costUsd;
  turn.emit("usage.updated", stepData(stepId, item, { usage, totalCostUsd }));
  turn.command({ type: "usage", stepId, item, attempt, agent: step?.type === "agent" ? (turn.step(stepId).fallback?.agent ?? step.agent) : (step?.type ?? "unknown"), usage });
}
