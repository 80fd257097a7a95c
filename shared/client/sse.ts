/**
 * Server-Sent Events on the reading side, as the HTML spec parses them: `id`, `event` and `data` lines,
 * comment lines (`: keep-alive`) ignored, a blank line ending each event, CR, LF or CRLF line breaks, and
 * chunks that split anywhere (even inside a multi-byte character). Works on any ReadableStream of bytes:
 * an HTTP body, or the stream the RPC entrypoint returns.
 */
import type { ExecutionEvent } from "../execution.ts";

export interface SseMessage {
  /** The frame's `id`, or null when it had none. */
  id: string | null;
  /** The frame's `event`, "message" when it had none. */
  event: string;
  data: string;
}

/** Feed it text as it arrives; it hands back each complete message once. */
export class SseParser {
  private buffer = "";
  private id: string | null = null;
  private event = "";
  private data: string[] = [];
  private sawData = false;

  push(text: string): SseMessage[] {
    this.buffer += text;
    const messages: SseMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      // A lone CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (!match || (match[0] === "\r" && match.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const message = this.line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  private line(line: string): SseMessage | undefined {
    if (line === "") {
      if (!this.sawData) {
        this.event = "";
        return undefined;
      }
      const message = { id: this.id, event: this.event || "message", data: this.data.join("\n") };
      this.event = "";
      this.data = [];
      this.sawData = false;
      return message;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      this.data.push(value);
      this.sawData = true;
    } else if (field === "event") {
      this.event = value;
    } else if (field === "id" && !value.includes("\0")) {
      this.id = value;
    }
    return undefined;
  }
}

/** Every message of a stream of SSE bytes, until it ends. Stopping early cancels the stream. */
export async function* sseMessages(stream: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        // Per the spec, a message the stream ended in the middle of is dropped.
        finished = true;
        return;
      }
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    // A consumer that stops early (break, return, throw) leaves the connection open unless told.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** Parses one message of an execution's stream; a message that is not an execution event is skipped. */
export function executionEventOf(message: SseMessage): ExecutionEvent | undefined {
  try {
    const event = JSON.parse(message.data) as ExecutionEvent;
    return typeof event === "object" && event !== null && typeof event.seq === "number" ? event : undefined;
  } catch {
    return undefined;
  }
}
