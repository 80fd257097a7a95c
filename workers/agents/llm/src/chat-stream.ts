/**
 * Reads an OpenAI-compatible streamed chat completion (`stream: true`): SSE lines `data: {…}` whose
 * `choices[0].delta.content` are the tokens, a last chunk with `usage` (asked for with
 * `stream_options.include_usage`), then `data: [DONE]`. Each token goes to `onDelta` as it arrives, so
 * the step's text can be watched growing; the reply is the whole text, as the non-streamed call returns.
 */
import type { ChatReply } from "./chat-completions.ts";

interface StreamChunk {
  model?: string;
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } | null } | null;
}

export async function readChatStream(body: ReadableStream<Uint8Array>, fallbackModel: string, onDelta: (text: string) => Promise<void> | void): Promise<ChatReply> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const reply: ChatReply = { text: "", model: fallbackModel, finishReason: null };
  let buffer = "";
  const take = async (line: string): Promise<boolean> => {
    if (!line.startsWith("data:")) return false;
    const data = line.slice(5).trim();
    if (data === "[DONE]") return true;
    let chunk: StreamChunk;
    try {
      chunk = JSON.parse(data) as StreamChunk;
    } catch {
      throw new Error(`the LLM API streamed something that is not JSON: ${data.slice(0, 200)}`);
    }
    if (chunk.model) reply.model = chunk.model;
    const choice = chunk.choices?.[0];
    if (choice?.finish_reason) reply.finishReason = choice.finish_reason;
    const delta = choice?.delta?.content;
    if (delta) {
      reply.text += delta;
      await onDelta(delta);
    }
    if (chunk.usage) {
      reply.inputTokens = chunk.usage.prompt_tokens;
      reply.outputTokens = chunk.usage.completion_tokens;
      const cached = chunk.usage.prompt_tokens_details?.cached_tokens;
      if (cached !== undefined) reply.cachedTokens = cached;
    }
    return false;
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    const lines = buffer.split(/\r?\n/);
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      if (await take(line)) {
        await reader.cancel().catch(() => {});
        return reply;
      }
    }
  }
  await take(buffer);
  return reply;
}
