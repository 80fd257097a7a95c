/**
 * Shape of `GET /v1/stats`: the dashboard's numbers, counted exactly in D1's history (never from list
 * pages). "Today" and the series' buckets follow the caller's UTC offset.
 */
import { z } from "zod";
import { executionStatuses } from "../execution.ts";

const bucket = z.object({
  /** Epoch ms of the bucket's start. */
  start: z.number().int(),
  /** Executions created in the bucket. */
  created: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  costUsd: z.number(),
});
export type StatsBucket = z.infer<typeof bucket>;

export const statsSchema = z.object({
  at: z.number().int(),
  utcOffsetMinutes: z.number().int(),
  /** Executions in each status now. */
  byStatus: z.record(z.enum(executionStatuses), z.number().int()),
  today: z.object({
    since: z.number().int(),
    created: z.number().int(),
    /** Ended today as completed, failed or cancelled. */
    finished: z.number().int(),
    completed: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
    /** completed / (completed + failed) of today's finished; null when none finished. */
    successRate: z.number().nullable(),
    costUsd: z.number(),
  }),
  /** The last 24 hours, oldest first: created by creation time, outcomes by end time, cost by usage time. */
  hourly: z.array(bucket),
  /** The last `days` days (today included), oldest first, on the caller's day boundaries. */
  daily: z.array(bucket),
  /** The templates started most in the last 24 hours, most first (at most 10). */
  topTemplates: z.array(z.object({ templateId: z.string(), created: z.number().int(), failed: z.number().int() })),
});
export type Stats = z.infer<typeof statsSchema>;

export const MAX_STATS_DAYS = 90;
