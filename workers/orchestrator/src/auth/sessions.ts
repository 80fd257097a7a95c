/**
 * Console sessions: a random token in the browser's cookie, only its SHA-256 in D1. A session ends at
 * its expiry, when revoked by sign-out or by the next sign-in in the same browser, or when its user is
 * disabled; every check reads D1, so a revocation takes effect on the very next request.
 */
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import type { ConsoleSession } from "#shared/console.ts";
import type { Database } from "../db/client.ts";
import { sessions, users } from "../db/schema.ts";
import { randomSecret, sha256Hex } from "./crypto.ts";

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** `bs_` and 32 random bytes in base64url; anything else is refused without a query. */
const TOKEN_PATTERN = /^bs_[A-Za-z0-9_-]{43}$/;

export function isSessionToken(token: unknown): token is string {
  return typeof token === "string" && TOKEN_PATTERN.test(token);
}

export async function createSession(
  db: Database,
  user: { id: string },
  client: { address?: string | undefined; userAgent?: string | undefined },
  now = Date.now(),
): Promise<{ token: string; expiresAt: number }> {
  const token = randomSecret("bs");
  const expiresAt = now + SESSION_TTL_MS;
  await db.batch([
    // The user's dead sessions are of no further use; this keeps the table from growing.
    db.delete(sessions).where(and(eq(sessions.userId, user.id), lt(sessions.expiresAt, now))),
    db.insert(sessions).values({
      idHash: await sha256Hex(token),
      userId: user.id,
      createdAt: now,
      expiresAt,
      ip: client.address?.slice(0, 64) ?? null,
      userAgent: client.userAgent?.slice(0, 256) ?? null,
    }),
  ]);
  return { token, expiresAt };
}

/** The live session behind `token`, or null. */
export async function findSession(db: Database, token: string, now = Date.now()): Promise<ConsoleSession | null> {
  if (!isSessionToken(token)) return null;
  const [row] = await db
    .select({ userId: users.id, email: users.email, role: users.role, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(eq(sessions.idHash, await sha256Hex(token)), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), isNull(users.disabledAt)),
    )
    .limit(1);
  if (!row) return null;
  return { identity: { userId: row.userId, email: row.email, role: row.role }, expiresAt: row.expiresAt };
}

export async function revokeSession(db: Database, token: string, now = Date.now()): Promise<void> {
  if (!isSessionToken(token)) return;
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.idHash, await sha256Hex(token)), isNull(sessions.revokedAt)))
    .run();
}

/** Ends every live session of a user (after a password reset: whoever held the old one is out). */
export async function revokeUserSessions(db: Database, userId: string, now = Date.now()): Promise<void> {
  await db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt))).run();
}
