/**
 * Which live events become webhooks, and what is posted for them. A delivery's id is derived from the
 * endpoint and the event, so an event published twice (publishing is at-least-once) is delivered once.
 */
import { type WebhookEventType, webhookEventTypes, type WebhookPayload } from "#shared/api/webhooks.ts";
import { canonicalJson } from "#shared/canonical-json.ts";
import type { LiveEvent } from "#shared/execution.ts";
import { sha256Hex } from "../auth/crypto.ts";

const webhookTypes: ReadonlySet<string> = new Set(webhookEventTypes);

export function isWebhookEvent(event: LiveEvent): event is LiveEvent & { type: WebhookEventType } {
  return webhookTypes.has(event.type);
}

/** The same for every publication of one event: the execution and its sequence number, or the alert itself. */
function eventKey(event: LiveEvent): string {
  return "executionId" in event ? `${event.executionId}:${event.seq}` : `${event.type}:${canonicalJson(event.data)}`;
}

export async function deliveryId(endpointId: string, event: LiveEvent): Promise<string> {
  return `whd_${(await sha256Hex(`${endpointId}\n${eventKey(event)}`)).slice(0, 24)}`;
}

export function payloadOf(id: string, event: LiveEvent & { type: WebhookEventType }): WebhookPayload {
  return {
    id,
    type: event.type,
    createdAt: event.at,
    ...("executionId" in event ? { executionId: event.executionId } : {}),
    data: event.data,
  };
}
