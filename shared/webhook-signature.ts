/**
 * Webhook signatures, for Baton (signing) and for receivers (verifying). Each delivery carries
 *
 *     Baton-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the endpoint's secret>
 *
 * A receiver recomputes the HMAC over the raw body it got and rejects timestamps too far from its clock,
 * so a captured delivery cannot be replayed later. Web Crypto only: Workers, Node and browsers.
 */
import { fromHex, toHex } from "./hex.ts";

export const SIGNATURE_HEADER = "baton-signature";
/** How far a delivery's timestamp may be from the receiver's clock by default (5 minutes, as Stripe). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const encoder = new TextEncoder();

// Return type inferred: CryptoKey is a global type in Workers and browsers but only a value in Node's types.
function hmacKey(secret: string, usage: "sign" | "verify") {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [usage]);
}

/** The header value for `body` sent at `timestamp` (unix seconds). */
export async function signWebhook(secret: string, body: string, timestamp: number): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), encoder.encode(`${timestamp}.${body}`));
  return `t=${timestamp},v1=${toHex(mac)}`;
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

/** Checks a delivery: the header's form, its timestamp against `now`, and the HMAC of the raw body. */
export async function verifyWebhook(
  secret: string,
  body: string,
  header: string | null | undefined,
  options: { toleranceSeconds?: number; now?: number } = {},
): Promise<SignatureCheck> {
  if (!header) return { ok: false, reason: `no ${SIGNATURE_HEADER} header` };
  const parts = new Map<string, string[]>();
  for (const item of header.split(",")) {
    const [key, ...rest] = item.trim().split("=");
    if (key) parts.set(key, [...(parts.get(key) ?? []), rest.join("=")]);
  }
  const timestamp = Number(parts.get("t")?.[0]);
  if (!Number.isSafeInteger(timestamp)) return { ok: false, reason: "no timestamp (t=) in the signature header" };
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    return { ok: false, reason: "timestamp outside the tolerance: a replay, or a clock far off" };
  }
  const key = await hmacKey(secret, "verify");
  const signed = encoder.encode(`${timestamp}.${body}`);
  // Any v1 may match (several are sent while a secret is being rotated); verify() compares in constant time.
  for (const candidate of parts.get("v1") ?? []) {
    const mac = fromHex(candidate);
    if (mac && (await crypto.subtle.verify("HMAC", key, mac, signed))) return { ok: true, timestamp };
  }
  return { ok: false, reason: "no v1 signature matches the body" };
}
