/**
 * One call to an OpenAI-compatible `POST /chat/completions`, with failures sorted the way the
 * orchestrator needs: a request the API rejects (bad key, unknown model, bad input) will fail again, so it
 * is a NonRetryableError; rate limits, server errors and timeouts are plain errors, retried by policy.
 */
import { z } from "zod";
import { NonRetryableError } from "#shared/agent.ts";
import { readChatStream } from "./chat-stream.ts";
import type { LlmConfig } from "./config.ts";

export interface ChatRequest {
  system?: string;
  prompt: string;
  maxTokens?: number;
  temperature?: number;
  /** Ask for JSON fitting this JSON Schema (OpenAI's `response_format: json_schema`, also served by vLLM and llama.cpp). */
  schema?: Record<string, unknown>;
}

const responseSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(z.object({ message: z.object({ content: z.string().nullable() }), finish_reason: z.string().nullish() }))
    .min(1),
  usage: z
    .object({
      prompt_tokens: z.number().optional(),
      completion_tokens: z.number().optional(),
      prompt_tokens_details: z.object({ cached_tokens: z.number().optional() }).nullish(),
    })
    .optional(),
});

export interface ChatReply {
  text: string;
  model: string;
  finishReason: string | null;
  inputTokens?: number;
  outputTokens?: number;
  cachedTokens?: number;
}

/** Status codes that mean "this request is wrong", not "try again later". */
const PERMANENT = new Set([400, 401, 403, 404, 422]);

/** With `onDelta`, the completion is streamed (`stream: true`) and each token is passed on as it arrives. */
export async function complete(
  config: LlmConfig,
  request: ChatRequest,
  deadline: number,
  onDelta?: (text: string) => Promise<void> | void,
): Promise<ChatReply> {
  const messages = [
    ...(request.system ? [{ role: "system", content: request.system }] : []),
    { role: "user", content: request.prompt },
  ];
  const response = await fetch(config.chatCompletionsUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${config.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: config.model,
      messages,
      max_tokens: request.maxTokens,
      temperature: request.temperature,
      ...(request.schema ? { response_format: { type: "json_schema", json_schema: { name: "answer", schema: request.schema } } } : {}),
      ...(onDelta ? { stream: true, stream_options: { include_usage: true } } : {}),
    }),
    // No point answering after the orchestrator stopped waiting.
    signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())),
  });
  if (!response.ok) {
    const detail = `the LLM API answered ${response.status}: ${(await response.text()).slice(0, 300)}`;
    throw PERMANENT.has(response.status) ? new NonRetryableError(detail) : new Error(detail);
  }
  // An endpoint that ignores `stream` answers JSON: read it as such.
  if (onDelta && response.body && (response.headers.get("content-type") ?? "").includes("text/event-stream")) {
    return readChatStream(response.body, config.model, onDelta);
  }
  const parsed = responseSchema.safeParse(await response.json());
  if (!parsed.success) throw new Error(`the LLM API answered with an unexpected body: ${parsed.error.message.slice(0, 300)}`);
  const { choices, usage, model } = parsed.data;
  const choice = choices[0]!;
  return {
    text: choice.message.content ?? "",
    model: model ?? config.model,
    finishReason: choice.finish_reason ?? null,
    inputTokens: usage?.prompt_tokens,
    outputTokens: usage?.completion_tokens,
    cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? undefined,
  };
}
