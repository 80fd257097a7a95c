/**
 * Insights per key (`GET /v1/insights`): a template's runs over the last 7, 30 or 90 days grouped by a
 * param or key, each key with its saturation against the template's rate limit. It reads D1 only (after
 * the history writer's pending rows are committed), so it never wakes an execution.
 */
import { type Insights, insightsQuerySchema } from "#shared/api/insights.ts";
import type { z } from "zod";
import { DomainError, validationError } from "../errors.ts";
import { historyUpToDate } from "../history/writer.ts";
import { defaultKey, keyChoice, keyChoices } from "../insights/key-column.ts";
import { encodeKeyCursor, keyTotals, rateStarts, recentRuns } from "../insights/query.ts";
import { keySaturation } from "../insights/saturation.ts";
import { windowMs } from "../dispatcher/rate-window.ts";
import { getTemplate } from "../templates/store.ts";
import type { Caller } from "./caller.ts";

export const DEFAULT_INSIGHTS_PAGE = 20;
const RECENT_PER_KEY = 3;

export async function insights(caller: Caller, query: z.output<typeof insightsQuerySchema>, now = Date.now()): Promise<Insights> {
  const record = await getTemplate(caller.db, query.template);
  if (!record) throw new DomainError("not_found", `No template "${query.template}".`);
  const template = record.definition;
  const choices = keyChoices(template);
  const by = query.by ?? defaultKey(template);
  if (by === undefined) {
    throw validationError(
      [{ path: "by", message: `is required: template "${template.id}" has no rate or concurrency key; group by one of its params: ${choices.join(", ") || "(it has none)"}` }],
      "query string",
    );
  }
  const choice = keyChoice(template, by);
  if (!choice) {
    throw validationError([{ path: "by", message: `"${by}" is not a param or key of template "${template.id}"; use one of ${choices.join(", ") || "(none)"}` }], "query string");
  }

  await historyUpToDate(caller.env);
  const d1 = caller.env.DB;
  const since = now - windowMs(query.window);
  const page = await keyTotals(d1, template.id, choice.source, since, { limit: query.limit ?? DEFAULT_INSIGHTS_PAGE, ...(query.cursor ? { cursor: query.cursor } : {}) });
  const recent = await recentRuns(d1, template.id, choice.source, since, page.keys.map((k) => k.key), RECENT_PER_KEY);
  const rate = choice.rateLimit;
  const named = page.keys.flatMap((k) => (k.key === null ? [] : [k.key]));
  const starts = rate ? await rateStarts(d1, template.id, named, now - windowMs(rate.window)) : new Map<string, number[]>();

  return {
    template: template.id,
    by,
    choices,
    window: query.window,
    since,
    rateLimit: rate,
    keys: page.keys.map((totals) => ({
      ...totals,
      recent: recent.get(totals.key) ?? [],
      rate: rate && totals.key !== null ? keySaturation(starts.get(totals.key) ?? [], rate.limit, rate.window, now) : null,
    })),
    nextCursor: page.next ? encodeKeyCursor(page.next) : null,
  };
}
