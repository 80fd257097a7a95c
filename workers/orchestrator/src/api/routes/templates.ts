/** Template endpoints: list, create, read (any version), update (new version), archive, validate; thin over services/templates.ts. */
import { createRoute, z } from "@hono/zod-openapi";
import { templateSchema } from "#shared/template.ts";
import * as templates from "../../services/templates.ts";
import { callerOf, createRouter } from "../context.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import { Template, TemplateCheck, TemplateRecord, TemplateSaveResult, TemplateSummary, TemplateVersion } from "../schemas.ts";

const idParam = z.object({ id: z.string().min(1).max(64) });
const tags = ["Templates"];

const list = createRoute({
  method: "get",
  path: "/templates",
  tags,
  summary: "List templates",
  request: { query: z.object({ archived: z.enum(["true", "false"]).optional() }) },
  responses: {
    200: jsonContent(z.object({ templates: z.array(TemplateSummary) }), "Templates, by id"),
    ...errorResponses(422),
  },
});

const create = createRoute({
  method: "post",
  path: "/templates",
  tags,
  summary: "Create a template (version 1)",
  request: { body: jsonBody(Template) },
  responses: {
    201: jsonContent(TemplateSaveResult, "Created"),
    ...errorResponses(400, 409, 413, 415, 422),
  },
});

const validate = createRoute({
  method: "post",
  path: "/templates/validate",
  tags,
  summary: "Check a template without saving it",
  request: { body: jsonBody(z.unknown()) },
  responses: {
    200: jsonContent(TemplateCheck, "The verdict, with every problem and its path"),
    ...errorResponses(400, 413, 415),
  },
});

const read = createRoute({
  method: "get",
  path: "/templates/{id}",
  tags,
  summary: "Read a template (latest version, or ?version=N)",
  request: { params: idParam, query: z.object({ version: z.coerce.number().int().min(1).optional() }) },
  responses: { 200: jsonContent(TemplateRecord, "The template"), ...errorResponses(404, 422) },
});

const versions = createRoute({
  method: "get",
  path: "/templates/{id}/versions",
  tags,
  summary: "List a template's versions, newest first",
  request: { params: idParam },
  responses: {
    200: jsonContent(z.object({ versions: z.array(TemplateVersion) }), "Versions"),
    ...errorResponses(404),
  },
});

const update = createRoute({
  method: "put",
  path: "/templates/{id}",
  tags,
  summary: "Save a template as its next version (creates it when new)",
  request: { params: idParam, body: jsonBody(templateSchema.extend({ id: templateSchema.shape.id.optional() })) },
  responses: {
    200: jsonContent(TemplateSaveResult, "Saved (or unchanged: `created` is false)"),
    201: jsonContent(TemplateSaveResult, "Created"),
    ...errorResponses(400, 413, 415, 422),
  },
});

const archive = createRoute({
  method: "delete",
  path: "/templates/{id}",
  tags,
  summary: "Archive a template (history keeps every version)",
  request: { params: idParam },
  responses: { 200: jsonContent(TemplateSummary, "Archived"), ...errorResponses(404) },
});

export const templateRoutes = createRouter()
  .openapi(list, async (c) => {
    const includeArchived = c.req.valid("query").archived === "true";
    return c.json({ templates: await templates.list(callerOf(c), { includeArchived }) }, 200);
  })
  .openapi(create, async (c) => c.json(await templates.create(callerOf(c), await c.req.json()), 201))
  .openapi(validate, async (c) => c.json(await templates.validate(callerOf(c), c.req.valid("json")), 200))
  .openapi(read, async (c) => c.json(await templates.read(callerOf(c), c.req.valid("param").id, c.req.valid("query").version), 200))
  .openapi(versions, async (c) => c.json({ versions: await templates.versions(callerOf(c), c.req.valid("param").id) }, 200))
  .openapi(update, async (c) => {
    const saved = await templates.save(callerOf(c), await c.req.json(), c.req.valid("param").id);
    return c.json(saved, saved.created && saved.version === 1 ? 201 : 200);
  })
  .openapi(archive, async (c) => c.json(await templates.archive(callerOf(c), c.req.valid("param").id), 200));
