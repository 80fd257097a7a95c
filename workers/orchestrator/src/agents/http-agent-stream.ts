/**
 * HTTP agents that stream: `POST /run` may answer `text/event-stream` (events `chunk`, then one `result`
 * carrying `{ output, usage? }`, or `error` carrying `{ message, name? }`) or `application/x-ndjson`
 * (lines `{"type":"chunk","chunk":…}`, then `{"type":"result","output":…,"usage":…}`). Each chunk goes
 * to the task's `stream` as it arrives; the result is what the step gets, read as a JSON answer would be.
 */
import type { StreamChunk } from "#shared/agent.ts";

export type StreamedAnswer =
  | { kind: "result"; text: string }
  | { kind: "error"; text: string }
  | { kind: "too-large" }
  | { kind: "no-result" };

export function isStreamedAnswer(contentType: string | null): "sse" | "ndjson" | null {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "text/event-stream") return "sse";
  if (type === "application/x-ndjson") return "ndjson";
  return null;
}

/** Reads the whole stream (at most `maxBytes`), passing chunks on as they come. */
export async function readStreamedAnswer(
  body: ReadableStream<Uint8Array>,
  format: "sse" | "ndjson",
  onChunk: (chunk: StreamChunk) => void,
  maxBytes: number,
): Promise<StreamedAnswer> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const separator = format === "sse" ? /\r?\n\r?\n/ : /\r?\n/;
  let buffer = "";
  let size = 0;
  let answer: StreamedAnswer = { kind: "no-result" };
  const take = (block: string) => {
    const message = format === "sse" ? sseMessage(block) : ndjsonMessage(block);
    if (!message) return;
    if (message.type === "chunk") onChunk(message.data as StreamChunk);
    else answer = { kind: message.type, text: JSON.stringify(message.data) };
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      return { kind: "too-large" };
    }
    buffer += value;
    const blocks = buffer.split(separator);
    buffer = blocks.pop() ?? "";
    for (const block of blocks) take(block);
    if (answer.kind !== "no-result") {
      await reader.cancel().catch(() => {});
      return answer;
    }
  }
  take(buffer);
  return answer;
}

type Message = { type: "chunk" | "result" | "error"; data: unknown };

function sseMessage(block: string): Message | null {
  let event = "message";
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  if (data.length === 0 || (event !== "chunk" && event !== "result" && event !== "error")) return null;
  const text = data.join("\n");
  return { type: event, data: event === "chunk" ? parseOr(text, text) : parseOr(text, undefined) };
}

function ndjsonMessage(line: string): Message | null {
  const value = parseOr(line, undefined) as { type?: unknown; chunk?: unknown } | undefined;
  if (typeof value !== "object" || value === null) return null;
  if (value.type === "chunk") return { type: "chunk", data: value.chunk };
  if (value.type === "result" || value.type === "error") {
    const { type: _type, ...rest } = value;
    return { type: value.type, data: rest };
  }
  return null;
}

function parseOr(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}
