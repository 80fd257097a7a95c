/**
 * The webhook outbox, kept by the event hub: the hub sees every lifecycle event (and budget alert) once, off the step hot
 * path. A matching event gets its deliveries written to D1 and attempted at once; retries wait for the
 * hub's alarm, which is always set to the next pending delivery, so a restart loses none of them.
 */
import type { LiveEvent } from "#shared/execution.ts";
import type { RoleAlarm } from "../control-plane/shared-alarm.ts";
import { database } from "../db/client.ts";
import { outboundPolicy } from "../outbound/policy.ts";
import { deliverDue, enqueueDeliveries } from "./deliver.ts";
import { isWebhookEvent } from "./payload.ts";

export class WebhookOutbox {
  /** Deliveries being attempted right now, so that an alarm and an event never attempt one twice. */
  private readonly busy = new Set<string>();

  /** `deliverElsewhere`: this hub shard only records deliveries and asks the one that delivers to attempt them. */
  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly alarm: RoleAlarm,
    private readonly deliverElsewhere?: () => Promise<void>,
  ) {}

  /** Called for every published event; returns at once (the work runs in the background). */
  onEvent(event: LiveEvent): void {
    if (!isWebhookEvent(event)) return;
    const handOver = this.deliverElsewhere;
    if (handOver) {
      // The delivering shard's alarm and the cron pick it up should this nudge be lost.
      this.ctx.waitUntil(
        enqueueDeliveries(database(this.env.DB), event)
          .then((count) => (count > 0 ? handOver() : undefined))
          .catch((error: unknown) => console.error("webhook delivery could not be recorded or handed over", error)),
      );
      return;
    }
    // Nothing enqueued, nothing to re-arm: the alarm already points at the next pending delivery.
    this.ctx.waitUntil(
      this.run(async (db) => ((await enqueueDeliveries(db, event)) > 0 ? deliverDue(db, this.busy, await outboundPolicy(this.env, db)) : null)),
    );
  }

  /** The hub's alarm (or the cron's nudge): attempt what is due. */
  deliverDue(): Promise<void> {
    return this.run(async (db) => deliverDue(db, this.busy, await outboundPolicy(this.env, db)));
  }

  private async run(work: (db: ReturnType<typeof database>) => Promise<number | null>): Promise<void> {
    try {
      const next = await work(database(this.env.DB));
      if (next !== null) this.alarm.wakeBy(Math.max(next, Date.now() + 100));
    } catch (error) {
      // Whatever was written stays pending; the alarm or the cron picks it up again.
      console.error("webhook delivery failed", error);
      this.alarm.wakeBy(Date.now() + 30_000);
    }
  }
}
