/**
 * Console users: an email, a role (`admin` or `viewer`) and a password hash. The operator's
 * `ADMIN_EMAIL` / `ADMIN_PASSWORD` secrets become the first admin on first use, so a fresh deployment
 * needs no setup step; a user that exists is never touched again, so a changed password sticks.
 * Retire the seeded admin by disabling it (`disabled_at`), not by deleting it: a deleted one comes back.
 */
import { eq } from "drizzle-orm";
import type { UserRole } from "#shared/console.ts";
import { SYSTEM } from "../audit/actor.ts";
import { recordAudit } from "../audit/record.ts";
import type { Database } from "../db/client.ts";
import { users } from "../db/schema.ts";
import { hashPassword } from "./passwords.ts";

export type User = typeof users.$inferSelect;

/** Emails compare without case or surrounding spaces: `Ada@Example.com ` is `ada@example.com`. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(db: Database, email: string): Promise<User | undefined> {
  return db.query.users.findFirst({ where: eq(users.email, normalizeEmail(email)) });
}

export async function createUser(
  db: Database,
  user: { email: string; password: string; role: UserRole },
  options: { iterations?: number } = {},
): Promise<User | undefined> {
  const password = await hashPassword(user.password, options.iterations);
  const [created] = await db
    .insert(users)
    .values({
      id: crypto.randomUUID(),
      email: normalizeEmail(user.email),
      role: user.role,
      passwordHash: password.hash,
      passwordSalt: password.salt,
      passwordIterations: password.iterations,
      createdAt: Date.now(),
    })
    .onConflictDoNothing({ target: users.email })
    .returning();
  return created;
}

/** The seeded admin's email once this isolate has seen it in D1: no query per sign-in after that. */
let seededEmail: string | undefined;

/** Creates the admin named by the secrets unless a user with that email exists (whatever its password). */
export async function seedFirstAdmin(db: Database, email: string | undefined, password: string | undefined): Promise<void> {
  if (!email || !password) return;
  const normalized = normalizeEmail(email);
  if (seededEmail === normalized) return;
  if (!(await findUserByEmail(db, normalized))) {
    const created = await createUser(db, { email: normalized, password, role: "admin" });
    if (created) await recordAudit(db, SYSTEM, "user.create", created.id, { email: normalized, role: "admin", from: "ADMIN_EMAIL" });
  }
  seededEmail = normalized;
}
