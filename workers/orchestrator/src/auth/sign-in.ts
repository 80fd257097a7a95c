/**
 * A console sign-in, start to end: seed the first admin if needed, take a place under the attempt
 * limits (sign-in-limits.ts: per account and address, never locking out a clean address), check the password (as long for an unknown email as for a known one), revoke the session the
 * browser still held, and open a new one. Every refusal says the same thing about email and password,
 * so the answer never tells which emails have accounts.
 */
import { eq } from "drizzle-orm";
import type { SignInRequest, SignInResult } from "#shared/console.ts";
import type { Database } from "../db/client.ts";
import { users } from "../db/schema.ts";
import { hashPassword, MAX_PASSWORD_LENGTH, needsRehash, verifyAgainstDecoy, verifyPassword } from "./passwords.ts";
import { createSession, revokeSession } from "./sessions.ts";
import { forgiveAttempt, reserveAttempt } from "./sign-in-limits.ts";
import { findUserByEmail, normalizeEmail, seedFirstAdmin, type User } from "./users.ts";

const INVALID: SignInResult = {
  ok: false,
  code: "invalid_credentials",
  message: "The email or the password is wrong.",
};

export interface AdminSecrets {
  ADMIN_EMAIL?: string | undefined;
  ADMIN_PASSWORD?: string | undefined;
}

export async function signIn(db: Database, secrets: AdminSecrets, request: SignInRequest, now = Date.now()): Promise<SignInResult> {
  const email = normalizeEmail(request.email);
  const password = request.password;
  if (!email || email.length > 254 || !password || password.length > MAX_PASSWORD_LENGTH) return INVALID;
  await seedFirstAdmin(db, secrets.ADMIN_EMAIL, secrets.ADMIN_PASSWORD);

  const reservation = await reserveAttempt(db, email, request.address, now);
  if (!reservation.allowed) {
    const wait = reservation.retryAfterSeconds;
    const when = wait < 60 ? `${wait} second${wait === 1 ? "" : "s"}` : `${Math.ceil(wait / 60)} minute${Math.ceil(wait / 60) === 1 ? "" : "s"}`;
    const why =
      reservation.reason === "limit"
        ? "Too many failed sign-ins for this account from this address, or from this address"
        : "This account has had many failed sign-ins lately, and this address is among them";
    return { ok: false, code: "rate_limited", message: `${why}; try again in ${when}.`, retryAfterSeconds: wait };
  }

  const user = await findUserByEmail(db, email);
  const valid = user && !user.disabledAt ? await checkPassword(db, user, password) : await verifyAgainstDecoy(password);
  if (!valid || !user) return INVALID;

  await forgiveAttempt(db, reservation);
  if (request.replacing) await revokeSession(db, request.replacing, now);
  const { token, expiresAt } = await createSession(db, user, request, now);
  return { ok: true, token, session: { identity: { userId: user.id, email: user.email, role: user.role }, expiresAt } };
}

/** Verifies with the stored iteration count and, after a match, re-hashes one made with fewer. */
async function checkPassword(db: Database, user: User, password: string): Promise<boolean> {
  const stored = { hash: user.passwordHash, salt: user.passwordSalt, iterations: user.passwordIterations };
  if (!(await verifyPassword(password, stored))) return false;
  if (needsRehash(stored)) {
    const fresh = await hashPassword(password);
    await db
      .update(users)
      .set({ passwordHash: fresh.hash, passwordSalt: fresh.salt, passwordIterations: fresh.iterations })
      .where(eq(users.id, user.id))
      .run();
  }
  return true;
}
