/**
 * The agent contract (docs/architecture.md "Agent contract"): what the orchestrator calls on every agent
 * and what it gets back. Service-binding agents implement it as a `WorkerEntrypoint`; HTTP agents serve
 * the same three calls as `GET /describe`, `GET /health` and `POST /run`.
 */

/** A JSON Schema document, kept opaque here; the orchestrator validates with its own subset checker. */
export type JsonSchema = Record<string, unknown>;

export interface AgentPricing {
  /** USD per 1,000 input tokens. */
  inputPer1kTokensUsd?: number;
  /** USD per 1,000 output tokens. */
  outputPer1kTokensUsd?: number;
  /** Flat USD per call. */
  perCallUsd?: number;
}

export interface AgentDescription {
  name: string;
  version: string;
  description: string;
  input: JsonSchema;
  output?: JsonSchema;
  pricing?: AgentPricing;
}

export interface AgentHealth {
  ok: boolean;
  detail?: string;
}

export interface AgentProgress {
  current: number;
  total: number;
  message?: string;
}

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface AgentUsage {
  inputTokens?: number;
  outputTokens?: number;
  cachedTokens?: number;
  costUsd?: number;
  /** The model that answered (`gpt-4o-mini`): traces carry it as `gen_ai.request.model`. */
  model?: string;
}

export interface AgentTask<Input = unknown> {
  executionId: string;
  stepId: string;
  /** 1 for the first attempt of the step. */
  attempt: number;
  /** The same on every attempt of one step run: agents use it to make side effects happen once. */
  idempotencyKey: string;
  input: Input;
  /** Epoch milliseconds after which the orchestrator stops waiting for this attempt. */
  deadline: number;
  /** Reports progress into the execution; valid while `run` is in flight. Absent for HTTP agents. */
  progress?: (progress: AgentProgress) => Promise<void> | void;
  /** Appends a line to the step's log; valid while `run` is in flight. Absent for HTTP agents. */
  log?: (level: LogLevel, message: string) => Promise<void> | void;
  /**
   * Streams a piece of the output as it is made (an LLM's tokens, say): a string, or any JSON value.
   * A preview only: the step's output is still what `run` returns. Absent for HTTP agents (they stream
   * by answering `/run` with text/event-stream or application/x-ndjson).
   */
  stream?: (chunk: StreamChunk) => Promise<void> | void;
}

/** One piece of an agent's streamed output. */
export type StreamChunk = string | number | boolean | null | StreamChunk[] | { [key: string]: StreamChunk };

export interface AgentResult<Output = unknown> {
  output: Output;
  usage?: AgentUsage;
}

/** What a service binding to an agent looks like from the orchestrator's side. */
export interface AgentService {
  describe(): Promise<AgentDescription>;
  health(): Promise<AgentHealth>;
  run(task: AgentTask): Promise<AgentResult>;
}

/**
 * Thrown by an agent to fail the step at once, without the remaining retries. Only the error's `name`
 * and `message` cross a service binding, so the orchestrator recognises it by name.
 */
export class NonRetryableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NonRetryableError";
  }
}

export function isNonRetryableError(error: unknown): boolean {
  return error instanceof Error && error.name === "NonRetryableError";
}
