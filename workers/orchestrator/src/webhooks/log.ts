/** The delivery log (`GET /v1/webhooks/deliveries`): newest first, filtered by status and event, paged by cursor. */
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { WebhookDelivery, WebhookDeliveryFilters, WebhookDeliveryPage, WebhookPayload } from "#shared/api/webhooks.ts";
import { validationError } from "../api/errors.ts";
import type { Database } from "../db/client.ts";
import { webhookDeliveries } from "../db/schema.ts";

function encodeCursor(row: { createdAt: number; id: string }): string {
  return btoa(JSON.stringify([row.createdAt, row.id])).replace(/=+$/, "");
}

function decodeCursor(cursor: string): { createdAt: number; id: string } {
  try {
    const [createdAt, id] = JSON.parse(atob(cursor)) as [unknown, unknown];
    if (typeof createdAt === "number" && typeof id === "string") return { createdAt, id };
  } catch {
    // fall through
  }
  throw validationError([{ path: "cursor", message: "is not one this API returned; start again without it" }], "query string");
}

export async function listDeliveries(db: Database, filters: WebhookDeliveryFilters): Promise<WebhookDeliveryPage> {
  const limit = filters.limit ?? 50;
  const conditions: (SQL | undefined)[] = [];
  if (filters.status) conditions.push(eq(webhookDeliveries.status, filters.status));
  if (filters.event) conditions.push(eq(webhookDeliveries.event, filters.event));
  if (filters.cursor) {
    const after = decodeCursor(filters.cursor);
    conditions.push(
      or(lt(webhookDeliveries.createdAt, after.createdAt), and(eq(webhookDeliveries.createdAt, after.createdAt), lt(webhookDeliveries.id, after.id))),
    );
  }
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
