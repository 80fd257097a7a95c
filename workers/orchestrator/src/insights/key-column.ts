/**
 * What `by` means for a template: one of its params (read from each execution's params JSON) or the
 * concurrency / rate key resolved at start (columns of their own), and whether the template's rate limit
 * counts starts per that same key, so saturation can be shown beside the runs.
 */
import { insightKeyNames } from "#shared/api/insights.ts";
import type { Template } from "#shared/template.ts";

export type KeySource = { kind: "param"; name: string } | { kind: "column"; column: "concurrency_key" | "rate_key" };

export interface KeyChoice {
  by: string;
  source: KeySource;
  /** The template's rate limit, when its key is exactly this one. */
  rateLimit: { key: string; limit: number; window: string } | null;
}

/** Every `by` the template allows: its params, then the keys it declares. */
export function keyChoices(template: Template): string[] {
  const keys = insightKeyNames.filter((name) => (name === "rateKey" ? template.rateLimit : template.concurrency?.key));
  return [...Object.keys(template.params), ...keys];
}

/** Left out, `by` is the rate key (saturation is what people ask about), else the concurrency key. */
export function defaultKey(template: Template): string | undefined {
  if (template.rateLimit) return "rateKey";
  if (template.concurrency?.key) return "concurrencyKey";
  return undefined;
}

export function keyChoice(template: Template, by: string): KeyChoice | undefined {
  if (!keyChoices(template).includes(by)) return undefined;
  const rate = template.rateLimit;
  const rateLimit = rate ? { key: rate.key ?? "", limit: rate.limit, window: rate.window } : null;
  if (by in template.params) {
    const keyedByParam = rate?.key?.trim() === `{{params.${by}}}`;
    return { by, source: { kind: "param", name: by }, rateLimit: keyedByParam ? rateLimit : null };
  }
  if (by === "rateKey") return { by, source: { kind: "column", column: "rate_key" }, rateLimit };
  const sameKey = rate !== undefined && (rate.key ?? "") === (template.concurrency?.key ?? "");
  return { by, source: { kind: "column", column: "concurrency_key" }, rateLimit: sameKey ? rateLimit : null };
}
