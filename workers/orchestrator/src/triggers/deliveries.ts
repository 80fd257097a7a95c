/**
 * The delivery log of triggers (`GET /v1/triggers/:name/deliveries`): one row per authenticated event,
 * written when it arrives and updated when the buffer it waited in starts (or fails to start) an execution.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import type { TriggerDelivery, TriggerDeliveryPage, TriggerDeliveryStatus } from "#shared/api/triggers.ts";
import type { Database } from "../db/client.ts";
import { afterCursor, encodeCursor } from "../db/cursor.ts";
import { triggerDeliveries } from "../db/schema.ts";

export function newDeliveryId(): string {
  return `dl_${crypto.randomUUID().replaceAll("-", "")}`;
}

export type NewDelivery = Omit<TriggerDelivery, "updatedAt" | "trigger"> & { trigger: string };

export async function recordDelivery(db: Database, delivery: NewDelivery): Promise<void> {
  const { trigger, ...rest } = delivery;
  await db.insert(triggerDeliveries).values({ ...rest, triggerName: trigger, updatedAt: Date.now() }).run();
}

export async function updateDeliveries(
  db: Database,
  ids: readonly string[],
  change: { status?: TriggerDeliveryStatus; executionId?: string | null; detail?: string | null },
): Promise<void> {
  if (ids.length === 0) return;
  // D1 caps bound parameters per statement; a batch is at most 1000 events.
  for (let at = 0; at < ids.length; at += 90) {
    await db
      .update(triggerDeliveries)
      .set({ ...change, updatedAt: Date.now() })
      .where(inArray(triggerDeliveries.id, ids.slice(at, at + 90)))
      .run();
  }
}

export async function listTriggerDeliveries(
  db: Database,
  trigger: string,
  page: { limit?: number; cursor?: string },
): Promise<TriggerDeliveryPage> {
  const limit = page.limit ?? 50;
  const columns = { createdAt: triggerDeliveries.receivedAt, id: triggerDeliveries.id };
  const rows = await db
    .select()
    .from(triggerDeliveries)
    .where(and(eq(triggerDeliveries.triggerName, trigger), page.cursor ? afterCursor(columns, page.cursor) : undefined))
    .orderBy(desc(triggerDeliveries.receivedAt), desc(triggerDeliveries.id))
    .limit(limit + 1);
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    deliveries: shown.map(({ triggerName, ...row }) => ({ ...row, trigger: triggerName })),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.receivedAt, id: last.id }) : null,
  };
}
