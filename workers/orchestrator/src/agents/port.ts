/**
 * The engine's port to the agents (the one seam between the execution engine and every agent): for each attempt the engine asks whether and
 * how to call the step's agent, and reports how the attempt went. It must answer from memory (the
 * engine's hot path does no I/O before a call), so implementations keep a snapshot they refresh
 * in the background.
 */
import type { AgentTask } from "#shared/agent.ts";
import type { ErrorInfo } from "#shared/execution.ts";
import type { AttemptOutcome } from "../execution/agent-call.ts";

export type AgentReadiness =
  /** Call now: `call` performs the attempt (service binding or HTTP) within `timeoutMs`. */
  | { kind: "call"; call: (task: AgentTask, timeoutMs: number) => Promise<AttemptOutcome> }
  /** Do not call and do not use up an attempt: wait (e.g. the agent's circuit is open) and ask again at `retryAt`. */
  | { kind: "wait"; reason: string; retryAt: number }
  /** Fail the step at once (unknown or disabled agent, input that breaks the agent's schema). */
  | { kind: "fail"; error: ErrorInfo };

export interface AgentPort {
  prepare(agent: string, input: unknown): AgentReadiness;
  /** After each attempt; may turn a success into a failure (an output that breaks the agent's schema). */
  settle(agent: string, outcome: AttemptOutcome): AttemptOutcome;
}
