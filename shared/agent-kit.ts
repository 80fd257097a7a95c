/**
 * The agent kit (docs/architecture.md "Agent contract"). `defineAgent` makes an agent from its name,
 * version, description, input and output schemas (zod), pricing and `run`: the Worker's default export
 * is what it returns, and the orchestrator can call it over a service binding. An agent that needs more
 * (a description or health that depends on its env) extends `BatonAgent` and writes `describe` and `run`.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import type { z } from "zod";
import type { AgentDescription, AgentHealth, AgentPricing, AgentResult, AgentTask, LogLevel, StreamChunk } from "./agent.ts";
import { jsonSchema, parseInput } from "./agent-schema.ts";

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
 * HTTP agents get no callbacks, so these calls do nothing there. Errors from the callbacks are not
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

export interface AgentDefinition<Input extends z.ZodType, Output extends z.ZodType> {
  name: string;
  version: string;
  description: string;
  /** What a caller may send; published as JSON Schema, and `task.input` is parsed with it before `run`. */
  input: Input;
  /** What `run` returns; published as JSON Schema, and the orchestrator checks each output against it. */
  output?: Output;
  pricing?: AgentPricing;
  /** Healthy when left out. */
  health?(): AgentHealth | Promise<AgentHealth>;
  /**
   * One attempt. `input` has passed the input schema (a missing `task.input` is read as `{}`; bad input
   * fails the step at once, naming every bad field); `report` sends progress and log lines.
   */
  run(input: z.output<Input>, task: AgentTask, report: TaskReporter): Promise<AgentResult<z.output<Output>>>;
}

/** An agent Worker made from its definition: `export default defineAgent({ … })`. */
export function defineAgent<Input extends z.ZodType, Output extends z.ZodType = z.ZodUnknown>(
  definition: AgentDefinition<Input, Output>,
): new (ctx: ExecutionContext, env: unknown) => BatonAgent<unknown, z.output<Output>> {
  const { name, version, description, input, output, pricing } = definition;
  const described: AgentDescription = {
    name,
    version,
    description,
    input: jsonSchema(input, "input"),
    ...(output ? { output: jsonSchema(output, "output") } : {}),
    ...(pricing ? { pricing } : {}),
  };
  return class extends BatonAgent<unknown, z.output<Output>> {
    describe(): AgentDescription {
      return described;
    }

    override health(): AgentHealth | Promise<AgentHealth> {
      return definition.health ? definition.health() : { ok: true };
    }

    async run(task: AgentTask): Promise<AgentResult<z.output<Output>>> {
      return definition.run(parseInput(input, task.input ?? {}), task, reporterFor(task));
    }
  };
}
