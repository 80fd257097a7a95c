/**
 * Shapes of the API token endpoints (`/v1/tokens…`): a token is listed without its secret, shown once on
 * creation. Every token has a scope (what it may do) and may expire.
 */
import { z } from "zod";

/**
 * `admin`: everything. `operate`: start, control (cancel, pause, resume, retry), approve, read.
 * `run`: start executions and read the ones it started. `read`: read everything but tokens and webhooks.
 */
export const tokenScopes = ["admin", "operate", "run", "read"] as const;
export type TokenScope = (typeof tokenScopes)[number];

/** The scopes a token of each scope may mint: its own or less. `run` and `read` are not ordered, so neither holds the other. */
export const mintableScopes: Record<TokenScope, readonly TokenScope[]> = {
  admin: ["admin", "operate", "run", "read"],
  operate: ["operate", "run", "read"],
  run: ["run"],
  read: ["read"],
};

/** Longest lifetime a token may be given (ten years); without `expiresInSeconds` it does not expire. */
export const MAX_TOKEN_LIFETIME_SECONDS = 10 * 365 * 24 * 3600;

export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(tokenScopes),
  createdAt: z.number().int(),
  /** Null: never expires. */
  expiresAt: z.number().int().nullable(),
  lastUsedAt: z.number().int().nullable(),
  revokedAt: z.number().int().nullable(),
});
export type ApiToken = z.infer<typeof tokenSchema>;

export const createTokenSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scope: z.enum(tokenScopes).optional().describe("Defaults to the scope of the token that creates it; never more than that"),
  expiresInSeconds: z
    .number()
    .int()
    .min(60)
    .max(MAX_TOKEN_LIFETIME_SECONDS)
    .optional()
    .describe("Lifetime; a token made by an expiring token expires no later than it"),
});
export type CreateTokenRequest = z.input<typeof createTokenSchema>;

export const createdTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(tokenScopes),
  expiresAt: z.number().int().nullable(),
  token: z.string(),
});
export type CreatedToken = z.infer<typeof createdTokenSchema>;

export const revokedTokenSchema = z.object({ id: z.string(), revoked: z.literal(true) });
export type RevokedToken = z.infer<typeof revokedTokenSchema>;
