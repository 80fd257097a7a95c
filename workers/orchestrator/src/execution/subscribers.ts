/**
 * Live SSE subscribers of one execution. A new subscriber first catches up from storage, a page at a
 * time and only as fast as it reads (the whole log is never in memory), then follows published events.
 * The switch from catching up to live happens in the same synchronous step as reading the last page, so
 * no event falls between them and none comes twice. A client that went away is noticed when a write to
 * it fails (the stream's cancel callback is not reliable in workerd), and dropped.
 */
import { HEARTBEAT_MS, sseComment } from "./sse.ts";

/** Frames of stored events after `afterSeq` (one page), each with its seq. */
export type ReadPage = (afterSeq: number) => { seq: number; frame: Uint8Array }[];

interface Subscriber {
  writer: WritableStreamDefaultWriter<Uint8Array>;
  /** The last seq written to it. */
  cursor: number;
  live: boolean;
  closed: boolean;
}

export class Subscribers {
  private readonly subscribers = new Set<Subscriber>();
  private heartbeat: ReturnType<typeof setInterval> | undefined;

  /**
   * Opens a stream of every stored event after `afterSeq`, then live ones. `isFinished` is asked once
   * the stream has caught up: a finished execution's stream closes there.
   */
  open(afterSeq: number, readPage: ReadPage, isFinished: () => boolean, waitUntil: (p: Promise<unknown>) => void): ReadableStream<Uint8Array> {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>(undefined, undefined, { highWaterMark: 64 });
    const subscriber: Subscriber = { writer: writable.getWriter(), cursor: afterSeq, live: false, closed: false };
    this.write(subscriber, sseComment("baton"));
    this.subscribers.add(subscriber);
    waitUntil(this.catchUp(subscriber, readPage, isFinished));
    return readable;
  }

  private async catchUp(subscriber: Subscriber, readPage: ReadPage, isFinished: () => boolean): Promise<void> {
    while (!subscriber.closed) {
      const page = readPage(subscriber.cursor);
      for (const { seq, frame } of page) {
        this.write(subscriber, frame);
        subscriber.cursor = seq;
      }
      if (page.length === 0) {
        // Caught up: from here on, published events reach it (nothing was published since this read).
        if (isFinished()) return this.close(subscriber);
        subscriber.live = true;
        this.heartbeat ??= setInterval(() => this.beat(), HEARTBEAT_MS);
        return;
      }
      await subscriber.writer.ready.catch(() => this.drop(subscriber));
    }
  }

  publish(seq: number, frame: Uint8Array, last: boolean): void {
    for (const subscriber of this.subscribers) {
      // One still catching up reads this event from storage when it gets there.
      if (!subscriber.live || seq <= subscriber.cursor) continue;
      this.write(subscriber, frame);
      subscriber.cursor = seq;
      if (last) this.close(subscriber);
    }
  }

  get size(): number {
    return this.subscribers.size;
  }

  private beat(): void {
    const comment = sseComment("keep-alive");
    for (const subscriber of this.subscribers) if (subscriber.live) this.write(subscriber, comment);
  }

  private write(subscriber: Subscriber, bytes: Uint8Array): void {
    if (subscriber.closed) return;
    subscriber.writer.write(bytes).catch(() => this.drop(subscriber));
  }

  private close(subscriber: Subscriber): void {
    if (subscriber.closed) return;
    subscriber.closed = true;
    this.subscribers.delete(subscriber);
    subscriber.writer.close().catch(() => {});
    this.stopHeartbeatIfIdle();
  }

  private drop(subscriber: Subscriber): void {
    subscriber.closed = true;
    this.subscribers.delete(subscriber);
    subscriber.writer.abort().catch(() => {});
    this.stopHeartbeatIfIdle();
  }

  private stopHeartbeatIfIdle(): void {
    if (this.subscribers.size === 0 && this.heartbeat !== undefined) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }
}
