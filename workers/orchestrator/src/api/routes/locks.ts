/** Locks: `GET /v1/locks` (holders and waiters of every lock a template declares) and force-release. */
import { createRoute, z } from "@hono/zod-openapi";
import { lockReleaseSchema, lockSchema } from "#shared/api/resources.ts";
import { lockStub } from "../../locks/lock-do.ts";
import { parseLockSpec } from "../../locks/semaphore.ts";
import { getTemplate, listTemplates } from "../../templates/store.ts";
import type { Database } from "../../db/client.ts";
import { forceReleaseLock } from "../../services/locks.ts";
import { callerOf, createRouter } from "../context.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";

const tags = ["Locks"];

/** Lock names declared by the steps of the templates in use. Locks live in objects, not in a table. */
async function declaredLocks(db: Database): Promise<string[]> {
  const names = new Set<string>();
  for (const summary of await listTemplates(db)) {
    const record = await getTemplate(db, summary.id);
    for (const step of record?.definition.steps ?? []) {
      if (step.type === "agent") for (const spec of step.locks ?? []) names.add(parseLockSpec(spec).name);
    }
  }
  return [...names].sort();
}

const list = createRoute({
  method: "get",
  path: "/locks",
  tags,
  summary: "Every lock the templates declare, with its holders and waiters",
  responses: { 200: jsonContent(z.object({ locks: z.array(lockSchema) }), "Locks") },
});

const forceRelease = createRoute({
  method: "post",
  path: "/locks/{name}/release",
  tags,
  summary: "Force-release a lock: one holder, or every holder when none is named",
  request: {
    params: z.object({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/) }),
    body: { required: false, content: { "application/json": { schema: z.strictObject({ holder: z.string().max(200).optional() }) } } },
  },
  responses: { 200: jsonContent(lockReleaseSchema, "What was freed; `held` is false when the holder held nothing"), ...errorResponses(415, 422) },
});

export const lockRoutes = createRouter()
  .openapi(list, async (c) => {
    const names = await declaredLocks(c.var.db);
    const locks = await Promise.all(names.map(async (name) => ({ ...(await lockStub(c.env, name).snapshot()), name })));
    return c.json({ locks }, 200);
  })
  .openapi(forceRelease, async (c) => {
    const { name } = c.req.valid("param");
    const body = c.req.header("content-type") ? ((await c.req.json()) as { holder?: string }) : {};
    return c.json(await forceReleaseLock(callerOf(c), name, body.holder ?? null), 200);
  });
