/**
 * The control-plane objects of versions before the control shards: a dispatcher, a history writer and an
 * event hub, each its own class. New work never reaches them. They stay exported because deployments made
 * before hold them (and their Durable Object migrations name them), and each keeps doing, for what it
 * still holds, the one job it had, with the same role code the control shard runs:
 * - a dispatcher admits the executions still queued in it and frees their places as they end (their
 *   releases go to the control shard, so its sweep frees them, within about a minute); the rate-limit
 *   objects take over its rate windows (`legacyRateStarts`);
 * - a history writer writes the rows it still holds to D1 on its alarm;
 * - an event hub only keeps its retained feed events (webhook deliveries live in D1; the first control
 *   shard attempts them).
 */
import { DurableObject } from "cloudflare:workers";
import { Dispatcher } from "../dispatcher/dispatcher.ts";
import type { RateStart } from "../dispatcher/rate-limit-do.ts";
import { HistoryWriter } from "../history/history-writer.ts";
import { controlShardOf } from "./control-shards.ts";
import { SharedAlarm } from "./shared-alarm.ts";

export class DispatcherDO extends DurableObject<Env> {
  private readonly alarms = new SharedAlarm(this.ctx);
  private readonly dispatcher = new Dispatcher(this.ctx, this.env, this.alarms.role, (_id, handover) => {
    // An execution it admits hands back its start: that belongs to the execution's control shard.
    if (handover) this.ctx.waitUntil(controlShardOf(this.env, handover.ticket).record(handover).catch((e: unknown) => console.error("a handover did not reach its control shard", e)));
  });

  // What the lender and the rate-limit objects still call; nothing enqueues or releases here any more.
  slotsAvailable(): Promise<void> {
    return this.dispatcher.slotsAvailable();
  }

  reclaim(): Promise<void> {
    return this.dispatcher.reclaim();
  }

  legacyRateStarts(templateId: string, rateKey: string): RateStart[] {
    return this.dispatcher.legacyRateStarts(templateId, rateKey);
  }

  override async alarm(): Promise<void> {
    this.alarms.fired();
    await this.dispatcher.onAlarm();
  }
}

export class HistoryWriterDO extends DurableObject<Env> {
  private readonly alarms = new SharedAlarm(this.ctx);
  // Constructing it reads what is pending and schedules its write.
  private readonly writer = new HistoryWriter(this.ctx, this.env, this.alarms.role);

  override async alarm(): Promise<void> {
    this.alarms.fired();
    await this.writer.onAlarm();
  }
}

export class EventHubDO extends DurableObject<Env> {}
