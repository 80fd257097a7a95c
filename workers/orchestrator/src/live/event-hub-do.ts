/**
 * EventHubDO: the live feed of every execution's lifecycle events for dashboards (`GET /v1/events`).
 * It numbers events in arrival order and keeps the most recent ones, so a dashboard that reconnects with
 * `Last-Event-ID` misses nothing that happened while it was away (within the retention). It also hands the
 * events that have webhooks to the webhook outbox, whose retries run on this object's alarm.
 */
import { DurableObject } from "cloudflare:workers";
import type { LiveEvent } from "#shared/execution.ts";
import { Subscribers } from "../execution/subscribers.ts";
import { WebhookOutbox } from "../webhooks/outbox.ts";

const RETAINED_EVENTS = 10_000;
const encoder = new TextEncoder();

function frame(seq: number, event: LiveEvent): Uint8Array {
  return encoder.encode(`id: ${seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

export class EventHubDO extends DurableObject<Env> {
  private readonly subscribers = new Subscribers();
  private readonly webhooks: WebhookOutbox;
  private seq: number;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, event TEXT NOT NULL)");
    this.seq = ctx.storage.sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM events").one().seq ?? 0;
    this.webhooks = new WebhookOutbox(ctx, env);
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
    this.subscribers.publish(frame(seq, event), false);
    this.webhooks.onEvent(event);
  }

  /** Attempts the webhook deliveries that are due (the cron calls it in case an alarm was missed). */
  deliverWebhooks(): Promise<void> {
    return this.webhooks.deliverDue();
  }

  override async alarm(): Promise<void> {
    await this.webhooks.deliverDue();
  }

  stream(afterSeq: number): ReadableStream<Uint8Array> {
    const backlog = this.ctx.storage.sql
      .exec<{ seq: number; event: string }>("SELECT seq, event FROM events WHERE seq > ? ORDER BY seq", afterSeq)
      .toArray()
      .map((row) => frame(row.seq, JSON.parse(row.event) as LiveEvent));
    return this.subscribers.open(backlog, false);
  }
}
