/**
 * The configured webhook endpoints (config key `webhooks`). Saving merges secrets: an endpoint sent
 * without one keeps the secret it had, so an admin can change a URL or the events without resending it;
 * a new endpoint must come with one. Answers show a hint of each secret, never the secret.
 */
import type { z } from "zod";
import {
  type WebhookEndpoint,
  type WebhookSettings,
  webhookSettingsInputSchema,
} from "#shared/api/webhooks.ts";
import type { FieldIssue } from "#shared/errors.ts";
import { loadSettings } from "../config/store.ts";
import type { Database } from "../db/client.ts";
import { checkOutbound, type OutboundPolicy } from "../outbound/policy.ts";

/** Every execution's end passes through here; the config store keeps them cached for a few seconds. */
export async function loadEndpoints(db: Database): Promise<WebhookEndpoint[]> {
  return (await loadSettings(db)).webhooks.endpoints;
}

export function viewOf(endpoints: readonly WebhookEndpoint[]): WebhookSettings {
  return {
    endpoints: endpoints.map(({ secret, ...endpoint }) => ({ ...endpoint, secretHint: `…${secret.slice(-4)}` })),
  };
}

/** What the audit log keeps of the endpoints: everything but the secrets. */
export function auditedEndpoints(endpoints: readonly WebhookEndpoint[]): Record<string, unknown>[] {
  return endpoints.map((e) => ({ id: e.id, url: e.url, events: e.events, enabled: e.enabled }));
}

/**
 * The endpoints `input` asks for, with the secrets of those sent without one taken from `current`;
 * or the problems, each with its path under `prefix` (a URL the outbound policy refuses is one).
 */
export async function mergeEndpoints(
  current: readonly WebhookEndpoint[],
  input: z.input<typeof webhookSettingsInputSchema>,
  policy: OutboundPolicy,
  prefix = "",
): Promise<{ ok: true; endpoints: WebhookEndpoint[] } | { ok: false; issues: FieldIssue[] }> {
  const parsed = webhookSettingsInputSchema.parse(input);
  const secrets = new Map(current.map((e) => [e.id, e.secret]));
  const issues: FieldIssue[] = [];
  const ids = new Set<string>();
  const urls = new Set<string>();
  const endpoints: WebhookEndpoint[] = [];
  const verdicts = await Promise.all(parsed.endpoints.map((endpoint) => checkOutbound(new URL(endpoint.url), policy)));
  parsed.endpoints.forEach((endpoint, i) => {
    const path = `${prefix}endpoints.${i}`;
    const verdict = verdicts[i]!;
    if (!verdict.ok) issues.push({ path: `${path}.url`, message: verdict.message });
    if (ids.has(endpoint.id)) issues.push({ path: `${path}.id`, message: `"${endpoint.id}" is used twice` });
    // Deliveries find their endpoint (and its secret) by URL.
    if (urls.has(endpoint.url)) issues.push({ path: `${path}.url`, message: "another endpoint has the same URL" });
    ids.add(endpoint.id);
    urls.add(endpoint.url);
    const secret = endpoint.secret ?? secrets.get(endpoint.id);
    if (!secret) issues.push({ path: `${path}.secret`, message: "a new endpoint needs a secret of at least 16 characters" });
    else endpoints.push({ ...endpoint, secret });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, endpoints };
}
