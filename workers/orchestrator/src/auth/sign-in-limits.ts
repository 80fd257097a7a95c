/**
 * Limits failed console sign-ins without letting a stranger lock an admin out:
 *
 * - per (account, address): at most `SIGN_IN_LIMIT` failures in `SIGN_IN_WINDOW_MS`; the next attempt
 *   from there is refused before the password is checked. Addresses are bucketed by address-key.ts, so
 *   rotating through one IPv6 /64 buys nothing.
 * - per address, across accounts: at most `ADDRESS_LIMIT`, so one address cannot spray many accounts.
 * - per account: a slowdown. After `SLOWDOWN_AFTER` failures from anywhere, an address that has failed
 *   on the account must wait a delay that doubles with each further failure (up to the window) after
 *   the account's last failure. An address with no failures on the account is never slowed: the admin's
 *   own right password from a clean address always gets checked, whatever others do.
 *
 * An attempt reserves its rows before the password is checked, in one D1 batch with the counts, so a
 * burst of parallel guesses cannot slip past a limit between check and record. A good password forgives
 * the attempt and the (account, address) pair's failures, not the account's or the address's: signing
 * in to one's own account must not buy more guesses at another's, nor reset a slowdown for others.
 */
import { and, count, desc, eq, gte, inArray, lt } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { signInAttempts } from "../db/schema.ts";
import { addressKey } from "./address-key.ts";

export const SIGN_IN_LIMIT = 5;
export const ADDRESS_LIMIT = 20;
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
/** Failures of an account (from anywhere) before the slowdown starts. */
export const SLOWDOWN_AFTER = 5;
export const SLOWDOWN_BASE_MS = 1000;

export type Reservation =
  | { allowed: true; ids: number[]; pairKey: string }
  | { allowed: false; retryAfterSeconds: number; reason: "limit" | "slowdown" };

/** How long an address with failures waits after the account's last failure, given the account's failures before it. */
export function slowdownMs(accountFailures: number): number {
  if (accountFailures < SLOWDOWN_AFTER) return 0;
  return Math.min(SIGN_IN_WINDOW_MS, SLOWDOWN_BASE_MS * 2 ** Math.min(30, accountFailures - SLOWDOWN_AFTER));
}

/** Records an attempt against the pair, the address and the account; refuses it (and takes it back) when over a limit or slowed. */
export async function reserveAttempt(db: Database, email: string, address: string | undefined, now = Date.now()): Promise<Reservation> {
  const where = addressKey(address);
  const pairKey = `pair:${email}|${where}`;
  const addressBucket = `address:${where}`;
  const accountKey = `account:${email}`;
  const keys = [pairKey, addressBucket, accountKey];
  const since = now - SIGN_IN_WINDOW_MS;
  const [, ...rest] = await db.batch([
    db.delete(signInAttempts).where(lt(signInAttempts.at, since)),
    ...keys.map((key) => db.insert(signInAttempts).values({ key, at: now }).returning({ id: signInAttempts.id })),
    db
      .select({ key: signInAttempts.key, attempts: count() })
      .from(signInAttempts)
      .where(and(inArray(signInAttempts.key, keys), gte(signInAttempts.at, since)))
      .groupBy(signInAttempts.key),
  ]);
  const ids = (rest.slice(0, keys.length) as { id: number }[][]).flat().map((row) => row.id);
  const counts = new Map((rest[keys.length] as { key: string; attempts: number }[]).map((row) => [row.key, row.attempts]));
  const takeBack = () => db.delete(signInAttempts).where(inArray(signInAttempts.id, ids)).run();

  const over = [
    ...((counts.get(pairKey) ?? 0) > SIGN_IN_LIMIT ? [{ key: pairKey, limit: SIGN_IN_LIMIT }] : []),
    ...((counts.get(addressBucket) ?? 0) > ADDRESS_LIMIT ? [{ key: addressBucket, limit: ADDRESS_LIMIT }] : []),
  ];
  if (over.length > 0) {
    await takeBack();
    return { allowed: false, reason: "limit", retryAfterSeconds: await secondsUntilFree(db, over, now) };
  }
  const clean = (counts.get(pairKey) ?? 0) === 1;
  const lastFailure = await lastAccountFailure(db, accountKey, ids, now);
  const delay = slowdownMs((counts.get(accountKey) ?? 1) - 1);
  if (!clean && lastFailure !== null && now < lastFailure + delay) {
    await takeBack();
    return { allowed: false, reason: "slowdown", retryAfterSeconds: Math.max(1, Math.ceil((lastFailure + delay - now) / 1000)) };
  }
  return { allowed: true, ids, pairKey };
}

/** The newest failure of the account other than this attempt's own row (parallel attempts count too). */
async function lastAccountFailure(db: Database, accountKey: string, ownIds: number[], now: number): Promise<number | null> {
  const rows = await db
    .select({ id: signInAttempts.id, at: signInAttempts.at })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.key, accountKey), gte(signInAttempts.at, now - SIGN_IN_WINDOW_MS)))
    .orderBy(desc(signInAttempts.id))
    .limit(2);
  return rows.find((row) => !ownIds.includes(row.id))?.at ?? null;
}

/** When a new attempt fits again under every limit it is over: when the limit-th most recent failure of each such key leaves the window. */
async function secondsUntilFree(db: Database, over: { key: string; limit: number }[], now: number): Promise<number> {
  let freeAt = now;
  for (const { key, limit } of over) {
    const [row] = await db
      .select({ at: signInAttempts.at })
      .from(signInAttempts)
      .where(eq(signInAttempts.key, key))
      .orderBy(desc(signInAttempts.at))
      .limit(1)
      .offset(limit - 1);
    if (row) freeAt = Math.max(freeAt, row.at + SIGN_IN_WINDOW_MS);
  }
  return Math.max(1, Math.ceil((freeAt - now) / 1000));
}

/** A good password: the attempt was no failure, and the pair's earlier failures are forgiven. */
export async function forgiveAttempt(db: Database, reservation: { ids: number[]; pairKey: string }): Promise<void> {
  await db.batch([
    db.delete(signInAttempts).where(inArray(signInAttempts.id, reservation.ids)),
    db.delete(signInAttempts).where(eq(signInAttempts.key, reservation.pairKey)),
  ]);
}
