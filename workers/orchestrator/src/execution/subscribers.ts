/**
 * Live SSE subscribers of one execution. A new subscriber first gets every stored event after the one it
 * saw last, then live ones; replay and registration happen in one synchronous step, so no event can fall
 * between them. A client that went away is noticed when a write to it fails (the stream's cancel
 * callback is not reliable in workerd), and dropped.
 */
import { HEARTBEAT_MS, sseComment } from "./sse.ts";

interface Subscriber {
  writer: WritableStreamDefaultWriter<Uint8Array>;
  closed: boolean;
}

export class Subscribers {
  private readonly subscribers = new Set<Subscriber>();
  private heartbeat: ReturnType<typeof setInterval> | undefined;

  /**
   * Opens a stream that replays `backlog` (SSE frames), then follows `publish`ed frames. When `finished` is true the
   * stream closes right after the backlog (a finished execution replays and closes).
   */
  open(backlog: readonly Uint8Array[], finished: boolean): ReadableStream<Uint8Array> {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const subscriber: Subscriber = { writer: writable.getWriter(), closed: false };
    this.write(subscriber, sseComment("baton"));
    for (const frame of backlog) this.write(subscriber, frame);
    if (finished) {
      this.close(subscriber);
    } else {
      this.subscribers.add(subscriber);
      this.heartbeat ??= setInterval(() => this.beat(), HEARTBEAT_MS);
    }
    return readable;
  }

  publish(frame: Uint8Array, last: boolean): void {
    if (this.subscribers.size === 0) return;
    for (const subscriber of this.subscribers) {
      this.write(subscriber, frame);
      if (last) this.close(subscriber);
    }
  }

  get size(): number {
    return this.subscribers.size;
  }

  private beat(): void {
    const comment = sseComment("keep-alive");
    for (const subscriber of this.subscribers) this.write(subscriber, comment);
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
