/**
 * forEach steps: one step fanned out over the items of a list, at most `concurrency` at a time. It keeps
 * counters and the items in flight, never a record per item, so settling an item costs the same at the
 * 100,000th as at the first. Item inputs are resolved when the item starts, never stored apart from
 * the item's `step.started`.
 */
import type { AgentStep } from "#shared/template.ts";
import { resolveValue } from "../../templates/resolve.ts";
import { startAttempt, stepData } from "./attempts.ts";
import { releaseLocks } from "./locks.ts";
import { failStep } from "./settle.ts";
import { emptyUsage } from "./state.ts";
import { keyOf, type Turn } from "./turn.ts";

/** A coalesced `step.progress` of a forEach step goes out at most this often. */
export const FAN_OUT_PROGRESS_MS = 250;
/** A forEach step's `step.completed` carries its items' outputs when there are at most this many, and they are small. */
const INLINE_OUTPUT_ITEMS = 1_000;
const INLINE_OUTPUT_BYTES = 256 * 1024;

export function startFanOut(turn: Turn, step: AgentStep): void {
  let items: unknown;
  try {
    items = resolveValue(step.forEach!.items, turn.scope());
  } catch (error) {
    return failStep(turn, step.id, null, { code: "invalid_reference", message: `forEach.items: ${(error as Error).message}` });
  }
  if (!Array.isArray(items)) {
    return failStep(turn, step.id, null, { code: "invalid_items", message: `forEach.items resolved to ${typeof items}, not an array.` });
  }
  const limit = turn.state.facts.limits.itemsPerForEach;
  if (items.length > limit) {
    return failStep(turn, step.id, null, {
      code: "limit_exceeded",
      message: `forEach.items has ${items.length} items, over limits.itemsPerForEach (${limit}); raise it in /v1/config or split the list.`,
    });
  }
  turn.volatile.items.set(step.id, items);
  turn.emit("step.started", { stepId: step.id, status: "running", attempt: 1, agent: step.agent, items: items.length });
  if (items.length === 0) completeFanOut(turn, step.id);
}

/** The resolved items of a running forEach step (resolved again after a restart: outputs never change). */
function itemsOf(turn: Turn, stepId: string): unknown[] {
  const known = turn.volatile.items.get(stepId);
  if (known) return known;
  const step = turn.stepsById.get(stepId) as AgentStep;
  const items = resolveValue(step.forEach!.items, turn.scope()) as unknown[];
  turn.volatile.items.set(stepId, items);
  return items;
}

export function itemInput(turn: Turn, stepId: string, index: number): unknown {
  const step = turn.stepsById.get(stepId) as AgentStep;
  return resolveValue(step.input ?? {}, turn.scope({ item: itemsOf(turn, stepId)[index], index }));
}

/** Starts pending items of running forEach steps while their caps allow. */
export function startDueItems(turn: Turn): void {
  for (const step of turn.state.template.steps) {
    if (step.type !== "agent" || !step.forEach) continue;
    const state = turn.step(step.id);
    const fanOut = state.fanOut;
    if (state.status !== "running" || !fanOut) continue;
    let busy = Object.keys(fanOut.active).length;
    while (busy < step.forEach.concurrency && fanOut.nextIndex < fanOut.total && turn.step(step.id).status === "running") {
      const index = fanOut.nextIndex;
      let input: unknown;
      try {
        input = itemInput(turn, step.id, index);
      } catch (error) {
        failStep(turn, step.id, index, { code: "invalid_reference", message: `input (item ${index}): ${(error as Error).message}` });
        continue;
      }
      startAttempt(turn, step, index, input);
      // Every start emits an event that moves nextIndex on; guard against one that did not.
      if (fanOut.nextIndex === index) break;
      busy++;
    }
  }
}

/** An item settled: fail the step at the first failed item, complete it with the last, else report progress. */
export function itemSettled(turn: Turn, stepId: string, failed?: { item: number; error: { code: string; message: string } }): void {
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

function completeFanOut(turn: Turn, stepId: string): void {
  const fanOut = turn.step(stepId).fanOut!;
  const outputs = fanOut.total <= INLINE_OUTPUT_ITEMS ? turn.readItemOutputs(stepId, fanOut.startedSeq, fanOut.total) : null;
  // Otherwise the outputs stay in the items' events only; references and the state read them there.
  const inline = outputs !== null && JSON.stringify(outputs).length <= INLINE_OUTPUT_BYTES ? { output: outputs } : { outputItems: fanOut.total };
  turn.volatile.items.delete(stepId);
  turn.emit("step.completed", stepData(stepId, null, { status: "completed", attempt: 1, ...inline, usage: fanOut.usage ?? emptyUsage() }));
}
