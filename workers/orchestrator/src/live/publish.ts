/**
 * Forwards an execution's lifecycle events to the event hub behind `GET /v1/events`, never on the step
 * hot path. Events of one turn go in one call, and while a caller holds the publisher (a start, until
 * the dispatcher answered) they wait, so `execution.queued` and `execution.started` usually travel together.
 *
 * The hub is sharded by execution id (EVENT_HUB_SHARDS in wrangler.toml): an execution's events all go
 * to one shard, in order, and `GET /v1/events` merges the shards' streams (feed.ts). Shard 0 keeps the
 * single hub's name ("global") and takes the events of no execution (budget alerts).
 */
import { type ExecutionEvent, lifecycleEventTypes } from "#shared/execution.ts";
import { shardCount, shardIndex, shardName } from "../config/shards.ts";

export const EVENT_HUB_NAME = "global";

export function eventHubNames(env: Env): string[] {
  return Array.from({ length: shardCount(env, "hub") }, (_, index) => shardName("hub", EVENT_HUB_NAME, index));
}

export function eventHubNamed(env: Env, name: string) {
  return env.EVENT_HUB.get(env.EVENT_HUB.idFromName(name));
}

/** The hub shard of an execution's events; shard 0 without one. */
export function eventHub(env: Env, executionId?: string) {
  const names = eventHubNames(env);
  return eventHubNamed(env, names[executionId === undefined ? 0 : shardIndex(executionId, names.length)]!);
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
      this.ctx.waitUntil(eventHub(this.env, events[0]!.executionId).publishAll(events).catch((error: unknown) => console.error("event hub publish failed", error)));
    });
  }
}
