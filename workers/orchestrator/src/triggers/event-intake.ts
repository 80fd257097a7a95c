/**
 * The checks an event passes before anything about it is stored: its size (from config), then who sent
 * it (a bearer token, or the trigger's HMAC signature with a 5-minute tolerance). Refusing here stores
 * nothing, so an unauthenticated sender cannot fill the delivery log.
 */
import { readCappedBytes } from "#shared/read-capped.ts";
import { SIGNATURE_HEADER, verifyWebhook } from "#shared/webhook-signature.ts";
import { DomainError } from "../errors.ts";
import { authenticateToken } from "../auth/api-tokens.ts";
import type { Database } from "../db/client.ts";
import type { StoredTrigger } from "./store.ts";

/** The body as text, refused with 413 past `maxBytes` without reading more than that. */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<{ text: string; bytes: number }> {
  const body = await readCappedBytes(request, maxBytes);
  if (body === null) {
    throw new DomainError("payload_too_large", `Trigger events are limited to ${maxBytes} bytes (triggers.maxEventBytes in /v1/config); nothing was stored.`, {
      maxBytes,
    });
  }
  return { text: new TextDecoder().decode(body), bytes: body.byteLength };
}

export async function authenticateEvent(env: Env, db: Database, trigger: StoredTrigger, body: string, headers: Headers): Promise<void> {
  if (trigger.definition.auth === "signature") {
    if (!trigger.secret) throw new DomainError("unauthorized", `Trigger "${trigger.name}" has no signing secret; save it again to get one.`);
    const check = await verifyWebhook(trigger.secret, body, headers.get(SIGNATURE_HEADER));
    if (!check.ok) {
      throw new DomainError(
        "unauthorized",
        `The event's Baton-Signature was refused: ${check.reason}. Sign "<unix seconds>.<raw body>" with HMAC-SHA256 and the trigger's secret (docs/triggers.md); nothing was stored.`,
      );
    }
    return;
  }
  const token = headers.get("authorization")?.match(/^Bearer\s+(\S{1,512})\s*$/i)?.[1];
  if (!token) throw new DomainError("unauthorized", `Trigger "${trigger.name}" takes events with an API token: send 'Authorization: Bearer <token>'.`);
  if (!(await authenticateToken(db, token, env.API_TOKEN))) throw new DomainError("unauthorized", "The API token is unknown or has been revoked.");
}

/** The headers as references see them: lowercased, without the credentials. */
export function eventHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name !== "authorization" && name !== "cookie") out[name.toLowerCase()] = value;
  });
  return out;
}
