/** The queue: `GET /v1/queue` (running and queued, with positions and reasons) and reprioritizing. */
import { createRoute, z } from "@hono/zod-openapi";
import { queueSnapshotSchema } from "#shared/api/resources.ts";
import { queueSnapshot, reprioritizeQueued } from "../../dispatcher/stub.ts";
import { EXECUTION_ID_PATTERN } from "../../execution/ids.ts";
import { executionStub } from "../../execution/stub.ts";
import { recordAudit } from "../../audit/record.ts";
import { createRouter } from "../context.ts";
import { DomainError } from "../../errors.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";


const read = createRoute({
  method: "get",
  path: "/queue",
  tags: ["Queue"],
  summary: "Running and queued executions, with each queued one's position and the reason it waits",
  responses: { 200: jsonContent(queueSnapshotSchema, "The queue") },
});

const patch = createRoute({
  method: "patch",
  path: "/executions/{id}",
  tags: ["Queue"],
  summary: "Reprioritize a queued execution",
  request: { params: z.object({ id: z.string().max(64) }), body: jsonBody(z.strictObject({ priority: z.number().int().min(-100).max(100) })) },
  responses: {
    200: jsonContent(z.object({ id: z.string(), priority: z.number().int() }), "Reprioritized"),
    ...errorResponses(400, 404, 409, 415, 422),
  },
});

export const queueRoutes = createRouter()
  .openapi(read, async (c) => c.json(await queueSnapshot(c.env), 200))
  .openapi(patch, async (c) => {
    const { id } = c.req.valid("param");
    const { priority } = c.req.valid("json");
    if (!EXECUTION_ID_PATTERN.test(id)) throw new DomainError("not_found", `No execution "${id}".`);
    const result = await executionStub(c.env, id).setPriority(priority);
    if (!result.ok) throw new DomainError(result.code === "not_found" ? "not_found" : "invalid_state", result.message);
    await reprioritizeQueued(c.env, id, priority);
    await recordAudit(c.var.db, c.var.actor, "execution.reprioritize", id, { priority });
    return c.json({ id, priority }, 200);
  });
