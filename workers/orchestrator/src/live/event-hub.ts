/**
 * The event hub, a role of the control shard (control-plane/control-shard-do.ts): one shard of the live
 * feed of every execution's lifecycle events for dashboards (`GET /v1/events` merges the shards, feed.ts). It numbers events in arrival order and keeps the most
 * recent ones, so a dashboard that reconnects with `Last-Event-ID` misses nothing that happened while it
 * was away (within the retention). It also hands the events that have webhooks to the webhook
 * outbox. Deliveries live in D1 and any shard could attempt them, so only the first shard
 * attempts them (on its alarm, and when another shard tells it there is something new): two shards
 * never send one delivery twice.
 */
import type { LiveEvent } from "#shared/execution.ts";
import { Subscribers } from "../execution/subscribers.ts";
import { WebhookOutbox } from "../webhooks/outbox.ts";
import type { RoleAlarm } from "../control-plane/shared-alarm.ts";

const RETAINED_EVENTS = 10_000;
const encoder = new TextEncoder();

function frame(seq: number, event: LiveEvent): Uint8Array {
  return encoder.encode(`id: ${seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

export class EventHub {
  private readonly subscribers = new Subscribers();
  private readonly webhooks: WebhookOutbox;
  private seq: number;

  /** `deliverElsewhere`: this shard records webhook deliveries and asks the one that delivers to attempt them. */
  constructor(
    private readonly ctx: DurableObjectState,
    env: Env,
    alarm: RoleAlarm,
    deliverElsewhere?: () => Promise<void>,
  ) {
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, event TEXT NOT NULL)");
    this.seq = ctx.storage.sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM events").one().seq ?? 0;
    this.webhooks = new WebhookOutbox(ctx, env, alarm, deliverElsewhere);
  }

  publish(event: LiveEvent): void {
    this.publishAll([event]);
  }

  /** Several events in the order given (an execution's lifecycle events of one moment). */
  publishAll(events: readonly LiveEvent[]): void {
    for (const event of events) this.append(event);
  }

  private append(event: LiveEvent): void {
    const seq = ++this.seq;
    this.ctx.storage.sql.exec("INSERT INTO events (seq, event) VALUES (?, ?)", seq, JSON.stringify(event));
    if (seq % 100 === 0) this.ctx.storage.sql.exec("DELETE FROM events WHERE seq <= ?", seq - RETAINED_EVENTS);
    this.subscribers.publish(seq, frame(seq, event), false);
    this.webhooks.onEvent(event);
  }

  /** Attempts the webhook deliveries that are due (the cron calls it in case an alarm was missed). */
  deliverWebhooks(): Promise<void> {
    return this.webhooks.deliverDue();
  }

  /** The object's alarm fired: attempt the deliveries that are due. */
  async onAlarm(): Promise<void> {
    await this.webhooks.deliverDue();
  }

  stream(afterSeq: number): ReadableStream<Uint8Array> {
    const readPage = (after: number) =>
      this.ctx.storage.sql
        .exec<{ seq: number; event: string }>("SELECT seq, event FROM events WHERE seq > ? ORDER BY seq LIMIT 200", after)
        .toArray()
        .map((row) => ({ seq: row.seq, frame: frame(row.seq, JSON.parse(row.event) as LiveEvent) }));
    return this.subscribers.open(afterSeq, readPage, () => false, (p) => this.ctx.waitUntil(p));
  }
}
