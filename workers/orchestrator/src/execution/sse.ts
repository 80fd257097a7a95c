/** Server-Sent Events framing (docs/architecture.md "Events"): `id`, `event`, `data` per event; comments keep idle streams open. */
import type { ExecutionEvent } from "#shared/execution.ts";

const encoder = new TextEncoder();

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
} as const;

/** Idle streams get a comment this often, well inside common proxy idle timeouts (~60 s). */
export const HEARTBEAT_MS = 15_000;

export function sseFrame(event: ExecutionEvent): Uint8Array {
  return encoder.encode(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

export function sseComment(text: string): Uint8Array {
  return encoder.encode(`: ${text}\n\n`);
}

/** The sequence number a client saw last, from `Last-Event-ID` or `?after=`; 0 when absent or malformed. */
export function lastSeenSeq(header: string | null | undefined, query: string | null | undefined): number {
  for (const raw of [header, query]) {
    if (raw && /^\d{1,15}$/.test(raw.trim())) return Number(raw.trim());
  }
  return 0;
}
