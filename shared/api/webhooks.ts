/**
 * Outgoing webhooks (`/v1/webhooks…`): the endpoints Baton posts to, for which events, and the log of
 * every delivery. A secret is write-only: answers show a hint of it, never the secret itself.
 */
import { z } from "zod";

/** The events a webhook can subscribe to. */
export const webhookEventTypes = ["execution.completed", "execution.failed", "approval.required", "budget.alert"] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const WEBHOOK_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const endpointFields = {
  id: z.string().regex(WEBHOOK_ID_PATTERN, "use 1-64 lowercase letters, digits, '_' or '-'"),
  url: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .max(2000),
  /** Which events to send (all of them when left out). */
  events: z.array(z.enum(webhookEventTypes)).min(1).default([...webhookEventTypes]),
  enabled: z.boolean().default(true),
};

/** An endpoint as an admin sends it; `secret` may be left out to keep the one the endpoint has. */
export const webhookEndpointInputSchema = z.strictObject({
  ...endpointFields,
  secret: z.string().min(16, "use at least 16 characters").max(200).optional(),
});

export const webhookSettingsInputSchema = z.strictObject({
  endpoints: z.array(webhookEndpointInputSchema).max(20),
});
export type WebhookSettingsInput = z.input<typeof webhookSettingsInputSchema>;

/** An endpoint as it is stored. */
export const webhookEndpointSchema = z.strictObject({ ...endpointFields, secret: z.string().min(16).max(200) });
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

/** An endpoint as the API shows it. */
export const webhookEndpointViewSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(webhookEventTypes)),
  enabled: z.boolean(),
  /** The secret's last four characters, to tell secrets apart. */
  secretHint: z.string(),
});
export const webhookSettingsSchema = z.object({ endpoints: z.array(webhookEndpointViewSchema) });
export type WebhookSettings = z.infer<typeof webhookSettingsSchema>;

export const webhookDeliveryStatuses = ["pending", "delivered", "failed"] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

/** What Baton posts: the JSON body of every delivery. */
export const webhookPayloadSchema = z.object({
  /** The delivery's id: the same on every retry, so receivers can drop duplicates. */
  id: z.string(),
  type: z.enum(webhookEventTypes),
  /** When the event happened (epoch ms). */
  createdAt: z.number().int(),
  /** The execution the event belongs to; absent for budget alerts. */
  executionId: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

export const webhookDeliverySchema = z.object({
  id: z.string(),
  url: z.string(),
  event: z.enum(webhookEventTypes),
  status: z.enum(webhookDeliveryStatuses),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  /** When the next attempt is due (pending deliveries). */
  nextAttemptAt: z.number().int().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  payload: webhookPayloadSchema,
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const webhookDeliveryPageSchema = z.object({
  deliveries: z.array(webhookDeliverySchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type WebhookDeliveryPage = z.infer<typeof webhookDeliveryPageSchema>;

export const webhookDeliveryFiltersSchema = z.strictObject({
  status: z.enum(webhookDeliveryStatuses).optional(),
  event: z.enum(webhookEventTypes).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(200).optional(),
});
export type WebhookDeliveryFilters = z.infer<typeof webhookDeliveryFiltersSchema>;
