/**
 * Forwards an execution's lifecycle events to the event hub behind `GET /v1/events`, never on the step
 * hot path. Events of one turn go in one call, and while a caller holds the publisher (a start, until
 * the dispatcher answered) they wait, so `execution.queued` and `execution.started` usually travel together.
 */
import { type ExecutionEvent, lifecycleEventTypes } from "#shared/execution.ts";

export const EVENT_HUB_NAME = "global";

export function eventHub(env: Env) {
  return env.EVENT_HUB.get(env.EVENT_HUB.idFromName(EVENT_HUB_NAME));
}

export class LifecyclePublisher {
  private pending: ExecutionEvent[] = [];
  private holds = 0;
  private scheduled = false;

  constructor(
    private readonly env: Env,
    private readonly ctx: DurableObjectState,
  ) {}

  publish(event: ExecutionEvent): void {
    if (!lifecycleEventTypes.has(event.type)) return;
    this.pending.push(event);
    this.schedule();
  }

  /** Keeps events back until `work` is done, then sends them in one call. */
  async holdDuring<T>(work: () => Promise<T>): Promise<T> {
    this.holds++;
    try {
      return await work();
    } finally {
      this.holds--;
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.scheduled || this.holds > 0 || this.pending.length === 0) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      if (this.holds > 0) return;
      const events = this.pending;
      this.pending = [];
      if (events.length === 0) return;
      this.ctx.waitUntil(eventHub(this.env).publishAll(events).catch((error: unknown) => console.error("event hub publish failed", error)));
    });
  }
}
