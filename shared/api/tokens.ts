/** Shapes of the API token endpoints (`/v1/tokens…`): a token is listed without its secret, shown once on creation. */
import { z } from "zod";

export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.number().int(),
  lastUsedAt: z.number().int().nullable(),
  revokedAt: z.number().int().nullable(),
});
export type ApiToken = z.infer<typeof tokenSchema>;

export const createTokenSchema = z.strictObject({ name: z.string().trim().min(1).max(100) });
export type CreateTokenRequest = z.input<typeof createTokenSchema>;

export const createdTokenSchema = z.object({ id: z.string(), name: z.string(), token: z.string() });
export type CreatedToken = z.infer<typeof createdTokenSchema>;

export const revokedTokenSchema = z.object({ id: z.string(), revoked: z.literal(true) });
export type RevokedToken = z.infer<typeof revokedTokenSchema>;
