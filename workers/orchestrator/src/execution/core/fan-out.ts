/**
 * forEach steps: one step fanned out over the items of a list, at most `concurrency` at a time. The
 * step keeps counters and the items in flight, never a record per item, so starting (here) and settling
 * (settle.ts) an item cost the same at the 100,000th as at the first. Item inputs are resolved when the
 * item starts (inputs.ts), never stored apart from the item's `step.started`.
 */
import type { AgentStep } from "#shared/template.ts";
import { resolveValue } from "../../templates/resolve.ts";
import { startAttempt } from "./attempts.ts";
import { itemInput } from "./inputs.ts";
import { completeFanOut, failStep } from "./settle.ts";
import type { Turn } from "./turn.ts";

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
