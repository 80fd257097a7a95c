/**
 * API tokens: bearer secrets stored only as SHA-256 hashes, each with a scope and an optional expiry.
 * The operator's `API_TOKEN` secret is registered as the admin token named "default" on first use, so a
 * fresh deployment needs no setup step; replacing the secret revokes the row of the old value, so a
 * leaked value stops working when the operator rotates it (and a revoked value never comes back).
 */
import { and, eq, isNull, ne } from "drizzle-orm";
import { MAX_TOKEN_LIFETIME_SECONDS, mintableScopes, type TokenScope } from "#shared/api/tokens.ts";
import { DomainError } from "../errors.ts";
import { type Actor, actorLabel } from "../audit/actor.ts";
import type { Database } from "../db/client.ts";
import { apiTokens } from "../db/schema.ts";
import { randomSecret, sha256Hex } from "./crypto.ts";

export interface TokenIdentity {
  id: string;
  name: string;
  scope: TokenScope;
  expiresAt: number | null;
}

export const DEFAULT_TOKEN_NAME = "default";
/** `created_by` of the rows registered from the `API_TOKEN` secret. */
const BOOTSTRAP = "system:bootstrap";
/** last_used_at is a hint for admins, not an audit trail: refresh it at most this often. */
const LAST_USED_RESOLUTION_MS = 60_000;

let bootstrappedHash: string | undefined;

async function registerBootstrapToken(db: Database, apiToken: string | undefined): Promise<void> {
  if (!apiToken) return;
  const tokenHash = await sha256Hex(apiToken);
  if (bootstrappedHash === tokenHash) return;
  const now = Date.now();
  await db.batch([
    db
      .insert(apiTokens)
      .values({ id: crypto.randomUUID(), name: DEFAULT_TOKEN_NAME, tokenHash, scope: "admin", createdAt: now, createdBy: BOOTSTRAP })
      .onConflictDoNothing({ target: apiTokens.tokenHash }),
    // The secret was replaced: the old value's row goes, so the old value no longer opens anything.
    db
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.createdBy, BOOTSTRAP), ne(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt))),
  ]);
  bootstrappedHash = tokenHash;
}

/** Returns who a bearer token belongs to, or undefined for unknown, revoked and expired tokens. */
export async function authenticateToken(
  db: Database,
  token: string,
  bootstrapToken: string | undefined,
  now = Date.now(),
): Promise<{ identity: TokenIdentity; touch?: Promise<unknown> } | undefined> {
  await registerBootstrapToken(db, bootstrapToken);
  const tokenHash = await sha256Hex(token);
  const row = await db.query.apiTokens.findFirst({
    where: and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)),
  });
  if (!row || (row.expiresAt !== null && row.expiresAt <= now)) return undefined;
  const touch =
    row.lastUsedAt === null || now - row.lastUsedAt > LAST_USED_RESOLUTION_MS
      ? db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id)).run()
      : undefined;
  return { identity: { id: row.id, name: row.name, scope: asScope(row.scope), expiresAt: row.expiresAt }, touch };
}

function asScope(value: string): TokenScope {
  return value in mintableScopes ? (value as TokenScope) : "read";
}

export interface NewToken {
  name: string;
  scope?: TokenScope | undefined;
  expiresInSeconds?: number | undefined;
}

/**
 * Mints a token for `actor`: of its scope or less (a token's own scope by default), expiring no later
 * than the token that mints it. Names are unique, so an execution's `created_by` (`token:<name>`) names
 * one token, which is what a `run` token's "its own executions" rests on.
 */
export async function createToken(db: Database, request: NewToken, actor: Actor, now = Date.now()) {
  const own = actor.scope ?? "admin";
  const scope = request.scope ?? own;
  if (!mintableScopes[own].includes(scope)) {
    const allowed = listed(mintableScopes[own]);
    throw new DomainError("forbidden", `A token of scope ${own} can create tokens of scope ${allowed}, not ${scope}.`, [
      { path: "scope", message: `must be ${allowed}` },
    ]);
  }
  const wanted = request.expiresInSeconds === undefined ? null : now + request.expiresInSeconds * 1000;
  const ceiling = actor.expiresAt ?? null;
  const expiresAt = ceiling === null ? wanted : Math.min(wanted ?? ceiling, ceiling);
  if (expiresAt !== null && expiresAt > now + MAX_TOKEN_LIFETIME_SECONDS * 1000) throw new DomainError("validation_failed", "expiresInSeconds is too large.");
  const taken = await db.query.apiTokens.findFirst({ where: eq(apiTokens.name, request.name) });
  if (taken || request.name === DEFAULT_TOKEN_NAME) {
    throw new DomainError("conflict", `A token named "${request.name}" exists or existed; token names are never reused, so choose another.`);
  }
  const token = randomSecret("bt");
  const id = crypto.randomUUID();
  await db.insert(apiTokens).values({ id, name: request.name, tokenHash: await sha256Hex(token), scope, expiresAt, createdAt: now, createdBy: actorLabel(actor) });
  return { id, name: request.name, scope, expiresAt, token };
}

/** `operate, run or read`. */
function listed(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} or ${items.at(-1)}` : (items[0] ?? "");
}

export async function listTokens(db: Database) {
  const rows = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      scope: apiTokens.scope,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .orderBy(apiTokens.createdAt);
  return rows.map((row) => ({ ...row, scope: asScope(row.scope) }));
}

/** Returns false when there is no such token. Revoking twice keeps the first revocation time. */
export async function revokeToken(db: Database, id: string): Promise<boolean> {
  const row = await db.query.apiTokens.findFirst({ where: eq(apiTokens.id, id) });
  if (!row) return false;
  if (row.revokedAt === null) {
    await db.update(apiTokens).set({ revokedAt: Date.now() }).where(eq(apiTokens.id, id)).run();
  }
  return true;
}
