/** API token management: list (never the secrets), create (the secret is shown once), revoke. */
import { createRoute, z } from "@hono/zod-openapi";
import { createdTokenSchema, createTokenSchema, revokedTokenSchema, tokenSchema } from "#shared/api/tokens.ts";
import { createToken, listTokens, revokeToken } from "../../auth/api-tokens.ts";
import { recordAudit } from "../../audit/record.ts";
import { createRouter } from "../context.ts";
import { DomainError } from "../../errors.ts";
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
  summary: "Create an API token; its secret is in this answer only",
  request: { body: jsonBody(createTokenSchema) },
  responses: {
    201: jsonContent(createdTokenSchema, "Created"),
    ...errorResponses(400, 413, 415, 422),
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
    const created = await createToken(c.var.db, c.req.valid("json").name);
    await recordAudit(c.var.db, c.var.actor, "token.create", created.id, { name: created.name });
    return c.json(created, 201);
  })
  .openapi(revoke, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await revokeToken(c.var.db, id))) throw new DomainError("not_found", `No API token with id "${id}".`);
    await recordAudit(c.var.db, c.var.actor, "token.revoke", id);
    return c.json({ id, revoked: true as const }, 200);
  });
