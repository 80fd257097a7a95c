/**
 * Password hashing: PBKDF2-SHA256 through WebCrypto with a per-user random salt. The iteration count is
 * stored with each hash, so raising it later only re-hashes a password at its owner's next sign-in.
 */
import { fromHex, toHex } from "./crypto.ts";

/** The most production Workers allow (deriveBits fails above it); local workerd does not enforce it. */
export const MAX_PBKDF2_ITERATIONS = 100_000;
export const PBKDF2_ITERATIONS = MAX_PBKDF2_ITERATIONS;
const SALT_BYTES = 16;
const HASH_BITS = 256;
/** A bound on work per attempt: PBKDF2 cost does not grow with length, but nobody needs more. */
export const MAX_PASSWORD_LENGTH = 1024;

export interface PasswordHash {
  hash: string;
  salt: string;
  iterations: number;
}

const encoder = new TextEncoder();

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<ArrayBuffer> {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
    throw new RangeError(`PBKDF2 iterations must be 1..${MAX_PBKDF2_ITERATIONS}, got ${iterations}.`);
  }
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  return crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, HASH_BITS);
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<PasswordHash> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  return { hash: toHex(await derive(password, salt, iterations)), salt: toHex(salt), iterations };
}

/** Checks `password` against a stored hash with the iteration count stored beside it, in constant time. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = fromHex(stored.hash);
  const actual = new Uint8Array(await derive(password, fromHex(stored.salt), stored.iterations));
  if (actual.byteLength !== expected.byteLength) return false;
  return crypto.subtle.timingSafeEqual(actual, expected);
}

/** True when a hash was made with fewer iterations than new hashes get: re-hash it after a good sign-in. */
export function needsRehash(stored: PasswordHash): boolean {
  return stored.iterations < PBKDF2_ITERATIONS;
}

let decoy: Promise<PasswordHash> | undefined;

/**
 * Spends the same work as a real check, for sign-ins naming no user, so that the answer's timing does
 * not tell which emails have accounts.
 */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoy ??= hashPassword("decoy password");
  await verifyPassword(password, await decoy);
  return false;
}
