/**
 * Inbound triggers (`/v1/triggers…`): a named way for an outside system to start a template by sending
 * an event. These schemas are the one definition of a trigger, an event's answer and a delivery record,
 * for the API, the typed client, the CLI and the console.
 */
import { z } from "zod";
import { TEMPLATE_ID_PATTERN } from "../template.ts";

export const TRIGGER_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const triggerAuthModes = ["token", "signature"] as const;
export type TriggerAuth = (typeof triggerAuthModes)[number];
/** The param a batch trigger fills with the events' payloads, in arrival order. */
export const BATCH_ITEMS_PARAM = "items";

const MAX_WINDOW_MS = 24 * 60 * 60 * 1000;
const reference = z.string().min(1).max(200);

/** A trigger as an admin writes it (`PUT /v1/triggers/:name`). */
export const triggerInputSchema = z
  .strictObject({
    template: z.string().regex(TEMPLATE_ID_PATTERN, "use the id of an existing template"),
    description: z.string().max(500).optional(),
    /** Param values: literals, or references over the event: `{{payload.a.b}}`, `{{headers.x-id}}`. */
    params: z.record(z.string(), z.unknown()).default({}),
    /** `token`: a bearer API token; `signature`: `Baton-Signature` HMAC with the trigger's secret. */
    auth: z.enum(triggerAuthModes),
    /** Events with the same key start one execution, with the last payload, once quiet for `periodMs`. */
    debounce: z.strictObject({ key: reference, periodMs: z.number().int().min(10).max(MAX_WINDOW_MS) }).optional(),
    /** Events with the same key collect until `maxSize` or `maxWaitMs`; one execution gets them as `items`. */
    batch: z
      .strictObject({
        key: reference.optional(),
        maxSize: z.number().int().min(1).max(1000),
        maxWaitMs: z.number().int().min(10).max(MAX_WINDOW_MS),
      })
      .optional(),
    /** A reference to the sender's delivery id: the same value never starts twice. */
    idempotencyKey: reference.optional(),
  })
  .superRefine((trigger, context) => {
    if (trigger.debounce && trigger.batch) {
      context.addIssue({ code: "custom", path: ["batch"], message: "a trigger either debounces or batches; remove one of debounce and batch" });
    }
  });
export type TriggerInput = z.input<typeof triggerInputSchema>;
export type TriggerDefinition = z.infer<typeof triggerInputSchema>;

/** A trigger as the API shows it. The secret is never shown, except once in the answer that made it. */
export const triggerSchema = z.object({
  name: z.string(),
  template: z.string(),
  description: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
  auth: z.enum(triggerAuthModes),
  debounce: z.object({ key: z.string(), periodMs: z.number().int() }).nullable(),
  batch: z.object({ key: z.string().nullable(), maxSize: z.number().int(), maxWaitMs: z.number().int() }).nullable(),
  idempotencyKey: z.string().nullable(),
  /** Where events go: `POST` this path. */
  eventsPath: z.string(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  updatedBy: z.string(),
});
export type Trigger = z.infer<typeof triggerSchema>;

export const triggerSavedSchema = triggerSchema.extend({
  created: z.boolean(),
  /** The signing secret, present only in the answer that generated it: keep it now. */
  secret: z.string().optional(),
});
export type TriggerSaved = z.infer<typeof triggerSavedSchema>;

export const triggerListSchema = z.object({ triggers: z.array(triggerSchema) });

/** The answer to an event (202). */
export const triggerEventResponseSchema = z.object({
  accepted: z.literal(true),
  deliveryId: z.string(),
  /** The execution it started (at once, or earlier for a repeated idempotency key). */
  executionId: z.string().optional(),
  /** Held until the key has been quiet for `debounce.periodMs`. */
  debounced: z.boolean().optional(),
  /** Added to a batch that starts at `batch.maxSize` events or after `batch.maxWaitMs`. */
  batched: z.boolean().optional(),
  /** Its idempotency key was seen before: nothing new starts. */
  duplicate: z.boolean().optional(),
});
export type TriggerEventResponse = z.infer<typeof triggerEventResponseSchema>;

/**
 * What became of an event: `started` (it started `executionId`), `debounced` (held; once a later event
 * superseded it, `executionId` is what started instead), `batched` (held; then `executionId` is the batch's
 * execution), `duplicate` (its idempotency key was seen), `refused` (`detail` says why).
 */
export const triggerDeliveryStatuses = ["started", "debounced", "batched", "duplicate", "refused"] as const;
export type TriggerDeliveryStatus = (typeof triggerDeliveryStatuses)[number];

export const triggerDeliverySchema = z.object({
  id: z.string(),
  trigger: z.string(),
  receivedAt: z.number().int(),
  status: z.enum(triggerDeliveryStatuses),
  executionId: z.string().nullable(),
  detail: z.string().nullable(),
  /** The debounce or batch key the event had. */
  key: z.string().nullable(),
  idempotencyKey: z.string().nullable(),
  bytes: z.number().int(),
  updatedAt: z.number().int(),
});
export type TriggerDelivery = z.infer<typeof triggerDeliverySchema>;

export const triggerDeliveryPageSchema = z.object({
  deliveries: z.array(triggerDeliverySchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type TriggerDeliveryPage = z.infer<typeof triggerDeliveryPageSchema>;
