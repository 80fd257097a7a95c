/**
 * One attempt of an agent step (or of one forEach item): the budget check, the step's locks, the
 * agent's readiness, and the call itself; then, when the call settles, completing, retrying or failing.
 */
import type { ErrorInfo } from "#shared/execution.ts";
import type { AgentStep } from "#shared/template.ts";
import { type AttemptOutcome, DEFAULT_STEP_TIMEOUT_MS } from "../agent-call.ts";
import { hasAttemptsLeft, NO_RETRY, retryDelayMs } from "../backoff.ts";
import { resolveValue } from "../../templates/resolve.ts";
import { attemptInput, attemptTarget } from "./inputs.ts";
import { acquireNextLock, missingLocks, releaseLocks } from "./locks.ts";
import { completeStep, failStep } from "./settle.ts";
import { keyOf, stepData, type Turn } from "./turn.ts";

export function startAttempt(turn: Turn, step: AgentStep, item: number | null, input: unknown): void {
  const { state, volatile } = turn;
  const target = attemptTarget(turn, step.id, item);
  const key = keyOf(step.id, item);
  if (state.facts.budgetUsd !== null && state.costUsd >= state.facts.budgetUsd) {
    return failStep(turn, step.id, item, {
      code: "budget_exceeded",
      message: `Spent $${state.costUsd.toFixed(4)} of the $${state.facts.budgetUsd.toFixed(4)} budget; no further step starts.`,
    });
  }
  const inputSize = jsonSize(input);
  if (inputSize > state.facts.limits.outputBytes) {
    return failStep(turn, step.id, item, {
      code: "input_too_large",
      message: `The input is ${inputSize} bytes of JSON, over limits.outputBytes (${state.facts.limits.outputBytes}), which bounds what one step stores.`,
    });
  }
  const missing = missingLocks(turn, step, key);
  if (missing.length > 0) return acquireNextLock(turn, step, item, missing, unstoredInput(turn, step.id, item, input));
  const fallback = item === null ? (turn.step(step.id).fallback ?? null) : null;
  const agent = fallback?.agent ?? step.agent;
  const readiness = turn.ctx.prepareAgent(agent, input);
  if (readiness.kind === "fail") {
    releaseLocks(turn, key);
    return failedForGood(turn, step, item, readiness.error);
  }
  if (readiness.kind === "wait") {
    // Waiting on the agent itself (e.g. its circuit is open) does not use up an attempt.
    volatile.wakeAt.set(key, readiness.retryAt);
    if (target?.status !== "waiting" || target.waitingFor !== readiness.reason) {
      turn.emit("step.progress", stepData(step.id, item, { status: "waiting", waitingFor: readiness.reason, wakeAt: readiness.retryAt, ...unstoredInput(turn, step.id, item, input) }));
    }
    return;
  }
  volatile.wakeAt.delete(key);
  const attempt = (target?.attempt ?? 0) + 1;
  const timeoutMs = step.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const deadline = turn.now + timeoutMs;
  const idempotencyKey =
    item !== null ? `${state.facts.id}:${step.id}:${item}` : fallback ? `${state.facts.id}:${step.id}:fallback` : `${state.facts.id}:${step.id}`;
  // The input is stored once: with the first attempt of a run (a step's later attempts read it back).
  const withInput = item === null ? turn.step(step.id).input === null : attempt === 1;
  turn.emit(
    "step.started",
    stepData(step.id, item, { status: "running", attempt, agent, idempotencyKey, deadlineAt: deadline, ...(withInput ? { input } : {}) }),
  );
  turn.command({ type: "call-agent", key, stepId: step.id, item, attempt, agent, input, idempotencyKey, deadline, timeoutMs, handle: readiness.handle });
}

export function attemptSettled(turn: Turn, key: string, stepId: string, item: number | null, attempt: number, outcome: AttemptOutcome): void {
  const target = attemptTarget(turn, stepId, item);
  if (!target || target.status !== "running" || target.attempt !== attempt) return;
  releaseLocks(turn, key);
  const step = turn.stepsById.get(stepId);
  if (step?.type !== "agent") return;
  if (!outcome.ok) return attemptFailed(turn, step, item, outcome.error, outcome.retryable, false);
  const { output, usage } = outcome.result;
  const limit = turn.state.facts.limits.outputBytes;
  const size = jsonSize(output);
  if (size > limit) {
    const message = `The output is ${size} bytes of JSON, over limits.outputBytes (${limit}); return less, or store it elsewhere and return a reference.`;
    return attemptFailed(turn, step, item, { code: "output_too_large", message }, false, false);
  }
  completeStep(turn, stepId, item, output, {
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cachedTokens: usage?.cachedTokens ?? 0,
    costUsd: usage?.costUsd ?? 0,
  });
}

/** A failed attempt: retry while the policy allows (an interrupted one always may), else fail the step. */
export function attemptFailed(turn: Turn, step: AgentStep, item: number | null, error: ErrorInfo, retryable: boolean, interrupted: boolean): void {
  const target = attemptTarget(turn, step.id, item);
  if (!target) return;
  const policy = step.retry ?? NO_RETRY;
  const attemptsThisRun = target.attempt - target.attemptBase - (interrupted ? 1 : 0);
  // A fallback gets one attempt (one cut short by a restart is made again).
  const inFallback = item === null && (turn.step(step.id).fallback ?? null) !== null;
  if (inFallback && !interrupted) return failStep(turn, step.id, item, error);
  if (!inFallback && (!retryable || !hasAttemptsLeft(policy, attemptsThisRun))) return failedForGood(turn, step, item, error);
  const delay = interrupted ? 0 : retryDelayMs(policy, Math.max(attemptsThisRun, 1), turn.random);
  const nextAttemptAt = turn.now + delay;
  turn.emit(
    "step.retrying",
    stepData(step.id, item, { status: "retrying", attempt: target.attempt, error, nextAttemptAt, delayMs: delay, ...(interrupted ? { interrupted: true } : {}) }),
  );
  if (delay <= 0 && turn.state.status !== "paused") startAttempt(turn, step, item, attemptInput(turn, step.id, item));
}

/**
 * The step's own agent is done trying: its fallback agent (if it has one, and it has not run yet) takes
 * over, with its own input or the step's; otherwise the step fails.
 */
function failedForGood(turn: Turn, step: AgentStep, item: number | null, error: ErrorInfo): void {
  const stepState = turn.step(step.id);
  if (item !== null || !step.fallback || (stepState.fallback ?? null) !== null) return failStep(turn, step.id, item, error);
  const own = step.fallback.input !== undefined;
  let input: unknown;
  try {
    input = own ? resolveValue(step.fallback.input, turn.scope()) : attemptInput(turn, step.id, null);
  } catch (cause) {
    return failStep(turn, step.id, null, { code: "invalid_reference", message: `fallback.input: ${(cause as Error).message}` });
  }
  turn.emit("step.fallback", stepData(step.id, null, { status: "retrying", attempt: stepState.attempt, agent: step.fallback.agent, error, ...(own ? { input } : {}) }));
  if (turn.state.status !== "paused") startAttempt(turn, step, null, input);
}

/** A step that waits before its first attempt keeps its resolved input with the wait, or it would be lost. */
function unstoredInput(turn: Turn, stepId: string, item: number | null, input: unknown): { input?: unknown } {
  return item === null && turn.step(stepId).input === null ? { input } : {};
}

function jsonSize(value: unknown): number {
  if (value === undefined) return 0;
  const text = JSON.stringify(value);
  return text === undefined ? 0 : text.length;
}
