/**
 * Limits failed console sign-ins: at most `SIGN_IN_LIMIT` per account and per client address within
 * `SIGN_IN_WINDOW_MS`. An attempt reserves its rows before the password is checked, in one D1 batch
 * with the count, so a burst of parallel guesses cannot slip past the limit between check and record.
 * A good password clears the account's failures (not the address's: signing in to one's own account
 * must not buy more guesses at another's).
 */
import { and, count, desc, eq, gte, inArray, lt, min } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { signInAttempts } from "../db/schema.ts";

export const SIGN_IN_LIMIT = 5;
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;

export type Reservation =
  | { allowed: true; ids: number[]; accountKey: string }
  | { allowed: false; retryAfterSeconds: number };

/** Records an attempt against the account and the address; refuses it (and takes it back) over the limit. */
export async function reserveAttempt(db: Database, email: string, address: string | undefined, now = Date.now()): Promise<Reservation> {
  const accountKey = `email:${email}`;
  const keys = address ? [accountKey, `address:${address}`] : [accountKey];
  const since = now - SIGN_IN_WINDOW_MS;
  const [, ...rest] = await db.batch([
    db.delete(signInAttempts).where(lt(signInAttempts.at, since)),
    ...keys.map((key) => db.insert(signInAttempts).values({ key, at: now }).returning({ id: signInAttempts.id })),
    db
      .select({ key: signInAttempts.key, attempts: count(), oldest: min(signInAttempts.at) })
      .from(signInAttempts)
      .where(and(inArray(signInAttempts.key, keys), gte(signInAttempts.at, since)))
      .groupBy(signInAttempts.key),
  ]);
  const ids = (rest.slice(0, keys.length) as { id: number }[][]).flat().map((row) => row.id);
  const counts = rest[keys.length] as { key: string; attempts: number }[];
  const over = counts.filter((row) => row.attempts > SIGN_IN_LIMIT).map((row) => row.key);
  if (over.length === 0) return { allowed: true, ids, accountKey };

  await db.delete(signInAttempts).where(inArray(signInAttempts.id, ids)).run();
  return { allowed: false, retryAfterSeconds: await secondsUntilFree(db, over, now) };
}

/**
 * When a new attempt fits again under every limit it is over: when the `SIGN_IN_LIMIT`-th most recent
 * failure of each such key leaves the window.
 */
async function secondsUntilFree(db: Database, keys: string[], now: number): Promise<number> {
  let freeAt = now;
  for (const key of keys) {
    const [row] = await db
      .select({ at: signInAttempts.at })
      .from(signInAttempts)
      .where(eq(signInAttempts.key, key))
      .orderBy(desc(signInAttempts.at))
      .limit(1)
      .offset(SIGN_IN_LIMIT - 1);
    if (row) freeAt = Math.max(freeAt, row.at + SIGN_IN_WINDOW_MS);
  }
  return Math.max(1, Math.ceil((freeAt - now) / 1000));
}

/** A good password: the attempt was no failure, and the account's earlier failures are forgiven. */
export async function forgiveAttempt(db: Database, reservation: { ids: number[]; accountKey: string }): Promise<void> {
  await db.batch([
    db.delete(signInAttempts).where(inArray(signInAttempts.id, reservation.ids)),
    db.delete(signInAttempts).where(eq(signInAttempts.key, reservation.accountKey)),
  ]);
}
