/** API token management: list (never the secrets), create (the secret is shown once; scope and expiry bounded by the creator's), revoke. */
import { createRoute, z } from "@hono/zod-openapi";
import { createdTokenSchema, createTokenSchema, revokedTokenSchema, tokenSchema } from "#shared/api/tokens.ts";
import { listTokens } from "../../auth/api-tokens.ts";
import { createApiToken, revokeApiToken } from "../../services/tokens.ts";
import { callerOf, createRouter } from "../context.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";

const tags = ["Tokens"];

const list = createRoute({
  method: "get",
  path: "/tokens",
  tags,
  summary: "List API tokens",
  responses: { 200: jsonContent(z.object({ tokens: z.array(tokenSchema) }), "Tokens, oldest first") },
});

const create = createRoute({
  method: "post",
  path: "/tokens",
  tags,
  summary: "Create an API token of your scope or less; its secret is in this answer only",
  request: { body: jsonBody(createTokenSchema) },
  responses: {
    201: jsonContent(createdTokenSchema, "Created"),
    ...errorResponses(400, 409, 413, 415, 422),
  },
});

const revoke = createRoute({
  method: "delete",
  path: "/tokens/{id}",
  tags,
  summary: "Revoke an API token at once",
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 200: jsonContent(revokedTokenSchema, "Revoked"), ...errorResponses(404) },
});

export const tokenRoutes = createRouter()
  .openapi(list, async (c) => c.json({ tokens: await listTokens(c.var.db) }, 200))
  .openapi(create, async (c) => {
    const created = await createApiToken(callerOf(c), c.req.valid("json"));
    return c.json(created, 201);
  })
  .openapi(revoke, async (c) => {
    const { id } = c.req.valid("param");
    await revokeApiToken(callerOf(c), id);
    return c.json({ id, revoked: true as const }, 200);
  });
