/**
 * Shapes of the resource endpoints' answers — `GET /v1/queue`, `GET /v1/locks`, `GET /v1/usage` — shared
 * by the API (which documents them), the dispatcher and locks (which produce them), the client and the
 * console (which read them).
 */
import { z } from "zod";

export const queueSnapshotSchema = z.object({
  globalLimit: z.number().int(),
  running: z.array(z.object({ executionId: z.string(), templateId: z.string(), concurrencyKey: z.string().nullable(), admittedAt: z.number().int() })),
  queued: z.array(
    z.object({
      executionId: z.string(),
      templateId: z.string(),
      concurrencyKey: z.string().nullable(),
      priority: z.number().int(),
      enqueuedAt: z.number().int(),
      /** 1 for the next in line. */
      position: z.number().int(),
      /** Why it waits, in words (which limit is full). */
      reason: z.string(),
    }),
  ),
});
export type QueueSnapshot = z.infer<typeof queueSnapshotSchema>;

export const lockHolderSchema = z.object({ holder: z.string(), executionId: z.string(), stepKey: z.string(), acquiredAt: z.number().int(), expiresAt: z.number().int() });
export const lockWaiterSchema = z.object({ holder: z.string(), executionId: z.string(), stepKey: z.string(), leaseMs: z.number().int(), since: z.number().int() });
export const lockSchema = z.object({ name: z.string(), capacity: z.number().int(), holders: z.array(lockHolderSchema), waiters: z.array(lockWaiterSchema) });
export type LockState = z.infer<typeof lockSchema>;

/** A forced release: `held` says plainly whether anything held a place (and so whether anything was freed). */
export const lockReleaseSchema = z.object({
  name: z.string(),
  held: z.boolean(),
  released: z.array(z.string()),
  /** Waiters named by `holder`, taken out of line. */
  dequeued: z.array(z.string()),
  message: z.string(),
});
export type LockRelease = z.infer<typeof lockReleaseSchema>;

export const usageGroupings = ["day", "template", "agent"] as const;
export type UsageGrouping = (typeof usageGroupings)[number];

export const usageRowSchema = z.object({
  key: z.string(),
  attempts: z.number().int(),
  executions: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cachedTokens: z.number().int(),
  costUsd: z.number(),
});
export type UsageRow = z.infer<typeof usageRowSchema>;

export const usageReportSchema = z.object({ groupBy: z.enum(usageGroupings), rows: z.array(usageRowSchema), total: usageRowSchema });
export type UsageReport = z.infer<typeof usageReportSchema>;
