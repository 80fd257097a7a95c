/**
 * Execution endpoints: start, history, state, control (cancel, pause, resume, retry, bulk), approvals,
 * the SSE event stream and the logs. Each handler reads the request and calls the service function that
 * the RPC entrypoint calls too.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { bulkResultSchema, commentBodySchema, logLevels, logPageSchema, reasonBodySchema } from "#shared/api/executions.ts";
import { executionStatuses, type ExecutionStatus } from "#shared/execution.ts";
import { lastSeenSeq, SSE_HEADERS } from "../../execution/sse.ts";
import * as control from "../../services/execution-control.ts";
import * as events from "../../services/execution-events.ts";
import * as executions from "../../services/executions.ts";
import { callerOf, createRouter } from "../context.ts";
import { validationError } from "../../errors.ts";
import { errorResponses, jsonBody, jsonContent, optionalJsonBody, sseContent } from "../openapi.ts";
import { ExecutionPage, ExecutionState, ForkExecutionRequest, ForkExecutionResponse, StartExecutionRequest, StartExecutionResponse } from "../schemas.ts";

const tags = ["Executions"];
const idParams = z.object({ id: z.string().max(64) });
const stepParams = idParams.extend({ step: z.string().max(64) });

const start = createRoute({
  method: "post",
  path: "/executions",
  tags,
  summary: "Start an execution of a template",
  request: { body: jsonBody(StartExecutionRequest) },
  responses: {
    202: jsonContent(StartExecutionResponse, "Accepted: the execution is queued or running"),
    ...errorResponses(400, 404, 409, 413, 415, 422, 429),
  },
});

const fork = createRoute({
  method: "post",
  path: "/executions/{id}/fork",
  tags,
  summary: "Fork an ended execution from one of its steps",
  description:
    "Starts a new execution of the same template version. Steps `fromStep` does not lead to take over the origin's outputs (no agent call, no cost); `fromStep` runs with `input` if given (checked against its agent's input schema) and everything after it runs afresh. 409 while the origin has not ended.",
  request: { params: idParams, body: jsonBody(ForkExecutionRequest) },
  responses: {
    202: jsonContent(ForkExecutionResponse, "Accepted: the fork is queued or running"),
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
      limit: z.coerce.number().int().min(1).max(200).default(executions.DEFAULT_PAGE_SIZE),
    }),
  },
  responses: { 200: jsonContent(ExecutionPage, "A page of executions"), ...errorResponses(422) },
});

const read = createRoute({
  method: "get",
  path: "/executions/{id}",
  tags,
  summary: "The whole state of an execution, with its steps",
  request: { params: idParams },
  responses: { 200: jsonContent(ExecutionState, "The execution"), ...errorResponses(404) },
});

function controlRoute(action: control.ControlAction, summary: string) {
  return createRoute({
    method: "post",
    path: `/executions/{id}/${action}`,
    tags,
    summary,
    request: { params: idParams, body: optionalJsonBody(reasonBodySchema) },
    responses: { 200: jsonContent(ExecutionState, "The execution after the change"), ...errorResponses(404, 409, 415, 422) },
  });
}

function approvalRoute(decision: "approve" | "reject") {
  return createRoute({
    method: "post",
    path: `/executions/{id}/steps/{step}/${decision}`,
    tags: ["Approvals"],
    summary: decision === "approve" ? "Approve a waiting approval step" : "Reject a waiting approval step (the step fails)",
    request: { params: stepParams, body: optionalJsonBody(commentBodySchema) },
    responses: { 200: jsonContent(ExecutionState, "The execution after the decision"), ...errorResponses(404, 409, 415, 422) },
  });
}

function bulkRoute(path: string, summary: string) {
  return createRoute({
    method: "post",
    path,
    tags,
    summary,
    request: { body: optionalJsonBody(reasonBodySchema) },
    responses: { 200: jsonContent(bulkResultSchema, "The executions changed"), ...errorResponses(415, 422) },
  });
}

const eventsRoute = createRoute({
  method: "get",
  path: "/executions/{id}/events",
  tags,
  summary: "The execution's events as Server-Sent Events; resumes after Last-Event-ID (or ?after=)",
  request: { params: idParams, query: z.object({ after: z.string().max(20).optional() }) },
  responses: { 200: sseContent("Frames `id: <seq>`, `event: <type>`, `data: <ExecutionEvent JSON>`"), ...errorResponses(404, 422) },
});

const logsRoute = createRoute({
  method: "get",
  path: "/executions/{id}/logs",
  tags,
  summary: "Log lines the agents wrote, oldest first",
  request: {
    params: idParams,
    query: z.object({
      level: z.enum(logLevels).optional(),
      step: z.string().max(64).optional(),
      q: z.string().max(200).optional(),
      after: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(1000).default(200),
    }),
  },
  responses: { 200: jsonContent(logPageSchema, "Log lines"), ...errorResponses(404, 422) },
});

/** The optional JSON body of a control request: absent, `{}`, or the one text field the route takes. */
async function textField(req: { header(name: string): string | undefined; json(): Promise<unknown> }, name: string): Promise<string | null> {
  if (!req.header("content-type")) return null;
  const body = await req.json();
  const value = body && typeof body === "object" ? (body as Record<string, unknown>)[name] : undefined;
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value.length > 2000) {
    throw validationError([{ path: name, message: "must be a string of at most 2000 characters" }]);
  }
  return value;
}

