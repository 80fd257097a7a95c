/**
 * Moving the DAG on: after anything settles, start every step whose needs are met (skipping what a
 * skipped step or a false `when` rules out), and settle the execution once nothing is left to do.
 */
import type { ErrorInfo } from "#shared/execution.ts";
import type { Step } from "#shared/template.ts";
import { evaluateCondition } from "../../templates/conditions.ts";
import { resolveValue } from "../../templates/resolve.ts";
import { executionProgress, readySteps, sinkSteps } from "../plan.ts";
import { startAttempt } from "./attempts.ts";
import { startDueItems, startFanOut } from "./fan-out.ts";
import { failStep } from "./settle.ts";
import { ACTIVE_STEP } from "./state.ts";
import { type Turn, WHOLE_STEP } from "./turn.ts";
import { startApproval, startPipeline } from "./waits.ts";

const TERMINAL = new Set(["completed", "failed", "cancelled"]);

export function isOver(turn: Turn): boolean {
  return TERMINAL.has(turn.state.status);
}

/** Starts whatever can start, and settles the execution when nothing is left. */
export function pump(turn: Turn): void {
  const { state } = turn;
  if (state.status === "queued" || state.startApproval !== null || isOver(turn)) return;
  const canStart = () => state.status !== "paused" && state.failing === null;
  // A failed step the execution goes on past counts as done for what comes after it.
  const statusOf = (id: string) => {
    const step = state.steps[id];
    if (!step) return "pending";
    return step.status === "failed" && step.continued === true ? "completed" : step.status;
  };
  let hasReady = false;
  // Again only when something settled on the spot (a skip, a false `when`, a refused start).
  for (let again = true; again; ) {
    const settledBefore = countSettled(turn);
    const { ready, skipped } = readySteps(state.template.steps, statusOf);
    for (const { step, reason } of skipped) skip(turn, step, reason);
    hasReady = false;
    for (const step of ready) {
      if (!canStart()) {
        hasReady = true;
        break;
      }
      if (step.when !== undefined && !conditionHolds(turn, step)) continue;
      startStep(turn, step);
    }
    // A running fan-out finishes its items even once the execution is failing: that is how it settles.
    if (state.status !== "paused") startDueItems(turn);
    again = countSettled(turn) !== settledBefore;
  }
  if (state.status === "paused") return;
  const progress = executionProgress(
    state.template.steps.map((s) => statusOf(s.id)),
    canStart() && hasReady,
  );
  if (progress.state === "settled") {
    if (progress.failed) finish(turn, "failed", state.failing ?? firstStepError(turn), {});
    else finish(turn, "completed", null, {});
  }
}

function countSettled(turn: Turn): number {
  let settled = 0;
  for (const step of Object.values(turn.state.steps)) if (!ACTIVE_STEP.has(step.status) && step.status !== "pending") settled++;
  return settled;
}

function conditionHolds(turn: Turn, step: Step): boolean {
  try {
    if (evaluateCondition(step.when!, turn.scope())) return true;
    skip(turn, step, "its `when` condition is false");
  } catch (error) {
    failStep(turn, step.id, null, { code: "invalid_reference", message: `when: ${(error as Error).message}` });
  }
  return false;
}

function skip(turn: Turn, step: Step, reason: string): void {
  turn.emit("step.completed", { stepId: step.id, status: "skipped", reason });
}

function startStep(turn: Turn, step: Step): void {
  if (step.type === "approval") return startApproval(turn, step);
  if (step.type === "pipeline") return startPipeline(turn, step);
  if (step.forEach) return startFanOut(turn, step);
  let input: unknown;
  // A fork's first step may come with its input already given (stored with the fork's first event).
  const given = turn.step(step.id).input;
  if (given !== null) return startAttempt(turn, step, null, turn.read(given));
  try {
    input = resolveValue(step.input ?? {}, turn.scope());
  } catch (error) {
    return failStep(turn, step.id, null, { code: "invalid_reference", message: `input: ${(error as Error).message}` });
  }
  startAttempt(turn, step, null, input);
}

export function finish(turn: Turn, status: "completed" | "failed" | "cancelled", error: ErrorInfo | null, data: Record<string, unknown>): void {
  const { state } = turn;
  const output = status === "completed" ? executionOutput(turn) : null;
  const durationMs = turn.now - (state.startedAt ?? state.facts.createdAt);
  turn.emit(`execution.${status}`, { ...data, ...(error ? { error } : {}), ...(output ? { output } : {}), costUsd: state.costUsd, durationMs });
  turn.command({ type: "clear-alarm" });
  turn.volatile.dispatcherWatchesUntil = 0;
  turn.command({ type: "release" });
  if (state.facts.parent) turn.command({ type: "notify-parent" });
}

/** The outputs of the steps nothing depends on, by step id (only once the execution completed). */
export function executionOutput(turn: Turn): Record<string, unknown> {
  const output: Record<string, unknown> = {};
  for (const step of sinkSteps(turn.state.template.steps)) {
    if (turn.step(step.id).status === "completed") output[step.id] = turn.outputOf(step.id);
  }
  return output;
}

function firstStepError(turn: Turn): ErrorInfo {
  for (const step of turn.state.template.steps) {
    const state = turn.step(step.id);
    if (state.status === "failed" && state.error) return { code: state.error.code, message: `Step "${step.id}" failed: ${state.error.message}` };
  }
  return { code: "blocked", message: "Some steps could not run because a step they need did not complete." };
}

export { WHOLE_STEP };
