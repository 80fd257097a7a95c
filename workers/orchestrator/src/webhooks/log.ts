/** The delivery log (`GET /v1/webhooks/deliveries`): newest first, filtered by status and event, paged by cursor. */
import { and, desc, eq, type SQL } from "drizzle-orm";
import type { WebhookDelivery, WebhookDeliveryFilters, WebhookDeliveryPage, WebhookPayload } from "#shared/api/webhooks.ts";
import type { Database } from "../db/client.ts";
import { afterCursor, encodeCursor } from "../db/cursor.ts";
import { webhookDeliveries } from "../db/schema.ts";

export async function listDeliveries(db: Database, filters: WebhookDeliveryFilters): Promise<WebhookDeliveryPage> {
  const limit = filters.limit ?? 50;
  const conditions: (SQL | undefined)[] = [];
  if (filters.status) conditions.push(eq(webhookDeliveries.status, filters.status));
  if (filters.event) conditions.push(eq(webhookDeliveries.event, filters.event));
  if (filters.cursor) conditions.push(afterCursor(webhookDeliveries, filters.cursor));
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(...conditions))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    deliveries: page.map(
      (row): WebhookDelivery => ({
        id: row.id,
        url: row.url,
        event: row.event as WebhookDelivery["event"],
        status: row.status as WebhookDelivery["status"],
        attempts: row.attempts,
        lastStatusCode: row.lastStatusCode,
        lastError: row.lastError,
        nextAttemptAt: row.nextAttemptAt,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        payload: row.payload as WebhookPayload,
      }),
    ),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}
