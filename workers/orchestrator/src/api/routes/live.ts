/** `GET /v1/events`: every execution's lifecycle events as one SSE stream (merged over the hub's shards), for dashboards. */
import { createRoute, z } from "@hono/zod-openapi";
import { SSE_HEADERS } from "../../execution/sse.ts";
import { openLiveFeed } from "../../live/feed.ts";
import { createRouter } from "../context.ts";
import { errorResponses, sseContent } from "../openapi.ts";

const route = createRoute({
  method: "get",
  path: "/events",
  tags: ["Executions"],
  summary: "Lifecycle events of every execution (SSE); resumes after Last-Event-ID",
  request: { query: z.object({ after: z.string().max(1100).optional() }) },
  responses: {
    200: sseContent(
      "Frames `id: <cursor>`, `event: <type>`, `data: <event JSON>`. The cursor is the hub's sequence number, or with several control shards (CONTROL_SHARDS) the position in each, dotted; send it back as Last-Event-ID or `after`.",
    ),
    ...errorResponses(422),
  },
});

export const liveRoutes = createRouter().openapi(route, async (c) => {
  const stream = await openLiveFeed(c.env, c.req.header("last-event-id"), c.req.valid("query").after);
  return new Response(stream, { headers: SSE_HEADERS }) as never;
});
