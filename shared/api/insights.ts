/**
 * `GET /v1/insights`: what a template made recently, grouped by a param or by its concurrency or rate
 * key, and how saturated each key is against the template's rate limit. Read from D1 history only, so
 * asking never wakes an execution.
 */
import { z } from "zod";
import { executionStatuses } from "../execution.ts";

export const insightWindows = ["7d", "30d", "90d"] as const;
export type InsightWindow = (typeof insightWindows)[number];

/** `by` may name a param of the template, or one of these keys the template declares. */
export const insightKeyNames = ["concurrencyKey", "rateKey"] as const;

export const insightsQuerySchema = z.strictObject({
  template: z.string().min(1).max(64),
  /** A param name, `concurrencyKey` or `rateKey`; left out: the rate key, else the concurrency key. */
  by: z.string().min(1).max(64).optional(),
  window: z.enum(insightWindows).default("30d"),
  cursor: z.string().max(500).optional(),
  limit: z.number().int().min(1).max(200).optional(),
});
export type InsightsQuery = z.input<typeof insightsQuerySchema>;

export const keySaturationSchema = z.object({
  /** Starts counted in the rate limit's current window (its own length, not the insights window). */
  used: z.number().int(),
  allowed: z.number().int(),
  window: z.string(),
  /** When the next place frees if the key is full (epoch ms); null while a place is free now. */
  freesAt: z.number().int().nullable(),
});

export const keyInsightSchema = z.object({
  /** The value of `by` for these runs; null for runs that had none. */
  key: z.string().nullable(),
  runs: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  costUsd: z.number(),
  lastRunAt: z.number().int(),
  /** The newest runs of this key (up to 3), newest first. */
  recent: z.array(z.object({ id: z.string(), status: z.enum(executionStatuses), createdAt: z.number().int() })),
  /** Present when the template has a rate limit on this key. */
  rate: keySaturationSchema.nullable(),
});

export const insightsSchema = z.object({
  template: z.string(),
  by: z.string(),
  /** Everything `by` could have been for this template. */
  choices: z.array(z.string()),
  window: z.enum(insightWindows),
  since: z.number().int(),
  /** The template's rate limit when it applies to `by`. */
  rateLimit: z.object({ key: z.string(), limit: z.number().int(), window: z.string() }).nullable(),
  keys: z.array(keyInsightSchema),
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: z.string().nullable(),
});

export type KeySaturation = z.infer<typeof keySaturationSchema>;
export type KeyInsight = z.infer<typeof keyInsightSchema>;
export type Insights = z.infer<typeof insightsSchema>;
