/** Template endpoints: list, create, read (any version), update (new version), archive, validate. */
import { createRoute, z } from "@hono/zod-openapi";
import {
  templateRecordSchema,
  templateSaveResultSchema,
  templateSummarySchema,
  templateVersionSchema,
} from "#shared/api/templates.ts";
import { fieldIssueSchema } from "#shared/errors.ts";
import { templateSchema } from "#shared/template.ts";
import { loadAgentCatalog } from "../../agents/catalog.ts";
import { archiveTemplate, getTemplate, listTemplates, listTemplateVersions, saveTemplate } from "../../templates/store.ts";
import { validateTemplate } from "../../templates/validate.ts";
import { type AppEnv, createRouter } from "../context.ts";
import { ApiError, validationError } from "../errors.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";
import type { Context } from "hono";

const idParam = z.object({ id: z.string().min(1).max(64) });
const tags = ["Templates"];

/** Validates a raw template against the schema and against the agents and templates that exist now. */
async function checkTemplate(c: Context<AppEnv>, raw: unknown) {
  const catalog = await loadAgentCatalog(c.env, c.var.db);
  const existing = new Set((await listTemplates(c.var.db)).map((t) => t.id));
  return validateTemplate(raw, {
    agentStatus: (name) => catalog.status(name),
    agentNames: () => catalog.names(),
    templateExists: (id) => existing.has(id),
  });
}

const list = createRoute({
  method: "get",
  path: "/templates",
  tags,
  summary: "List templates",
  request: { query: z.object({ archived: z.enum(["true", "false"]).optional() }) },
  responses: {
    200: jsonContent(z.object({ templates: z.array(templateSummarySchema) }), "Templates, by id"),
    ...errorResponses(422),
  },
});

const create = createRoute({
  method: "post",
  path: "/templates",
  tags,
  summary: "Create a template (version 1)",
  request: { body: jsonBody(templateSchema) },
  responses: {
    201: jsonContent(templateSaveResultSchema, "Created"),
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
    200: jsonContent(
      z.object({ valid: z.boolean(), issues: z.array(fieldIssueSchema), template: templateSchema.optional() }),
      "The verdict, with every problem and its path",
    ),
    ...errorResponses(400, 413, 415),
  },
});

const read = createRoute({
  method: "get",
  path: "/templates/{id}",
  tags,
  summary: "Read a template (latest version, or ?version=N)",
  request: { params: idParam, query: z.object({ version: z.coerce.number().int().min(1).optional() }) },
  responses: { 200: jsonContent(templateRecordSchema, "The template"), ...errorResponses(404, 422) },
});

const versions = createRoute({
  method: "get",
  path: "/templates/{id}/versions",
  tags,
  summary: "List a template's versions, newest first",
  request: { params: idParam },
  responses: {
    200: jsonContent(z.object({ versions: z.array(templateVersionSchema) }), "Versions"),
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
    200: jsonContent(templateSaveResultSchema, "Saved (or unchanged: `created` is false)"),
    201: jsonContent(templateSaveResultSchema, "Created"),
    ...errorResponses(400, 413, 415, 422),
  },
});

const archive = createRoute({
  method: "delete",
  path: "/templates/{id}",
  tags,
  summary: "Archive a template (history keeps every version)",
  request: { params: idParam },
  responses: { 200: jsonContent(templateSummarySchema, "Archived"), ...errorResponses(404) },
});

export const templateRoutes = createRouter()
  .openapi(list, async (c) => {
    const includeArchived = c.req.valid("query").archived === "true";
    return c.json({ templates: await listTemplates(c.var.db, { includeArchived }) }, 200);
  })
  .openapi(create, async (c) => {
    const checked = await checkTemplate(c, await c.req.json());
    if (!checked.ok) throw validationError(checked.issues, "template");
    const existing = await getTemplate(c.var.db, checked.template.id);
    if (existing && existing.archivedAt === null) {
      throw new ApiError(
        "conflict",
        `Template "${checked.template.id}" already exists (version ${existing.latestVersion}); PUT /v1/templates/${checked.template.id} saves a new version.`,
      );
    }
    return c.json(await saveTemplate(c.var.db, checked.template, c.var.actor), 201);
  })
  .openapi(validate, async (c) => {
    const checked = await checkTemplate(c, c.req.valid("json"));
    return c.json(
      checked.ok ? { valid: true, issues: [], template: checked.template } : { valid: false, issues: checked.issues },
      200,
    );
  })
  .openapi(read, async (c) => {
    const { id } = c.req.valid("param");
    const { version } = c.req.valid("query");
    const record = await getTemplate(c.var.db, id, version);
    if (!record) {
      throw new ApiError(
        "not_found",
        version === undefined ? `No template "${id}".` : `Template "${id}" has no version ${version}.`,
      );
    }
    return c.json(record, 200);
  })
  .openapi(versions, async (c) => {
    const { id } = c.req.valid("param");
    const found = await listTemplateVersions(c.var.db, id);
    if (found.length === 0) throw new ApiError("not_found", `No template "${id}".`);
    return c.json({ versions: found }, 200);
  })
  .openapi(update, async (c) => {
    const { id } = c.req.valid("param");
    const body = (await c.req.json()) as Record<string, unknown>;
    if (body.id !== undefined && body.id !== id) {
      throw validationError([{ path: "id", message: `must match the URL's template id "${id}" (or be left out)` }], "template");
    }
    const checked = await checkTemplate(c, { ...body, id });
    if (!checked.ok) throw validationError(checked.issues, "template");
    const saved = await saveTemplate(c.var.db, checked.template, c.var.actor);
    return c.json(saved, saved.created && saved.version === 1 ? 201 : 200);
  })
  .openapi(archive, async (c) => {
    const { id } = c.req.valid("param");
    const archived = await archiveTemplate(c.var.db, id, c.var.actor);
    if (!archived) throw new ApiError("not_found", `No template "${id}".`);
    return c.json(archived, 200);
  });
