/**
 * Delivering webhooks: creating a delivery per subscribed endpoint when an event happens, and making
 * attempts. Each attempt is a signed POST with a timeout; a 2xx answer delivers, anything else (an error
 * status, a timeout, a refused connection) schedules the next attempt, until MAX_ATTEMPTS. Every attempt's
 * outcome is written to `webhook_deliveries`, which is the delivery log of the API. Only URLs the outbound
 * policy allows are posted to, and a receiver's answer is judged by its status alone: its body is not read.
 */
import { and, asc, eq, lte, min } from "drizzle-orm";
import type { WebhookEndpoint, WebhookPayload } from "#shared/api/webhooks.ts";
import type { LiveEvent } from "#shared/execution.ts";
import { SIGNATURE_HEADER, signWebhook } from "#shared/webhook-signature.ts";
import type { Database } from "../db/client.ts";
import { webhookDeliveries } from "../db/schema.ts";
import { checkOutbound, type OutboundPolicy } from "../outbound/policy.ts";
import { loadEndpoints } from "./endpoints.ts";
import { deliveryId, isWebhookEvent, payloadOf } from "./payload.ts";
import { MAX_ATTEMPTS, nextAttemptAt } from "./retry-delays.ts";

const ATTEMPT_TIMEOUT_MS = 10_000;
const BATCH = 25;

type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/** Creates the deliveries `event` calls for; returns how many are new. */
export async function enqueueDeliveries(db: Database, event: LiveEvent, now = Date.now()): Promise<number> {
  if (!isWebhookEvent(event)) return 0;
  const endpoints = (await loadEndpoints(db)).filter((e) => e.enabled && e.events.includes(event.type));
  if (endpoints.length === 0) return 0;
  const rows = await Promise.all(
    endpoints.map(async (endpoint) => {
      const id = await deliveryId(endpoint.id, event);
      return {
        id,
        url: endpoint.url,
        event: event.type,
        payload: payloadOf(id, event),
        status: "pending",
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
      };
    }),
  );
  const inserted = await db.insert(webhookDeliveries).values(rows).onConflictDoNothing().returning({ id: webhookDeliveries.id });
  return inserted.length;
}

async function post(endpoint: WebhookEndpoint, payload: WebhookPayload, attempt: number, now: number, policy: OutboundPolicy) {
  const allowed = await checkOutbound(new URL(endpoint.url), policy);
  if (!allowed.ok) return { ok: false, statusCode: null, error: `not sent: ${allowed.message}` };
  const body = JSON.stringify(payload);
  const signature = await signWebhook(endpoint.secret, body, Math.floor(now / 1000));
  try {
    const response = await fetch(endpoint.url, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "user-agent": "Baton-Webhooks/1",
        [SIGNATURE_HEADER]: signature,
        "baton-event": payload.type,
        "baton-delivery": payload.id,
        "baton-attempt": String(attempt),
      },
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      redirect: "manual",
    });
    // The receiver's body is never read: the status says whether it took the delivery, and a body shown
    // back in `lastError` could carry whatever the URL answers (an internal page, say).
    await response.body?.cancel().catch(() => {});
    const redirected = response.status >= 300 && response.status < 400 ? " (a redirect, which is not followed)" : "";
    return { ok: response.ok, statusCode: response.status, error: response.ok ? null : `HTTP ${response.status}${redirected}` };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { ok: false, statusCode: null, error: timedOut ? `no answer within ${ATTEMPT_TIMEOUT_MS} ms` : `could not be reached (${error instanceof Error ? error.name : "error"})` };
  }
}

/** One attempt of one delivery, and its outcome written down. */
async function attempt(db: Database, row: DeliveryRow, endpoint: WebhookEndpoint | undefined, now: number, policy: OutboundPolicy): Promise<void> {
  const attempts = row.attempts + 1;
  const outcome = endpoint
    ? await post(endpoint, row.payload as WebhookPayload, attempts, now, policy)
    : { ok: false, statusCode: null, error: "the endpoint was removed or disabled" };
  const retryAt = outcome.ok || !endpoint ? null : nextAttemptAt(attempts, Date.now());
  await db
    .update(webhookDeliveries)
    .set({
      status: outcome.ok ? "delivered" : retryAt === null || attempts >= MAX_ATTEMPTS ? "failed" : "pending",
      attempts,
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error,
      nextAttemptAt: outcome.ok ? null : retryAt,
      updatedAt: Date.now(),
    })
    .where(eq(webhookDeliveries.id, row.id));
}

/**
 * Attempts every pending delivery that is due (a batch at a time), skipping those `busy` says are already
 * being attempted. Returns when the next pending one is due, or null when none is left.
 */
export async function deliverDue(db: Database, busy: Set<string>, policy: OutboundPolicy, now = Date.now()): Promise<number | null> {
  const due = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now)))
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(BATCH);
  const endpoints = new Map((await loadEndpoints(db)).filter((e) => e.enabled).map((e) => [e.url, e]));
  await Promise.all(
    due
      .filter((row) => !busy.has(row.id))
      .map(async (row) => {
        busy.add(row.id);
        try {
          await attempt(db, row, endpoints.get(row.url), now, policy);
        } finally {
          busy.delete(row.id);
        }
      }),
  );
  if (due.length === BATCH) return Date.now();
  return nextDue(db);
}

export async function nextDue(db: Database): Promise<number | null> {
  const [row] = await db
    .select({ at: min(webhookDeliveries.nextAttemptAt) })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.status, "pending"));
  return row?.at ?? null;
}
