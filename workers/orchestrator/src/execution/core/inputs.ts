/**
 * What an attempt works on: where its numbers live (the step, or one active forEach item) and its
 * input. An item's input is resolved afresh from the step's items each time, never stored apart from
 * the item's `step.started`; a whole step's input is read back from the event that recorded it.
 */
import type { AgentStep } from "#shared/template.ts";
import { resolveValue } from "../../templates/resolve.ts";
import type { ItemState, StepState } from "./state.ts";
import type { Turn } from "./turn.ts";

/** Where the attempt's numbers live: the step itself, or one of its active items. */
export function attemptTarget(turn: Turn, stepId: string, item: number | null): StepState | ItemState | undefined {
  const step = turn.state.steps[stepId];
  if (!step || item === null) return step;
  return step.fanOut?.active[item];
}

/** The input of the next attempt: resolved afresh for an item, read back for a whole step. */
export function attemptInput(turn: Turn, stepId: string, item: number | null): unknown {
  if (item !== null) return itemInput(turn, stepId, item);
  const fallbackInput = turn.step(stepId).fallback?.input;
  if (fallbackInput) return turn.read(fallbackInput);
  const ref = turn.step(stepId).input;
  return ref === null ? {} : turn.read(ref);
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
