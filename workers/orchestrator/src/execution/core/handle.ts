/**
 * The core's entry points: create an execution, and handle one input. Each returns the events to store
 * (already folded into the state) and the commands for the shell to carry out, in order; a control
 * input that does not apply returns a rejection instead and changes nothing.
 */
import type { LogLevel } from "#shared/agent.ts";
import type { AgentStep, Template } from "#shared/template.ts";
import { NEW_EXECUTION_WATCH_MS } from "../../dispatcher/watch-list.ts";
import { attemptSettled, startAttempt } from "./attempts.ts";
import { attemptInput, attemptTarget } from "./inputs.ts";
import type { CoreEvent } from "./apply.ts";
import { control } from "./control.ts";
import type { ControlInput, CoreCommand, CoreContext, CoreInput, Rejection } from "./io.ts";
import { lockBusy, lockGranted } from "./locks.ts";
import { finish, isOver, pump } from "./pump.ts";
import { START_APPROVAL_STEP } from "#shared/execution.ts";
import { type ExecutionCoreState, type ExecutionFacts, type ForkSeed, initialState } from "./state.ts";
import { nextAlarm, restarted, timerFired } from "./timers.ts";
import { freshVolatile, parseKey, stepData, Turn, type Volatile } from "./turn.ts";
import { childSettled, childStarted, childStartFailed } from "./waits.ts";

export interface TurnResult {
  events: CoreEvent[];
  commands: CoreCommand[];
  rejection?: Rejection;
}

const LOG_LEVELS: ReadonlySet<string> = new Set<LogLevel>(["debug", "info", "warn", "error"]);
const isLogLevel = (level: string): level is LogLevel => LOG_LEVELS.has(level);
const MAX_LOG_MESSAGE = 4000;

export function createExecution(
  facts: ExecutionFacts,
  template: Template,
  priority: number,
  requiresStartApproval: boolean,
  ctx: CoreContext,
  fork?: ForkSeed,
): { state: ExecutionCoreState; volatile: Volatile } & TurnResult {
  const state = initialState(facts, template, priority);
  const volatile = freshVolatile();
  const turn = new Turn(state, volatile, ctx);
  const forked = fork
    ? { forkedFrom: { executionId: fork.executionId, stepId: fork.stepId }, fromStep: fork.stepId, ...(fork.input !== undefined ? { input: fork.input } : {}) }
    : {};
  turn.emit("execution.queued", { templateId: facts.templateId, version: facts.templateVersion, priority, ...forked });
  // A fork's steps before its first one are the origin's outputs, stored once here: no agent runs for them.
  for (const [stepId, output] of Object.entries(fork?.reused ?? {})) {
    if (!state.steps[stepId]) continue;
    turn.emit("step.completed", { stepId, status: "completed", attempt: 0, output, reusedFrom: fork!.executionId });
  }
  if (requiresStartApproval) {
    turn.emit("approval.required", { stepId: START_APPROVAL_STEP, message: `Start "${template.name}"?`, timeoutAt: null, onTimeout: null });
  } else {
    turn.command({ type: "enqueue" });
  }
  return { state, volatile, events: turn.events, commands: turn.commands };
}

export function handle(state: ExecutionCoreState, volatile: Volatile, input: CoreInput, ctx: CoreContext): TurnResult {
  const turn = new Turn(state, volatile, ctx);
  const rejection = dispatch(turn, input);
  if (rejection) return { events: [], commands: [], rejection };
  enforceEventLimit(turn);
  const at = nextAlarm(turn);
  if (at !== null) turn.command({ type: "alarm-by", at });
  return { events: turn.events, commands: turn.commands };
}

function dispatch(turn: Turn, input: CoreInput): Rejection | undefined {
  switch (input.type) {
    case "cancel":
    case "pause":
    case "resume":
    case "retry":
    case "set-priority":
    case "approval":
      return control(turn, input);
    default:
      react(turn, input);
      return undefined;
  }
}

