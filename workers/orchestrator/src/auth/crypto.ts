/** Small WebCrypto helpers shared by API tokens, sessions and passwords. */
import { fromHex as hexBytes, toHex } from "#shared/hex.ts";

const encoder = new TextEncoder();

export { toHex };

/** The bytes of a stored hex value (a hash, a salt); anything else is a bug, so it throws. */
export function fromHex(hex: string): Uint8Array {
  const bytes = hexBytes(hex);
  if (!bytes) throw new TypeError("not a hex string");
  return bytes;
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** A random secret with `bytes` of entropy, URL-safe, with a prefix that says what it is (`bt_…`). */
export function randomSecret(prefix: string, bytes = 32): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  const base64url = btoa(String.fromCharCode(...raw)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${prefix}_${base64url}`;
}

/** Constant-time comparison of two strings of any length. */
export function timingSafeEqualText(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  // timingSafeEqual needs equal lengths; compare against self to keep the time independent of `b`.
  if (left.byteLength !== right.byteLength) {
    crypto.subtle.timingSafeEqual(left, left);
    return false;
  }
  return crypto.subtle.timingSafeEqual(left, right);
}
