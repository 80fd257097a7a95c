/**
 * Changing the configuration (`/v1/config`, and the older one-key routes `/v1/cors` and `/v1/webhooks`):
 * validates what the store cannot (webhook secrets kept across saves), decides the audit row (never a
 * secret in it), and tells the dispatcher, which may sit in another isolate with its own cached copy.
 */
import type { CorsSettings } from "#shared/api/cors.ts";
import { type WebhookSettings, type WebhookSettingsInput, webhookSettingsInputSchema } from "#shared/api/webhooks.ts";
import type { z } from "zod";
import type { ConfigView, configUpdateSchema } from "#shared/config.ts";
import { auditEntry } from "../audit/record.ts";
import { forgetConfig, loadSettings, saveSettings, type Settings, type SettingsPatch } from "../config/store.ts";
import { dispatcherConfigChanged } from "../dispatcher/stub.ts";
import { validationError } from "../errors.ts";
import { outboundPolicy } from "../outbound/policy.ts";
import { auditedEndpoints, mergeEndpoints, viewOf } from "../webhooks/endpoints.ts";
import type { Caller } from "./caller.ts";

/** A change as the route's schema has parsed it (defaults filled in). */
type ConfigUpdate = z.output<typeof configUpdateSchema>;

function viewOfSettings({ webhooks, ...settings }: Settings): ConfigView {
  return { ...settings, webhooks: viewOf(webhooks.endpoints) };
}

export async function readConfig(caller: Caller): Promise<ConfigView> {
  return viewOfSettings(await loadSettings(caller.db));
}

/** What a change writes, and what its audit row says of it (the webhook secrets left out). */
async function changeOf(caller: Caller, update: ConfigUpdate, issuePrefix: string, what: string): Promise<{ patch: SettingsPatch; audited: Record<string, unknown> }> {
  const { webhooks, ...rest } = update;
  const patch: SettingsPatch = { ...rest };
  const audited: Record<string, unknown> = { ...rest };
  if (webhooks !== undefined) {
    // Secrets are merged from what D1 holds now, not from a copy another isolate may have outdated.
    forgetConfig();
    const policy = await outboundPolicy(caller.env, caller.db);
    const merged = await mergeEndpoints((await loadSettings(caller.db)).webhooks.endpoints, webhooks, policy, issuePrefix);
    if (!merged.ok) throw validationError(merged.issues, what);
    patch.webhooks = { endpoints: merged.endpoints };
    audited.webhooks = { endpoints: auditedEndpoints(merged.endpoints) };
  }
  return { patch, audited };
}

/** Applies `update` (already validated by its schema) and returns the whole configuration after it. */
export async function updateConfig(caller: Caller, update: ConfigUpdate): Promise<ConfigView> {
  const { patch, audited } = await changeOf(caller, update, "webhooks.", "configuration");
  const audit = Object.keys(audited).length > 0 ? auditEntry(caller.actor, "config.update", null, audited) : null;
  const saved = await saveSettings(caller.db, patch, caller.actor, audit);
  await dispatcherConfigChanged(caller.env);
  return viewOfSettings(saved);
}

/** `PUT /v1/cors`: the `cors` key alone. */
export async function updateCors(caller: Caller, cors: CorsSettings): Promise<CorsSettings> {
  const saved = await saveSettings(caller.db, { cors }, caller.actor, auditEntry(caller.actor, "cors.update", "cors", cors));
  return saved.cors;
}

/** `PUT /v1/webhooks`: the `webhooks` key alone. */
export async function updateWebhooks(caller: Caller, input: WebhookSettingsInput): Promise<WebhookSettings> {
  const { patch, audited } = await changeOf(caller, { webhooks: webhookSettingsInputSchema.parse(input) }, "", "webhook settings");
  const audit = auditEntry(caller.actor, "webhooks.update", "webhooks", audited.webhooks as Record<string, unknown>);
  const saved = await saveSettings(caller.db, patch, caller.actor, audit);
  return viewOf(saved.webhooks.endpoints);
}

/** `GET /v1/webhooks`. */
export async function readWebhooks(caller: Caller): Promise<WebhookSettings> {
  return viewOf((await loadSettings(caller.db)).webhooks.endpoints);
}
