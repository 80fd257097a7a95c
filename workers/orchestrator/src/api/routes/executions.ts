/**
 * Execution endpoints: start, history, state, control (cancel, pause, resume, retry, bulk), approvals,
 * the SSE event stream and the logs.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { executionStatuses, startExecutionSchema, type ExecutionStatus } from "#shared/execution.ts";
import type { ControlResult } from "../../execution/execution-do.ts";
import { EXECUTION_ID_PATTERN } from "../../execution/ids.ts";
import { activeExecutionIds, InvalidCursorError, listExecutions } from "../../execution/list.ts";
import { executionStub, startExecution } from "../../execution/start.ts";
import { lastSeenSeq, SSE_HEADERS } from "../../execution/sse.ts";
import { recordAudit } from "../../audit/record.ts";
import { createRouter } from "../context.ts";
import { ApiError, validationError } from "../errors.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";

const tags = ["Executions"];
const executionSchema = z.looseObject({ id: z.string(), status: z.enum(executionStatuses), steps: z.array(z.looseObject({ id: z.string() })) });
const summarySchema = z.looseObject({ id: z.string(), status: z.enum(executionStatuses), templateId: z.string() });
const idParams = z.object({ id: z.string().max(64) });
const stepParams = idParams.extend({ step: z.string().max(64) });
const commentBody = z.strictObject({ comment: z.string().max(2000).optional() });
const reasonBody = z.strictObject({ reason: z.string().max(2000).optional() });
const logLineSchema = z.object({
  seq: z.number().int(),
  at: z.number().int(),
  stepId: z.string(),
  item: z.number().int().optional(),
  attempt: z.number().int(),
  level: z.enum(["debug", "info", "warn", "error"]),
  message: z.string(),
});

function stubFor(id: string) {
  if (!EXECUTION_ID_PATTERN.test(id)) throw new ApiError("not_found", `No execution "${id}".`);
  return (env: Env) => executionStub(env, id);
}

function controlled(result: ControlResult) {
  if (result.ok) return result.execution;
  throw new ApiError(result.code === "not_found" ? "not_found" : "invalid_state", result.message);
}

const start = createRoute({
  method: "post",
  path: "/executions",
  tags,
  summary: "Start an execution of a template",
  request: { body: jsonBody(startExecutionSchema) },
  responses: {
    202: jsonContent(z.object({ id: z.string(), status: z.enum(executionStatuses), created: z.boolean() }), "Accepted: the execution is queued or running"),
    ...errorResponses(400, 404, 409, 413, 415, 422, 429),
  },
});

const list = createRoute({
  method: "get",
  path: "/executions",
  tags,
  summary: "Execution history, newest first",
  request: {
    query: z.object({
      status: z
        .string()
        .optional()
        .refine((v) => !v || v.split(",").every((s) => (executionStatuses as readonly string[]).includes(s)), {
          message: `use one or more of ${executionStatuses.join(", ")}, separated by commas`,
        }),
      template: z.string().max(64).optional(),
      agent: z.string().max(64).optional(),
      since: z.coerce.number().int().min(0).optional(),
      until: z.coerce.number().int().min(0).optional(),
      q: z.string().max(200).optional(),
      cursor: z.string().max(500).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: jsonContent(z.object({ executions: z.array(summarySchema), nextCursor: z.string().nullable() }), "A page of executions"),
    ...errorResponses(422),
  },
});

const read = createRoute({
  method: "get",
  path: "/executions/{id}",
  tags,
  summary: "The whole state of an execution, with its steps",
  request: { params: idParams },
  responses: { 200: jsonContent(executionSchema, "The execution"), ...errorResponses(404) },
});

function controlRoute(action: "cancel" | "pause" | "resume" | "retry", summary: string) {
  return createRoute({
    method: "post",
    path: `/executions/{id}/${action}`,
    tags,
    summary,
    request: { params: idParams, body: { required: false, content: { "application/json": { schema: reasonBody } } } },
    responses: { 200: jsonContent(executionSchema, "The execution after the change"), ...errorResponses(404, 409, 415, 422) },
  });
}

function approvalRoute(decision: "approve" | "reject") {
  return createRoute({
    method: "post",
    path: `/executions/{id}/steps/{step}/${decision}`,
    tags: ["Approvals"],
    summary: decision === "approve" ? "Approve a waiting approval step" : "Reject a waiting approval step (the step fails)",
    request: { params: stepParams, body: { required: false, content: { "application/json": { schema: commentBody } } } },
    responses: { 200: jsonContent(executionSchema, "The execution after the decision"), ...errorResponses(404, 409, 415, 422) },
  });
}

function bulkRoute(path: string, summary: string) {
  return createRoute({
    method: "post",
    path,
    tags,
    summary,
    request: { body: { required: false, content: { "application/json": { schema: reasonBody } } } },
    responses: { 200: jsonContent(z.object({ affected: z.array(z.string()) }), "The executions changed"), ...errorResponses(415, 422) },
  });
}

const events = createRoute({
  method: "get",
  path: "/executions/{id}/events",
  tags,
  summary: "The execution's events as Server-Sent Events; resumes after Last-Event-ID (or ?after=)",
  request: { params: idParams, query: z.object({ after: z.string().max(20).optional() }) },
  responses: { 200: { description: "text/event-stream", content: { "text/event-stream": { schema: z.string() } } }, ...errorResponses(404) },
});

const logs = createRoute({
  method: "get",
  path: "/executions/{id}/logs",
  tags,
  summary: "Log lines the agents wrote, oldest first",
  request: {
    params: idParams,
    query: z.object({
      level: z.enum(["debug", "info", "warn", "error"]).optional(),
      step: z.string().max(64).optional(),
      q: z.string().max(200).optional(),
      after: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(1000).default(200),
    }),
  },
  responses: {
    200: jsonContent(z.object({ logs: z.array(logLineSchema), nextAfter: z.number().int().nullable() }), "Log lines"),
    ...errorResponses(404, 422),
  },
});

const levelRank = { debug: 0, info: 1, warn: 2, error: 3 } as const;
type LogLine = z.infer<typeof logLineSchema>;

async function optionalJson(req: { header(name: string): string | undefined; json(): Promise<unknown> }): Promise<Record<string, unknown>> {
  const type = req.header("content-type");
  if (!type) return {};
  const body = await req.json();
  return body && typeof body === "object" ? (body as Record<string, unknown>) : {};
}

function textField(body: Record<string, unknown>, name: string): string | null {
  const value = body[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value.length > 2000) {
    throw validationError([{ path: name, message: "must be a string of at most 2000 characters" }]);
  }
  return value;
}

export const executionRoutes = createRouter()
  .openapi(start, async (c) => {
    const { execution, created } = await startExecution(c.env, c.var.db, c.req.valid("json"), c.var.actor);
    if (created) await recordAudit(c.var.db, c.var.actor, "execution.start", execution.id, { template: execution.templateId });
    return c.json({ id: execution.id, status: execution.status, created }, 202);
  })
  .openapi(list, async (c) => {
    const query = c.req.valid("query");
    try {
      const page = await listExecutions(c.var.db, {
        ...query,
        status: query.status ? (query.status.split(",") as ExecutionStatus[]) : undefined,
      });
      return c.json(page, 200);
    } catch (error) {
      if (error instanceof InvalidCursorError) throw validationError([{ path: "cursor", message: error.message }], "query string");
      throw error;
    }
  })
  .openapi(read, async (c) => {
    const { id } = c.req.valid("param");
    const state = await stubFor(id)(c.env).getState();
    if (!state) throw new ApiError("not_found", `No execution "${id}".`);
    return c.json(state, 200);
  })
  .openapi(controlRoute("cancel", "Cancel: running attempts are abandoned, the reason is kept"), async (c) => {
    const { id } = c.req.valid("param");
    const reason = textField(await optionalJson(c.req), "reason") ?? "cancelled by request";
    const state = controlled(await stubFor(id)(c.env).cancel(reason, c.var.actor));
    await recordAudit(c.var.db, c.var.actor, "execution.cancel", id, { reason });
    return c.json(state, 200);
  })
  .openapi(controlRoute("pause", "Pause: no new step starts; running ones finish"), async (c) => {
    const { id } = c.req.valid("param");
    const reason = textField(await optionalJson(c.req), "reason");
    const state = controlled(await stubFor(id)(c.env).pause(c.var.actor, reason));
    await recordAudit(c.var.db, c.var.actor, "execution.pause", id);
    return c.json(state, 200);
  })
  .openapi(controlRoute("resume", "Resume a paused execution"), async (c) => {
    const { id } = c.req.valid("param");
    const state = controlled(await stubFor(id)(c.env).resume(c.var.actor));
    await recordAudit(c.var.db, c.var.actor, "execution.resume", id);
    return c.json(state, 200);
  })
  .openapi(controlRoute("retry", "Retry a failed execution from its failed steps"), async (c) => {
    const { id } = c.req.valid("param");
    const state = controlled(await stubFor(id)(c.env).retry(c.var.actor));
    await recordAudit(c.var.db, c.var.actor, "execution.retry", id);
    return c.json(state, 200);
  })
  .openapi(approvalRoute("approve"), async (c) => {
    const { id, step } = c.req.valid("param");
    const comment = textField(await optionalJson(c.req), "comment");
    const state = controlled(await stubFor(id)(c.env).resolveApproval(step, true, c.var.actor, comment));
    await recordAudit(c.var.db, c.var.actor, "approval.approve", `${id}/${step}`, { comment });
    return c.json(state, 200);
  })
  .openapi(approvalRoute("reject"), async (c) => {
    const { id, step } = c.req.valid("param");
    const comment = textField(await optionalJson(c.req), "comment");
    const state = controlled(await stubFor(id)(c.env).resolveApproval(step, false, c.var.actor, comment));
    await recordAudit(c.var.db, c.var.actor, "approval.reject", `${id}/${step}`, { comment });
    return c.json(state, 200);
  })
  .openapi(bulkRoute("/executions/pause-all", "Pause every queued, running or waiting execution"), async (c) => {
    const reason = textField(await optionalJson(c.req), "reason") ?? "pause all";
    const ids = await activeExecutionIds(c.var.db, ["queued", "running", "waiting"]);
    const results = await Promise.all(ids.map((id) => executionStub(c.env, id).pause(c.var.actor, reason)));
    const affected = ids.filter((_, i) => results[i]?.ok);
    await recordAudit(c.var.db, c.var.actor, "execution.pause_all", null, { affected: affected.length });
    return c.json({ affected }, 200);
  })
  .openapi(bulkRoute("/executions/emergency-stop", "Cancel every execution that has not ended"), async (c) => {
    const reason = textField(await optionalJson(c.req), "reason") ?? "emergency stop";
    const ids = await activeExecutionIds(c.var.db, ["queued", "running", "waiting", "paused"]);
    const results = await Promise.all(ids.map((id) => executionStub(c.env, id).cancel(reason, c.var.actor)));
    const affected = ids.filter((_, i) => results[i]?.ok);
    await recordAudit(c.var.db, c.var.actor, "execution.emergency_stop", null, { affected: affected.length, reason });
    return c.json({ affected }, 200);
  })
  .openapi(events, async (c) => {
    const { id } = c.req.valid("param");
    const after = lastSeenSeq(c.req.header("last-event-id"), c.req.valid("query").after);
    const stream = await stubFor(id)(c.env).stream(after);
    if (!stream) throw new ApiError("not_found", `No execution "${id}".`);
    return new Response(stream, { headers: SSE_HEADERS }) as never;
  })
  .openapi(logs, async (c) => {
    const { id } = c.req.valid("param");
    const { level, step, q, after, limit } = c.req.valid("query");
    const stub = stubFor(id)(c.env);
    const lines: LogLine[] = [];
    let cursor = after;
    for (;;) {
      const page = await stub.events(cursor, 1000, ["step.log"]);
      if (!page) throw new ApiError("not_found", `No execution "${id}".`);
      for (const event of page) {
        cursor = event.seq;
        const data = event.data as Omit<LogLine, "seq" | "at">;
        if (level && levelRank[data.level] < levelRank[level]) continue;
        if (step && data.stepId !== step) continue;
        if (q && !data.message.toLowerCase().includes(q.toLowerCase())) continue;
        lines.push({ seq: event.seq, at: event.at, stepId: data.stepId, attempt: data.attempt, level: data.level, message: data.message, ...(data.item !== undefined ? { item: data.item } : {}) });
        if (lines.length >= limit) return c.json({ logs: lines, nextAfter: cursor }, 200);
      }
      if (page.length < 1000) return c.json({ logs: lines, nextAfter: null }, 200);
    }
  });

