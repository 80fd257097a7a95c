/**
 * The configured webhook endpoints (setting `webhooks`). Saving merges secrets: an endpoint sent without
 * one keeps the secret it had, so an admin can change a URL or the events without resending it; a new
 * endpoint must come with one. Answers show a hint of each secret, never the secret.
 */
import { z } from "zod";
import {
  type WebhookEndpoint,
  webhookEndpointSchema,
  type WebhookSettings,
  webhookSettingsInputSchema,
} from "#shared/api/webhooks.ts";
import type { FieldIssue } from "#shared/errors.ts";
import { validationError } from "../errors.ts";
import type { Actor } from "../audit/actor.ts";
import type { Database } from "../db/client.ts";
import { readSetting, writeSetting } from "../settings/store.ts";

export const WEBHOOKS_KEY = "webhooks";
const storedSchema = z.object({ endpoints: z.array(webhookEndpointSchema) });

/** Every execution's end passes through here: keep the endpoints a few seconds instead of reading D1 each time. */
const CACHE_MS = 5_000;
let cached: { endpoints: WebhookEndpoint[]; at: number } | undefined;

export async function loadEndpoints(db: Database): Promise<WebhookEndpoint[]> {
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.endpoints;
  const endpoints = (await readSetting(db, WEBHOOKS_KEY, storedSchema, { endpoints: [] })).endpoints;
  cached = { endpoints, at: Date.now() };
  return endpoints;
}

export function viewOf(endpoints: readonly WebhookEndpoint[]): WebhookSettings {
  return {
    endpoints: endpoints.map(({ secret, ...endpoint }) => ({ ...endpoint, secretHint: `…${secret.slice(-4)}` })),
  };
}

/** Replaces the endpoints with `input` (validated here), keeping the secrets of those sent without one. */
export async function saveEndpoints(db: Database, input: z.input<typeof webhookSettingsInputSchema>, actor: Actor): Promise<WebhookSettings> {
  const parsed = webhookSettingsInputSchema.parse(input);
  cached = undefined;
  const current = new Map((await loadEndpoints(db)).map((e) => [e.id, e]));
  const issues: FieldIssue[] = [];
  const ids = new Set<string>();
  const urls = new Set<string>();
  const endpoints: WebhookEndpoint[] = [];
  parsed.endpoints.forEach((endpoint, i) => {
    if (ids.has(endpoint.id)) issues.push({ path: `endpoints.${i}.id`, message: `"${endpoint.id}" is used twice` });
    // Deliveries find their endpoint (and its secret) by URL.
    if (urls.has(endpoint.url)) issues.push({ path: `endpoints.${i}.url`, message: "another endpoint has the same URL" });
    ids.add(endpoint.id);
    urls.add(endpoint.url);
    const secret = endpoint.secret ?? current.get(endpoint.id)?.secret;
    if (!secret) issues.push({ path: `endpoints.${i}.secret`, message: "a new endpoint needs a secret of at least 16 characters" });
    else endpoints.push({ ...endpoint, secret });
  });
  if (issues.length > 0) throw validationError(issues, "webhook settings");
  await writeSetting(db, WEBHOOKS_KEY, { endpoints }, actor, {
    endpoints: endpoints.map((e) => ({ id: e.id, url: e.url, events: e.events, enabled: e.enabled })),
  });
  cached = { endpoints, at: Date.now() };
  return viewOf(endpoints);
}
