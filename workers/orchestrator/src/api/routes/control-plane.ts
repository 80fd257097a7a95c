/** `GET /v1/control-plane`: the calls each dispatcher shard, the lender, each history writer and each hub shard received. */
import { createRoute, z } from "@hono/zod-openapi";
import { controlPlaneSchema } from "#shared/api/control-plane.ts";
import { controlPlaneLoad } from "../../control-plane/load.ts";
import { createRouter } from "../context.ts";
import { errorResponses, jsonContent } from "../openapi.ts";

const route = createRoute({
  method: "get",
  path: "/control-plane",
  tags: ["Queue"],
  summary: "Calls received by each control-plane object (per second, since `since`), to see which one is busiest",
  request: { query: z.object({ since: z.coerce.number().int().min(0).optional() }) },
  responses: { 200: jsonContent(controlPlaneSchema, "Each object's counts"), ...errorResponses(422) },
});

export const controlPlaneRoutes = createRouter().openapi(route, async (c) => c.json(await controlPlaneLoad(c.env, c.req.valid("query").since ?? 0), 200));
