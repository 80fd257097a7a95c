/**
 * Following an event stream across dropped connections: each time the stream ends before its last
 * event, it is opened again after the last event id seen (`Last-Event-ID` over HTTP, `after` over RPC),
 * so nothing is lost and nothing arrives twice. Shared by the HTTP client (an execution's events, the
 * live feed) and the RPC helper; `open` is the only thing that differs.
 */
import { BatonError } from "../baton-error.ts";
import { type ExecutionEvent, terminalEventTypes } from "../execution.ts";
import { executionEventOf, type SseMessage, sseMessages } from "./sse.ts";

export interface FollowOptions {
  /** Start after this event (its `seq`); 0 (the default) replays from the first. */
  after?: number;
  /** Reconnect attempts in a row without receiving an event before giving up (default 10). */
  maxRetries?: number;
  /** Wait before reconnecting: `retryDelayMs(attempt)`; default 250 ms doubling to 5 s. */
  retryDelayMs?: (attempt: number) => number;
  /** Stops following (the stream is cancelled and iteration ends). */
  signal?: AbortSignal;
  /** Told about each reconnect, e.g. to show it. */
  onReconnect?: (info: { after: number; attempt: number; error: unknown }) => void;
}

/**
 * Opens the stream of events after `after`. `cursor` is the last id seen when it is not a number (the live
 * feed over several hub shards numbers events per shard: its ids are dotted positions); send it back as is.
 */
export type OpenEventStream = (after: number, signal: AbortSignal | undefined, cursor?: string) => Promise<ReadableStream<Uint8Array>>;

const defaultDelay = (attempt: number) => Math.min(250 * 2 ** (attempt - 1), 5_000);

/** Errors that no reconnect can fix: the execution does not exist, the token is wrong, and so on. */
function isPermanent(error: unknown): boolean {
  return error instanceof BatonError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** How a followed stream's messages are read: which are events, and which event is the last. */
export interface StreamReading<T> {
  parse(message: SseMessage): T | undefined;
  isLast(event: T): boolean;
}

export async function* followStream<T>(open: OpenEventStream, reading: StreamReading<T>, options: FollowOptions = {}): AsyncGenerator<T> {
  const { signal, maxRetries = 10, retryDelayMs = defaultDelay } = options;
  let after = options.after ?? 0;
  let cursor: string | undefined;
  let failures = 0;
  while (!signal?.aborted) {
    let error: unknown;
    try {
      const stream = await open(after, signal, cursor);
      for await (const message of sseMessages(stream)) {
        const id = Number(message.id);
        // A server that replays from too early must not make us yield an event twice.
        if (message.id !== null && Number.isSafeInteger(id)) {
          if (id <= after) continue;
          after = id;
        } else if (message.id !== null && message.id !== "") {
          cursor = message.id;
        }
        const event = reading.parse(message);
        if (event === undefined) continue;
        failures = 0;
        yield event;
        if (reading.isLast(event) || signal?.aborted) return;
      }
    } catch (caught) {
      if (signal?.aborted) return;
      if (isPermanent(caught)) throw caught;
      error = caught;
    }
    // The stream ended (or broke) before its last event: open it again after the last event seen.
    failures++;
    if (failures > maxRetries) {
      throw error instanceof Error
        ? error
        : new BatonError("unavailable", `The event stream kept closing before its end (${maxRetries} reconnects).`, { status: 0 });
    }
    options.onReconnect?.({ after, attempt: failures, error });
    await sleep(retryDelayMs(failures), signal);
  }
}

const executionReading: StreamReading<ExecutionEvent> = {
  parse: executionEventOf,
  isLast: (event) => terminalEventTypes.has(event.type),
};

/** An execution's events until it ends (a finished execution's stream replays and ends at once). */
export function followEvents(open: OpenEventStream, options: FollowOptions = {}): AsyncGenerator<ExecutionEvent> {
  return followStream(open, executionReading, options);
}
