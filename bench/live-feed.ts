/**
 * The bench's one subscription to `GET /v1/events` (every execution's lifecycle): it learns when each
 * execution ends, with the server's time of the end, without polling and without opening a stream per
 * execution (which would add work to the runs being measured).
 */
import type { BatonClient } from "#shared/client/index.ts";
import { sseMessages } from "#shared/client/sse.ts";
import { terminalEventTypes, type LiveEvent } from "#shared/execution.ts";

export interface ExecutionEnd {
  type: string;
  /** Server time of the terminal event. */
  at: number;
  /** Host time the bench read it. */
  receivedAt: number;
}

interface Waiter {
  ids: readonly string[];
  resolve: () => void;
}

export class LiveFeed {
  readonly ends = new Map<string, ExecutionEnd>();
  private readonly waiters = new Set<Waiter>();
  private closed: Error | undefined;
  private readonly abort: AbortController;

  private constructor(abort: AbortController) {
    this.abort = abort;
  }

  /** Resolves once the server holds the subscription, so no end after this call can be missed. */
  static async open(client: BatonClient, signal: AbortSignal): Promise<LiveFeed> {
    const abort = new AbortController();
    const response = await client.http.send("GET", "/v1/events", {
      headers: { accept: "text/event-stream" },
      signal: AbortSignal.any([signal, abort.signal]),
    });
    if (!response.body) throw new Error("GET /v1/events answered without a body");
    const feed = new LiveFeed(abort);
    void feed.read(response.body);
    return feed;
  }

  /** Waits until every id has ended or `deadline` (epoch ms) passes; returns the ends seen so far. */
  async waitForEnds(ids: readonly string[], deadline: number): Promise<Map<string, ExecutionEnd>> {
    if (!this.allEnded(ids) && !this.closed) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        const waiter: Waiter = { ids, resolve };
        this.waiters.add(waiter);
        timer = setTimeout(() => {
          this.waiters.delete(waiter);
          resolve();
        }, Math.max(0, deadline - Date.now()));
      });
      if (timer !== undefined) clearTimeout(timer);
    }
    if (this.closed && !this.allEnded(ids)) throw this.closed;
    return new Map(ids.flatMap((id) => (this.ends.has(id) ? [[id, this.ends.get(id)!] as const] : [])));
  }

  close(): void {
    this.abort.abort();
  }

  private allEnded(ids: readonly string[]): boolean {
    return ids.every((id) => this.ends.has(id));
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    try {
      for await (const message of sseMessages(body)) {
        const receivedAt = Date.now();
        const event = JSON.parse(message.data) as LiveEvent;
        if (!("executionId" in event) || !terminalEventTypes.has(event.type)) continue;
        this.ends.set(event.executionId, { type: event.type, at: event.at, receivedAt });
        for (const waiter of this.waiters) {
          if (this.allEnded(waiter.ids)) {
            this.waiters.delete(waiter);
            waiter.resolve();
          }
        }
      }
      this.closed = new Error("the live feed (GET /v1/events) closed");
    } catch (error) {
      this.closed = new Error(`the live feed (GET /v1/events) broke: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters.clear();
  }
}
