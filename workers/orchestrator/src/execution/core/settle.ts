/**
 * A step (or one forEach item) reaches its end: completed with an output and its usage charged, or
 * failed. An item's end rolls up into its forEach step here too: the first failed item fails the step,
 * the last completed one completes it, and in between the step reports its progress.
 */
import type { ErrorInfo, StepUsage } from "#shared/execution.ts";
import { releaseLocks } from "./locks.ts";
import { emptyUsage } from "./state.ts";
import { keyOf, stepData, type Turn } from "./turn.ts";

/** A coalesced `step.progress` of a forEach step goes out at most this often. */
const FAN_OUT_PROGRESS_MS = 250;
/** A forEach step's `step.completed` carries its items' outputs when there are at most this many, and they are small. */
const INLINE_OUTPUT_ITEMS = 1_000;
const INLINE_OUTPUT_BYTES = 256 * 1024;

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

/** An item settled: fail the step at the first failed item, complete it with the last, else report progress. */
function itemSettled(turn: Turn, stepId: string, failed?: { item: number; error: { code: string; message: string } }): void {
  const state = turn.step(stepId);
  const fanOut = state.fanOut;
  if (state.status !== "running" || !fanOut) return;
  if (failed) {
    for (const index of Object.keys(fanOut.active)) releaseLocks(turn, keyOf(stepId, Number(index)));
    turn.volatile.items.delete(stepId);
    return failStep(turn, stepId, null, { code: failed.error.code || "item_failed", message: `item ${failed.item} failed: ${failed.error.message}` });
  }
  if (fanOut.completed === fanOut.total) return completeFanOut(turn, stepId);
  if (turn.now - fanOut.progressAt >= FAN_OUT_PROGRESS_MS) {
    turn.emit("step.progress", { stepId, status: "running", current: fanOut.completed, total: fanOut.total });
  }
}

/** The last item of a forEach step settled: the step completes with its items' outputs (or their count). */
export function completeFanOut(turn: Turn, stepId: string): void {
  const fanOut = turn.step(stepId).fanOut!;
  const outputs = fanOut.total <= INLINE_OUTPUT_ITEMS ? turn.readItemOutputs(stepId, fanOut.startedSeq, fanOut.total) : null;
  // Otherwise the outputs stay in the items' events only; references and the state read them there.
  const inline = outputs !== null && JSON.stringify(outputs).length <= INLINE_OUTPUT_BYTES ? { output: outputs } : { outputItems: fanOut.total };
  turn.volatile.items.delete(stepId);
  turn.emit("step.completed", stepData(stepId, null, { status: "completed", attempt: 1, ...inline, usage: fanOut.usage ?? emptyUsage() }));
}