function react(turn: Turn, input: Exclude<CoreInput, ControlInput>): void {
  switch (input.type) {
    case "enqueued":
      if (input.admitted) admit(turn);
      return;
    case "admitted":
      return admit(turn);
    case "watch":
      turn.volatile.dispatcherWatchesUntil = 0;
      return;
    case "attempt-settled": {
      const { stepId, item } = parseKey(input.key);
      attemptSettled(turn, input.key, stepId, item, input.attempt, input.outcome);
      return pump(turn);
    }
    case "progress":
      return progress(turn, input.key, input.attempt, input.progress);
    case "log":
      return log(turn, input.key, input.attempt, input.level, input.message);
    case "lock-granted": {
      if (!lockGranted(turn, input.key, input.name) || turn.state.status === "paused") return;
      const { stepId, item } = parseKey(input.key);
      const step = turn.stepsById.get(stepId) as AgentStep;
      startAttempt(turn, step, item, attemptInput(turn, stepId, item));
      return pump(turn);
    }
    case "lock-busy":
      return lockBusy(turn, input.key, input.name, input.position, input.heldBy);
    case "lock-failed":
      turn.volatile.acquiring.delete(input.key);
      return;
    case "child-started":
      return childStarted(turn, input.stepId, input.childId);
    case "child-start-failed":
      childStartFailed(turn, input.stepId, input.message);
      return pump(turn);
    case "child-settled":
      childSettled(turn, input.stepId, input.child);
      return pump(turn);
    case "timer":
      return timerFired(turn);
    case "restarted":
      return restarted(turn);
    case "forked":
      turn.emit("execution.forked", { executionId: input.forkId, stepId: input.stepId });
      return;
    case "stream":
      return stream(turn, input.key, input.attempt, input.chunk, input.index);
  }
}

function admit(turn: Turn): void {
  const { state } = turn;
  if (state.status === "queued") {
    turn.volatile.dispatcherWatchesUntil = turn.now + NEW_EXECUTION_WATCH_MS;
    turn.emit("execution.started", {});
    return pump(turn);
  }
  // Cancelled or paused meanwhile: give the place back.
  if (state.status !== "running" && state.status !== "waiting") turn.command({ type: "release" });
}

function progress(turn: Turn, key: string, attempt: number, value: { current: number; total: number; message?: string }): void {
  const { stepId, item } = parseKey(key);
  const target = attemptTarget(turn, stepId, item);
  if (!target || target.status !== "running" || target.attempt !== attempt) return;
  const current = Number(value?.current);
  const total = Number(value?.total);
  if (!Number.isFinite(current) || !Number.isFinite(total)) return;
  const message = typeof value.message === "string" ? value.message.slice(0, 500) : undefined;
  turn.emit("step.progress", stepData(stepId, item, { status: "running", current, total, ...(message !== undefined ? { message } : {}), attempt }));
}

/** A coalesced piece of a running attempt's streamed output (the shell joins chunks; see stream-buffer.ts). */
function stream(turn: Turn, key: string, attempt: number, chunk: string, index: number): void {
  const { stepId, item } = parseKey(key);
  const target = attemptTarget(turn, stepId, item);
  if (!target || target.status !== "running" || target.attempt !== attempt || isOver(turn)) return;
  turn.emit("step.stream", stepData(stepId, item, { attempt, chunk, index }));
}

function log(turn: Turn, key: string, attempt: number, level: string, message: string): void {
  const { stepId, item } = parseKey(key);
  const target = attemptTarget(turn, stepId, item);
  const step = turn.state.steps[stepId];
  if (!target || !step || target.attempt !== attempt || isOver(turn)) return;
  const limit = turn.state.facts.limits.logLinesPerStep;
  if (step.logLines >= limit) return;
  const safeLevel = isLogLevel(level) ? level : "info";
  const text =
    step.logLines === limit - 1
      ? `Log limit reached: limits.logLinesPerStep is ${limit}; later lines of this step are dropped.`
      : String(message).slice(0, MAX_LOG_MESSAGE);
  turn.emit("step.log", stepData(stepId, item, { status: target.status, attempt, level: step.logLines === limit - 1 ? "warn" : safeLevel, message: text }));
}

/** Past its event budget an execution fails: an unbounded log would outgrow its object. */
function enforceEventLimit(turn: Turn): void {
  const limit = turn.state.facts.limits.eventsPerExecution;
  if (isOver(turn) || turn.state.seq < limit) return;
  for (const step of Object.values(turn.state.steps)) {
    if (step.status === "running" && step.childExecutionId) turn.command({ type: "cancel-child", childId: step.childExecutionId, reason: "the parent failed" });
  }
  finish(turn, "failed", {
    code: "limit_exceeded",
    message: `The execution recorded ${turn.state.seq} events, the most limits.eventsPerExecution (${limit}) allows; raise it in /v1/config.`,
  }, {});
}
