/**
 * DAG readiness: which pending steps can start now, which are skipped because something they need was
 * skipped, and whether an execution has run out of things to do.
 */
import type { StepStatus } from "#shared/execution.ts";
import type { Step } from "#shared/template.ts";

export interface Readiness {
  /** Pending steps whose needs all completed (or were skipped, see `skipped`). */
  ready: Step[];
  /** Pending steps that needed a skipped step: skipping propagates down the graph. */
  skipped: { step: Step; reason: string }[];
}

export function readySteps(steps: readonly Step[], statusOf: (stepId: string) => StepStatus): Readiness {
  const ready: Step[] = [];
  const skipped: Readiness["skipped"] = [];
  for (const step of steps) {
    if (statusOf(step.id) !== "pending") continue;
    const needs = step.needs ?? [];
    const needStatuses = needs.map(statusOf);
    if (!needStatuses.every((s) => s === "completed" || s === "skipped")) continue;
    const skippedNeed = needs.find((_, i) => needStatuses[i] === "skipped");
    if (skippedNeed !== undefined) skipped.push({ step, reason: `needs "${skippedNeed}", which was skipped` });
    else ready.push(step);
  }
  return { ready, skipped };
}

const ACTIVE: ReadonlySet<StepStatus> = new Set(["running", "retrying", "waiting"]);

/**
 * What the execution as a whole is doing, from its steps. `settled` means nothing is active and nothing
 * can start: the execution is over, failed if any step failed.
 */
export function executionProgress(
  statuses: readonly StepStatus[],
  hasReadySteps: boolean,
): { state: "active"; waiting: boolean } | { state: "settled"; failed: boolean } {
  const active = statuses.filter((s) => ACTIVE.has(s));
  if (active.length > 0 || hasReadySteps) {
    return { state: "active", waiting: active.length > 0 && active.every((s) => s === "waiting") };
  }
  return { state: "settled", failed: statuses.some((s) => s === "failed" || s === "pending") };
}

/** Steps nothing depends on: their outputs are the execution's output. */
export function sinkSteps(steps: readonly Step[]): Step[] {
  const needed = new Set(steps.flatMap((s) => s.needs ?? []));
  return steps.filter((s) => !needed.has(s.id));
}
