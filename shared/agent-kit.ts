/**
 * The agent kit (docs/architecture.md "Agent contract"): extend `BatonAgent`, write `describe` and `run`, export the
 * class as the Worker's default export, and the orchestrator can call it over a service binding.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import type { AgentDescription, AgentHealth, AgentResult, AgentTask, LogLevel, StreamChunk } from "./agent.ts";

/**
 * An agent Worker. `run` takes `AgentTask` with `input: unknown` on purpose: the input is whatever the
 * template produced, so an agent parses it (see `parseInput`) instead of trusting a type parameter.
 */
export abstract class BatonAgent<Env = unknown, Output = unknown> extends WorkerEntrypoint<Env> {
  abstract describe(): AgentDescription | Promise<AgentDescription>;

  /** Healthy by default; override when the agent depends on something that can be missing or down. */
  health(): AgentHealth | Promise<AgentHealth> {
    return { ok: true };
  }

  abstract run(task: AgentTask): Promise<AgentResult<Output>>;
}

/** Progress and log for one task, usable whether or not the caller passed the callbacks. */
export interface TaskReporter {
  progress(current: number, total: number, message?: string): Promise<void>;
  log(level: LogLevel, message: string): Promise<void>;
  /** Streams a piece of the output (a preview; `run` still returns the output). */
  stream(chunk: StreamChunk): Promise<void>;
}

/**
 * HTTP agents get no callbacks, so both calls do nothing there. Errors from the callbacks are not
 * swallowed: the orchestrator may use them to tell an agent its step is gone.
 */
export function reporterFor(task: Pick<AgentTask, "progress" | "log" | "stream">): TaskReporter {
  return {
    async progress(current, total, message) {
      await task.progress?.(message === undefined ? { current, total } : { current, total, message });
    },
    async log(level, message) {
      await task.log?.(level, message);
    },
    async stream(chunk) {
      await task.stream?.(chunk);
    },
  };
}
