/**
 * Coalesces an agent's streamed chunks before they reach the core: a token must not cost a stored row.
 * Chunks of one attempt are joined and fed as one `stream` input at most every STREAM_INTERVAL_MS (or
 * as soon as STREAM_BYTES are waiting), and whatever is left is flushed before the attempt settles, so
 * every chunk is stored exactly once and a replay sees the same events live subscribers saw.
 */
import type { StreamChunk } from "#shared/agent.ts";

export const STREAM_INTERVAL_MS = 100;
export const STREAM_BYTES = 4096;

export type StreamFlush = (chunk: string, index: number) => void;

interface Pending {
  text: string;
  /** The agent's index of the first chunk waiting. */
  index: number;
  timer: ReturnType<typeof setTimeout> | null;
}

/** One attempt's buffer. JSON chunks are kept as NDJSON lines, so one event is always one string. */
export class StreamBuffer {
  private pending: Pending | null = null;
  private count = 0;
  /** The first chunk waits like the rest: an attempt that streams at all sends at most one event per interval. */
  private lastFlushAt: number;
  private closed = false;

  constructor(
    private readonly flush: StreamFlush,
    private readonly now: () => number = Date.now,
  ) {
    this.lastFlushAt = now();
  }

  push(chunk: StreamChunk): void {
    if (this.closed) return;
    const text = typeof chunk === "string" ? chunk : `${JSON.stringify(chunk)}\n`;
    if (text === "") return;
    const pending = (this.pending ??= { text: "", index: this.count, timer: null });
    this.count++;
    pending.text += text;
    const due = this.lastFlushAt + STREAM_INTERVAL_MS - this.now();
    if (pending.text.length >= STREAM_BYTES || due <= 0) return this.drain();
    pending.timer ??= setTimeout(() => this.drain(), due);
  }

  /** Sends what is waiting now (the attempt is settling); later chunks are dropped. */
  close(): void {
    this.drain();
    this.closed = true;
  }

  private drain(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    if (pending.timer !== null) clearTimeout(pending.timer);
    this.lastFlushAt = this.now();
    this.flush(pending.text, pending.index);
  }
}