export const executionRoutes = createRouter()
  .openapi(start, async (c) => c.json(await executions.start(callerOf(c), c.req.valid("json")), 202))
  .openapi(fork, async (c) => c.json(await executions.fork(callerOf(c), c.req.valid("param").id, c.req.valid("json")), 202))
  .openapi(list, async (c) => {
    const { status, ...query } = c.req.valid("query");
    const filters = { ...query, ...(status ? { status: status.split(",") as ExecutionStatus[] } : {}) };
    return c.json(await executions.list(callerOf(c), filters), 200);
  })
  .openapi(read, async (c) => c.json(await executions.read(callerOf(c), c.req.valid("param").id), 200))
  .openapi(controlRoute("cancel", "Cancel: running attempts are abandoned, the reason is kept"), async (c) =>
    c.json(await control.control(callerOf(c), c.req.valid("param").id, "cancel", await textField(c.req, "reason")), 200),
  )
  .openapi(controlRoute("pause", "Pause: no new step starts; running ones finish"), async (c) =>
    c.json(await control.control(callerOf(c), c.req.valid("param").id, "pause", await textField(c.req, "reason")), 200),
  )
  .openapi(controlRoute("resume", "Resume a paused execution"), async (c) =>
    c.json(await control.control(callerOf(c), c.req.valid("param").id, "resume"), 200),
  )
  .openapi(controlRoute("retry", "Retry a failed execution from its failed steps"), async (c) =>
    c.json(await control.control(callerOf(c), c.req.valid("param").id, "retry"), 200),
  )
  .openapi(approvalRoute("approve"), async (c) => {
    const { id, step } = c.req.valid("param");
    return c.json(await control.decideApproval(callerOf(c), id, step, true, await textField(c.req, "comment")), 200);
  })
  .openapi(approvalRoute("reject"), async (c) => {
    const { id, step } = c.req.valid("param");
    return c.json(await control.decideApproval(callerOf(c), id, step, false, await textField(c.req, "comment")), 200);
  })
  .openapi(bulkRoute("/executions/pause-all", "Pause every queued, running or waiting execution"), async (c) =>
    c.json(await control.pauseAll(callerOf(c), await textField(c.req, "reason")), 200),
  )
  .openapi(bulkRoute("/executions/emergency-stop", "Cancel every execution that has not ended"), async (c) =>
    c.json(await control.emergencyStop(callerOf(c), await textField(c.req, "reason")), 200),
  )
  .openapi(eventsRoute, async (c) => {
    const after = lastSeenSeq(c.req.header("last-event-id"), c.req.valid("query").after);
    const stream = await events.eventStream(callerOf(c), c.req.valid("param").id, after);
    return new Response(stream, { headers: SSE_HEADERS }) as never;
  })
  .openapi(logsRoute, async (c) => c.json(await events.logs(callerOf(c), c.req.valid("param").id, c.req.valid("query")), 200));
