/**
 * API tokens: bearer secrets stored only as SHA-256 hashes. The operator's `API_TOKEN` secret is
 * registered as the token named "default" on first use, so a fresh deployment needs no setup step and
 * revoking it through the API sticks (its row stays, revoked).
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { apiTokens } from "../db/schema.ts";
import { randomSecret, sha256Hex } from "./crypto.ts";

export interface TokenIdentity {
  id: string;
  name: string;
}

export const DEFAULT_TOKEN_NAME = "default";
/** last_used_at is a hint for admins, not an audit trail: refresh it at most this often. */
const LAST_USED_RESOLUTION_MS = 60_000;

let bootstrappedHash: string | undefined;

async function registerBootstrapToken(db: Database, apiToken: string | undefined): Promise<void> {
  if (!apiToken) return;
  const tokenHash = await sha256Hex(apiToken);
  if (bootstrappedHash === tokenHash) return;
  await db
    .insert(apiTokens)
    .values({ id: crypto.randomUUID(), name: DEFAULT_TOKEN_NAME, tokenHash, createdAt: Date.now() })
    .onConflictDoNothing({ target: apiTokens.tokenHash });
  bootstrappedHash = tokenHash;
}

/** Returns who a bearer token belongs to, or undefined for unknown and revoked tokens. */
export async function authenticateToken(
  db: Database,
  token: string,
  bootstrapToken: string | undefined,
): Promise<{ identity: TokenIdentity; touch?: Promise<unknown> } | undefined> {
  await registerBootstrapToken(db, bootstrapToken);
  const tokenHash = await sha256Hex(token);
  const row = await db.query.apiTokens.findFirst({
    where: and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)),
  });
  if (!row) return undefined;
  const now = Date.now();
  const touch =
    row.lastUsedAt === null || now - row.lastUsedAt > LAST_USED_RESOLUTION_MS
      ? db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id)).run()
      : undefined;
  return { identity: { id: row.id, name: row.name }, touch };
}

export async function createToken(db: Database, name: string): Promise<{ id: string; name: string; token: string }> {
  const token = randomSecret("bt");
  const id = crypto.randomUUID();
  await db.insert(apiTokens).values({ id, name, tokenHash: await sha256Hex(token), createdAt: Date.now() });
  return { id, name, token };
}

export async function listTokens(db: Database) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .orderBy(apiTokens.createdAt);
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
