/**
 * Managing console users (`/v1/users`): create with a role, change the role, disable and re-enable,
 * reset a password. A disabled user's sessions stop at their next request (every session check reads
 * `disabled_at`); a reset revokes them outright. Taking away the last enabled admin is refused inside
 * the one UPDATE that would do it, so two admins disabling each other at once cannot both succeed.
 */
import { and, eq, isNotNull, ne, or, sql } from "drizzle-orm";
import type { ConsoleUser, CreateUserRequest, UserWithPassword } from "#shared/api/users.ts";
import type { UserRole } from "#shared/console.ts";
import { DomainError } from "../errors.ts";
import type { Database } from "../db/client.ts";
import { users } from "../db/schema.ts";
import { randomSecret } from "./crypto.ts";
import { hashPassword } from "./passwords.ts";
import { revokeUserSessions } from "./sessions.ts";
import { createUser, normalizeEmail, type User } from "./users.ts";

const publicColumns = { id: users.id, email: users.email, role: users.role, createdAt: users.createdAt, disabledAt: users.disabledAt };

function toPublic(user: User): ConsoleUser {
  return { id: user.id, email: user.email, role: user.role, createdAt: user.createdAt, disabledAt: user.disabledAt };
}

/** A generated password: 18 random bytes (144 bits), readable enough to paste once. */
function generatedPassword(): string {
  return randomSecret("bp", 18);
}

export async function listUsers(db: Database): Promise<ConsoleUser[]> {
  return db.select(publicColumns).from(users).orderBy(users.createdAt, users.email);
}

/** A user by id, or by email when `key` holds an `@` (the CLI names people by email). */
export async function findUser(db: Database, key: string): Promise<User> {
  const where = key.includes("@") ? eq(users.email, normalizeEmail(key)) : eq(users.id, key);
  const user = await db.query.users.findFirst({ where });
  if (!user) throw new DomainError("not_found", `No user "${key}"; GET /v1/users lists them.`);
  return user;
}

export async function addUser(db: Database, request: CreateUserRequest): Promise<UserWithPassword> {
  const password = request.password ?? generatedPassword();
  const created = await createUser(db, { email: request.email, password, role: request.role });
  if (!created) throw new DomainError("conflict", `A user with email "${normalizeEmail(request.email)}" exists already.`);
  return { user: toPublic(created), password };
}

/**
 * Applies a role change and/or disables or re-enables. Returns the user after it, and what changed (for
 * the audit log); nothing changed is not an error.
 */
export async function updateUser(
  db: Database,
  key: string,
  change: { role?: UserRole | undefined; disabled?: boolean | undefined },
  now = Date.now(),
): Promise<{ user: ConsoleUser; changed: Record<string, unknown> }> {
  const user = await findUser(db, key);
  const set: Partial<Pick<User, "role" | "disabledAt">> = {};
  if (change.role !== undefined && change.role !== user.role) set.role = change.role;
  if (change.disabled === true && user.disabledAt === null) set.disabledAt = now;
  if (change.disabled === false && user.disabledAt !== null) set.disabledAt = null;
  if (Object.keys(set).length === 0) return { user: toPublic(user), changed: {} };

  const removesAdmin = set.role === "viewer" || set.disabledAt !== undefined && set.disabledAt !== null;
  const [updated] = await db
    .update(users)
    .set(set)
    .where(
      and(
        eq(users.id, user.id),
        removesAdmin
          ? or(
              ne(users.role, "admin"),
              isNotNull(users.disabledAt),
              sql`(SELECT COUNT(*) FROM ${users} WHERE ${users.role} = 'admin' AND ${users.disabledAt} IS NULL AND ${users.id} != ${user.id}) > 0`,
            )
          : undefined,
      ),
    )
    .returning();
  if (!updated) {
    throw new DomainError(
      "last_admin",
      `${user.email} is the last enabled admin: make another user an admin first, so someone can still manage users.`,
    );
  }
  const changed = { ...(set.role ? { role: set.role } : {}), ...(set.disabledAt !== undefined ? { disabled: set.disabledAt !== null } : {}) };
  return { user: toPublic(updated), changed };
}

/** Sets a new password (given or generated), revokes the user's sessions, and returns it once. */
export async function resetPassword(db: Database, key: string, chosen?: string): Promise<UserWithPassword> {
  const user = await findUser(db, key);
  const password = chosen ?? generatedPassword();
  const hash = await hashPassword(password);
  await db
    .update(users)
    .set({ passwordHash: hash.hash, passwordSalt: hash.salt, passwordIterations: hash.iterations })
    .where(eq(users.id, user.id))
    .run();
  await revokeUserSessions(db, user.id);
  return { user: toPublic(user), password };
}
