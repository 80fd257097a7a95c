/**
 * `/v1/users`: the console's people. Admins create users with a role, change roles, disable and
 * re-enable them, and reset passwords (the new password is in that one answer). Every change is audited;
 * the last enabled admin cannot be disabled or demoted (409 `last_admin`).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createUserSchema, resetPasswordSchema, updateUserSchema, userSchema, userWithPasswordSchema } from "#shared/api/users.ts";
import { recordAudit } from "../../audit/record.ts";
import { addUser, findUser, listUsers, resetPassword, updateUser } from "../../auth/user-admin.ts";
import { seedFirstAdmin } from "../../auth/users.ts";
import type { Context } from "hono";
import type { Database } from "../../db/client.ts";
import { type AppEnv, createRouter } from "../context.ts";
import { DomainError } from "../../errors.ts";
import { errorResponses, jsonBody, jsonContent, optionalJsonBody } from "../openapi.ts";

const tags = ["Users"];
const userKey = z.object({
  user: z.string().min(1).max(254).openapi({ description: "The user's id, or their email" }),
});

const list = createRoute({
  method: "get",
  path: "/users",
  tags,
  summary: "List console users (admins only)",
  responses: { 200: jsonContent(z.object({ users: z.array(userSchema) }), "Users, oldest first") },
});

const read = createRoute({
  method: "get",
  path: "/users/{user}",
  tags,
  summary: "One console user (admins only)",
  request: { params: userKey },
  responses: { 200: jsonContent(userSchema, "The user"), ...errorResponses(404) },
});

const create = createRoute({
  method: "post",
  path: "/users",
  tags,
  summary: "Create a console user; the password (given or generated) is in this answer only",
  request: { body: jsonBody(createUserSchema) },
  responses: { 201: jsonContent(userWithPasswordSchema, "Created"), ...errorResponses(400, 409, 413, 415, 422) },
});

const update = createRoute({
  method: "patch",
  path: "/users/{user}",
  tags,
  summary: "Change a user's role, or disable / re-enable them (disabling ends their sessions at once)",
  request: { params: userKey, body: jsonBody(updateUserSchema) },
  responses: { 200: jsonContent(userSchema, "The user after the change"), ...errorResponses(400, 404, 409, 413, 415, 422) },
});

const reset = createRoute({
  method: "post",
  path: "/users/{user}/reset-password",
  tags,
  summary: "Set a new password (given or generated), shown in this answer only; the user's sessions end",
  request: { params: userKey, body: optionalJsonBody(resetPasswordSchema) },
  responses: { 200: jsonContent(userWithPasswordSchema, "The new password"), ...errorResponses(400, 404, 413, 415, 422) },
});

/**
 * Every users route starts here: viewers are refused, and the admin named by the secrets exists before
 * anyone lists or counts admins (not only after its first sign-in).
 */
async function managedUsers(c: Context<AppEnv>): Promise<Database> {
  if (c.var.actor.kind === "viewer") throw new DomainError("forbidden", "Only admins may manage users; you are signed in as a viewer.");
  await seedFirstAdmin(c.var.db, c.env.ADMIN_EMAIL, c.env.ADMIN_PASSWORD);
  return c.var.db;
}

export const userRoutes = createRouter()
  .openapi(list, async (c) => c.json({ users: await listUsers(await managedUsers(c)) }, 200))
  .openapi(read, async (c) => {
    const { id, email, role, createdAt, disabledAt } = await findUser(await managedUsers(c), c.req.valid("param").user);
    return c.json({ id, email, role, createdAt, disabledAt }, 200);
  })
  .openapi(create, async (c) => {
    const db = await managedUsers(c);
    const created = await addUser(db, c.req.valid("json"));
    await recordAudit(db, c.var.actor, "user.create", created.user.id, { email: created.user.email, role: created.user.role });
    return c.json(created, 201);
  })
  .openapi(update, async (c) => {
    const db = await managedUsers(c);
    const { user, changed } = await updateUser(db, c.req.valid("param").user, c.req.valid("json"));
    if (Object.keys(changed).length > 0) await recordAudit(db, c.var.actor, "user.update", user.id, { email: user.email, ...changed });
    return c.json(user, 200);
  })
  .openapi(reset, async (c) => {
    const db = await managedUsers(c);
    // The body is optional: no body (or `{}`) generates the password.
    const chosen = c.req.header("content-type") ? c.req.valid("json").password : undefined;
    const result = await resetPassword(db, c.req.valid("param").user, chosen);
    await recordAudit(db, c.var.actor, "user.reset_password", result.user.id, { email: result.user.email });
    return c.json(result, 200);
  });
