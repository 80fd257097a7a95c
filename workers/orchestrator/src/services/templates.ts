/**
 * Templates as the API and RPC see them: list, read (any version), create, save a new version, check a
 * draft, archive. Every definition is validated against the schema and against the agents and templates
 * that exist now, and every refusal names the path of each problem.
 */
import type { TemplateCheck, TemplateRecord, TemplateSaveResult, TemplateSummary, TemplateVersion } from "#shared/api/templates.ts";
import { isAgentRunTemplate } from "#shared/api/agent-runs.ts";
import { loadAgentCatalog } from "../agents/catalog.ts";
import { auditEntry } from "../audit/record.ts";
import { DomainError, validationError } from "../errors.ts";
import * as store from "../templates/store.ts";
import { validateTemplate } from "../templates/validate.ts";
import type { Caller } from "./caller.ts";

async function check(caller: Caller, raw: unknown) {
  const catalog = await loadAgentCatalog(caller.env, caller.db);
  const existing = new Set((await store.listTemplates(caller.db)).map((t) => t.id));
  return validateTemplate(raw, {
    agentStatus: (name) => catalog.status(name),
    agentNames: () => catalog.names(),
    templateExists: (id) => existing.has(id),
  });
}

/** The user's pipelines: the one-step templates of direct agent runs (`agent--…`) are not listed. */
export async function list(caller: Caller, options: { includeArchived?: boolean } = {}): Promise<TemplateSummary[]> {
  return (await store.listTemplates(caller.db, options)).filter((template) => !isAgentRunTemplate(template.id));
}

export async function read(caller: Caller, id: string, version?: number): Promise<TemplateRecord> {
  const record = await store.getTemplate(caller.db, id, version);
  if (!record) {
    throw new DomainError("not_found", version === undefined ? `No template "${id}".` : `Template "${id}" has no version ${version}.`);
  }
  return record;
}

export async function versions(caller: Caller, id: string): Promise<TemplateVersion[]> {
  const found = await store.listTemplateVersions(caller.db, id);
  if (found.length === 0) throw new DomainError("not_found", `No template "${id}".`);
  return found;
}

/** Checks a draft without saving it: the verdict, with every problem and its path. */
export async function validate(caller: Caller, raw: unknown): Promise<TemplateCheck> {
  const checked = await check(caller, raw);
  return checked.ok ? { valid: true, issues: [], template: checked.template } : { valid: false, issues: checked.issues };
}

/** Version 1 of a new template; a template that exists already is a conflict (save a new version instead). */
export async function create(caller: Caller, raw: unknown): Promise<TemplateSaveResult> {
  const checked = await check(caller, raw);
  if (!checked.ok) throw validationError(checked.issues, "template");
  const existing = await store.getTemplate(caller.db, checked.template.id);
  if (existing && existing.archivedAt === null) {
    throw new DomainError(
      "conflict",
      `Template "${checked.template.id}" already exists (version ${existing.latestVersion}); PUT /v1/templates/${checked.template.id} saves a new version.`,
    );
  }
  return store.saveTemplate(caller.db, checked.template, caller.actor, saveAudit(caller, checked.template.id));
}

/** Saves the definition as the template's next version (creating it when new; unchanged keeps the latest). */
export async function save(caller: Caller, raw: unknown, id?: string): Promise<TemplateSaveResult> {
  const body = raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
  if (!body) throw validationError([{ path: "", message: "must be a template object" }], "template");
  if (id !== undefined && body.id !== undefined && body.id !== id) {
    throw validationError([{ path: "id", message: `must match the URL's template id "${id}" (or be left out)` }], "template");
  }
  const checked = await check(caller, id === undefined ? body : { ...body, id });
  if (!checked.ok) throw validationError(checked.issues, "template");
  return store.saveTemplate(caller.db, checked.template, caller.actor, saveAudit(caller, checked.template.id));
}

/** A save's audit row: a create or an update, as the store finds the template in the save's own transaction. */
export function saveAudit(caller: Caller, id: string): store.SaveAudit {
  return (created) => auditEntry(caller.actor, created ? "template.create" : "template.update", id);
}

export async function archive(caller: Caller, id: string): Promise<TemplateSummary> {
  const archived = await store.archiveTemplate(caller.db, id, auditEntry(caller.actor, "template.archive", id));
  if (!archived) throw new DomainError("not_found", `No template "${id}".`);
  return archived;
}
