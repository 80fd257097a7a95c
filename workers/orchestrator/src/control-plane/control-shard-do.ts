/**
 * ControlShardDO: one shard of the control plane. For the executions whose key lands on it
 * (control-shards.ts) it is at once their dispatcher (queue and limits), their history writer and their
 * live-feed shard, three roles that keep their own tables in its SQLite and share its alarm. So an
 * execution calls one object when it starts (`begin`: enqueue, its first history row and its first
 * lifecycle events), hands its "started" rows and events back when the shard tells it to begin (`admit`'s
 * answer), and calls once more when it ends (`end`: release, last rows and events). Between the two it
 * calls only when its status changes or a long step has run for 10 s (`record`), never per step.
 * docs/scale.md and docs/decisions/0005-one-control-shard.md say why.
 */
import { DurableObject } from "cloudflare:workers";
import type { ControlPlaneObject } from "#shared/api/control-plane.ts";
import type { LiveEvent } from "#shared/execution.ts";
import { type Admission, Dispatcher, type ShardSnapshot } from "../dispatcher/dispatcher.ts";
import type { QueueEntry } from "../dispatcher/admission.ts";
import { type CommitResult, HistoryWriter } from "../history/history-writer.ts";
import { EventHub } from "../live/event-hub.ts";
import { callCounts, countCall } from "./call-counts.ts";
import { controlShardNames, firstControlShard, type QueueTicket } from "./control-shards.ts";
import type { Handover } from "./handover.ts";
import { SharedAlarm } from "./shared-alarm.ts";

export class ControlShardDO extends DurableObject<Env> {
  private readonly alarms: SharedAlarm;
  private readonly history: HistoryWriter;
  private readonly hub: EventHub;
  private readonly dispatcher: Dispatcher;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.alarms = new SharedAlarm(ctx);
    this.history = new HistoryWriter(ctx, env, this.alarms.role);
    const delivers = this.name === controlShardNames(env)[0];
    this.hub = new EventHub(ctx, env, this.alarms.role, delivers ? undefined : () => firstControlShard(env).deliverWebhooks());
    this.dispatcher = new Dispatcher(ctx, env, this.alarms.role, (_id, handover) => {
      if (handover) this.take(handover);
    });
  }

  private get name(): string {
    return this.ctx.id.name ?? this.ctx.id.toString();
  }

  // What executions call.

  /** An execution starts (or asks again): what it has to say so far, and its place in the queue. */
  async begin(entry: Omit<QueueEntry, "enqueuedAt">, handover: Handover | null): Promise<Admission> {
    countCall(this.ctx, "shard");
    if (handover) this.take(handover);
    return this.dispatcher.enqueue(entry);
  }

  /** An execution ended (or left the queue): its last rows and events, and its place freed. */
  async end(ticket: QueueTicket, handover: Handover | null): Promise<void> {
    countCall(this.ctx, "shard");
    if (handover) this.take(handover);
    await this.dispatcher.release(ticket.executionId);
  }

  /** What an execution hands over between its start and its end: a status change, or a long step's progress. */
  record(handover: Handover): void {
    countCall(this.ctx, "shard");
    this.take(handover);
  }

  // What readers of the history and of the live feed call.

  /** Answers once D1 has every row handed over before the call, or why it has not. */
  commit(): Promise<CommitResult> {
    countCall(this.ctx, "shard");
    return this.history.commit();
  }

  /** This shard's part of `GET /v1/events`. */
  stream(afterSeq: number): ReadableStream<Uint8Array> {
    countCall(this.ctx, "shard");
    return this.hub.stream(afterSeq);
  }

  /** An event of no execution (a budget alert), for the first shard's feed. */
  publish(event: LiveEvent): void {
    countCall(this.ctx, "shard");
    this.hub.publishAll([event]);
  }

  /** Attempts the webhook deliveries that are due (other shards and the cron nudge the first one). */
  deliverWebhooks(): Promise<void> {
    return this.hub.deliverWebhooks();
  }

  // What the lender and the queue's admin routes call.

  reprioritize(executionId: string, priority: number): Promise<boolean> {
    countCall(this.ctx, "shard");
    return this.dispatcher.reprioritize(executionId, priority);
  }

  snapshot(): Promise<ShardSnapshot> {
    return this.dispatcher.snapshot();
  }

  slotsAvailable(): Promise<void> {
    countCall(this.ctx, "shard");
    return this.dispatcher.slotsAvailable();
  }

  reclaim(): Promise<void> {
    countCall(this.ctx, "shard");
    return this.dispatcher.reclaim();
  }

  configChanged(): Promise<void> {
    return this.dispatcher.configChanged();
  }

  callCounts(sinceMs: number): ControlPlaneObject {
    return callCounts(this.ctx, this.name, "shard", sinceMs);
  }

  override async alarm(): Promise<void> {
    this.alarms.fired();
    // Each role's work on its own: one that fails must not keep the others from theirs.
    const results = await Promise.allSettled([this.dispatcher.onAlarm(), this.history.onAlarm(), this.hub.onAlarm()]);
    for (const result of results) if (result.status === "rejected") console.error("a control shard role failed on its alarm; it retries", result.reason);
  }

  private take(handover: Handover): void {
    const { executionId } = handover.ticket;
    if (handover.rows) this.history.write(executionId, handover.rows);
    if (handover.events.length > 0) this.hub.publishAll(handover.events);
  }
}
