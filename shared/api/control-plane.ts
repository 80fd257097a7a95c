/** `GET /v1/control-plane`: the calls each control-plane object received, to see which one is busiest. */
import { z } from "zod";

/** `shard`: a control shard (dispatcher, history writer and live feed of its executions); `lender`: the global limit's. */
export const controlPlaneRoles = ["shard", "lender", "rate"] as const;
export type ControlPlaneRole = (typeof controlPlaneRoles)[number];

export const controlPlaneObjectSchema = z.object({
  role: z.enum(controlPlaneRoles),
  /** The object's name (shard names are in docs/scale.md). */
  name: z.string(),
  /** Calls since the object started (counts live in memory). */
  calls: z.number().int(),
  countingSince: z.number().int(),
  /** Calls since `since` (the query), and the busiest second among them. */
  callsSince: z.number().int(),
  busiestSecond: z.number().int(),
  perSecond: z.array(z.object({ second: z.number().int(), calls: z.number().int() })),
});
export type ControlPlaneObject = z.infer<typeof controlPlaneObjectSchema>;

export const controlPlaneSchema = z.object({
  /** CONTROL_SHARDS. */
  shards: z.object({ control: z.number().int() }),
  objects: z.array(controlPlaneObjectSchema),
});
export type ControlPlane = z.infer<typeof controlPlaneSchema>;
