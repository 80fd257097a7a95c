/** `GET /v1/events`: every execution's lifecycle events as one SSE stream, for dashboards. */
import { createRoute, z } from "@hono/zod-openapi";
import { lastSeenSeq, SSE_HEADERS } from "../../execution/sse.ts";
import { eventHub } from "../../live/publish.ts";
import { createRouter } from "../context.ts";
import { errorResponses, sseContent } from "../openapi.ts";

const route = createRoute({
  method: "get",
  path: "/events",
  tags: ["Executions"],
  summary: "Lifecycle events of every execution (SSE); resumes after Last-Event-ID",
  request: { query: z.object({ after: z.string().max(20).optional() }) },
  responses: { 200: sseContent("Frames `id: <hub seq>`, `event: <type>`, `data: <event JSON>`"), ...errorResponses(422) },
});

export const liveRoutes = createRouter().openapi(route, async (c) => {
  const after = lastSeenSeq(c.req.header("last-event-id"), c.req.valid("query").after);
  return new Response(await eventHub(c.env).stream(after), { headers: SSE_HEADERS }) as never;
});
