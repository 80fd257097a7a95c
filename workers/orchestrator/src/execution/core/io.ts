/**
 * What goes into the core and what comes out of it. Inputs are everything that can happen to an
 * execution (an answer, a callback, a timer, an admin's action); commands are everything the shell must
 * do about it besides storing the events (call an agent, ask for a lock, start a child, set the alarm).
 */
import type { AgentProgress, LogLevel } from "#shared/agent.ts";
import type { ErrorInfo, ExecutionStatus } from "#shared/execution.ts";
import type { PipelineStep } from "#shared/template.ts";
import type { AttemptOutcome } from "../agent-call.ts";
import type { PayloadRef } from "./state.ts";

/** What a child execution reports when it ends. */
export interface ChildSummary {
  id: string;
  status: ExecutionStatus;
  output: unknown;
  costUsd: number;
  error: ErrorInfo | null;
}

export type ControlInput =
  | { type: "cancel"; reason: string; by: string }
  | { type: "pause"; by: string; reason: string | null }
  | { type: "resume"; by: string }
  | { type: "retry"; by: string }
  | { type: "set-priority"; priority: number }
  | { type: "approval"; stepId: string; approved: boolean; by: string; comment: string | null };

export type CoreInput =
  | ControlInput
  /** The dispatcher answered the enqueue: admitted at once, or queued. */
  | { type: "enqueued"; admitted: boolean }
  /** The dispatcher admitted a queued execution later. */
  | { type: "admitted" }
  /** The dispatcher hands the watchdog over to the execution's own alarm. */
  | { type: "watch" }
  | { type: "attempt-settled"; key: string; attempt: number; outcome: AttemptOutcome }
  | { type: "progress"; key: string; attempt: number; progress: AgentProgress }
  | { type: "log"; key: string; attempt: number; level: LogLevel; message: string }
  | { type: "lock-granted"; key: string; name: string }
  | { type: "lock-busy"; key: string; name: string; position: number | null; heldBy: string[] }
  | { type: "lock-failed"; key: string }
  | { type: "child-started"; stepId: string; childId: string }
  | { type: "child-start-failed"; stepId: string; message: string }
  | { type: "child-settled"; stepId: string; child: ChildSummary }
  /** The alarm fired (or anything else asks the execution to look at what is due). */
  | { type: "timer" }
  /** A fresh instance loaded a stored execution: nothing that was in flight survived. */
  | { type: "restarted" }
  /** A fork of this execution was started (the origin records the link, even once it has ended). */
  | { type: "forked"; forkId: string; stepId: string }
  /** Streamed output of a running attempt, coalesced by the shell; `index` counts the agent's chunks. */
  | { type: "stream"; key: string; attempt: number; chunk: string; index: number };

export type CoreCommand =
  | {
      type: "call-agent";
      key: string;
      stepId: string;
      item: number | null;
      attempt: number;
      agent: string;
      input: unknown;
      idempotencyKey: string;
      deadline: number;
      timeoutMs: number;
      /** What the agent port answered `prepare` with; the shell uses it to make the call. */
      handle: unknown;
    }
  | { type: "acquire-lock"; key: string; name: string; capacity: number; holder: string; leaseMs: number }
  | { type: "release-lock"; name: string; holder: string }
  | { type: "start-child"; stepId: string; step: PipelineStep; params: Record<string, unknown> }
  | { type: "cancel-child"; childId: string; reason: string }
  | { type: "check-child"; stepId: string; childId: string }
  | { type: "notify-parent" }
  | { type: "enqueue" }
  | { type: "release" }
  /** The alarm must fire no later than `at`. */
  | { type: "alarm-by"; at: number }
  | { type: "clear-alarm" }
  /** The meta row changed (a new priority). */
  | { type: "save-facts" }
  | { type: "usage"; stepId: string; item: number | null; attempt: number; agent: string; usage: UsageCharge };

export interface UsageCharge {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  costUsd: number;
}

/** Answers `prepare` from what the shell knows of the agent (its registry snapshot, its circuit). */
export type AgentReadiness =
  | { kind: "call"; handle: unknown }
  | { kind: "wait"; reason: string; retryAt: number }
  | { kind: "fail"; error: ErrorInfo };

/** The world as the core may look at it: the time, stored payloads, and the agents' readiness. */
export interface CoreContext {
  now: number;
  /** For retry jitter: Math.random in the runtime, a seeded generator in the simulator. */
  random(): number;
  read(ref: PayloadRef): unknown;
  /** The outputs of a forEach step's completed items after `afterSeq`, in item order (`total` long). */
  readItemOutputs(stepId: string, afterSeq: number, total: number): unknown[];
  prepareAgent(agent: string, input: unknown): AgentReadiness;
}

export type Rejection = { code: "invalid_state" | "not_found" | "validation_failed"; message: string };
