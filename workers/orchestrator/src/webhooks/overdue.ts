/**
 * The cron's safety net for webhooks: if a pending delivery is overdue by more than a minute (its alarm
 * was lost), the first control shard (which attempts deliveries) is told to deliver. Reads D1 only, so an idle Baton wakes no object.
 */
import { and, eq, lt } from "drizzle-orm";
import { database } from "../db/client.ts";
import { webhookDeliveries } from "../db/schema.ts";
import { firstControlShard } from "../control-plane/control-shards.ts";

const OVERDUE_MS = 60_000;

export async function redeliverOverdueWebhooks(env: Env, now: Date): Promise<void> {
  const [overdue] = await database(env.DB)
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.status, "pending"), lt(webhookDeliveries.nextAttemptAt, now.getTime() - OVERDUE_MS)))
    .limit(1);
  if (overdue) await firstControlShard(env).deliverWebhooks();
}
