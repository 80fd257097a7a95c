/**
 * Templates in D1. Every save that changes the definition appends a version; an execution pins the
 * version it started with, so old versions are never rewritten. Deleting archives: the template stops
 * being listed and started, while history keeps resolving every version.
 */
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type {
  TemplateRecord,
  TemplateSaveResult,
  TemplateSummary,
  TemplateVersion,
} from "#shared/api/templates.ts";
import { canonicalJson } from "#shared/canonical-json.ts";
import type { Template } from "#shared/template.ts";
import { type Actor, actorLabel } from "../audit/actor.ts";
import type { AuditRow } from "../audit/record.ts";
import type { Database } from "../db/client.ts";
import { auditLog, templates, templateVersions } from "../db/schema.ts";
import { forgetTemplate } from "./start-cache.ts";

type TemplateRow = typeof templates.$inferSelect;
type VersionRow = typeof templateVersions.$inferSelect;

function toSummary(row: TemplateRow): TemplateSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    latestVersion: row.latestVersion,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    archivedAt: row.archivedAt,
  };
}

function toRecord(row: TemplateRow, version: VersionRow): TemplateRecord {
  return {
    ...toSummary(row),
    version: version.version,
    versionCreatedAt: version.createdAt,
    versionCreatedBy: version.createdBy,
    definition: version.definition,
  };
}

export async function listTemplates(
  db: Database,
  options: { includeArchived?: boolean } = {},
): Promise<TemplateSummary[]> {
  const rows = await db
    .select()
    .from(templates)
    .where(options.includeArchived ? undefined : isNull(templates.archivedAt))
    .orderBy(templates.id);
  return rows.map(toSummary);
}

/** The template at `version` (default: latest), archived or not; undefined when either does not exist. */
export async function getTemplate(db: Database, id: string, version?: number): Promise<TemplateRecord | undefined> {
  // One query (every start reads a template): the template's row joined to the version asked for.
  const [found] = await db
    .select({ template: templates, version: templateVersions })
    .from(templates)
    .innerJoin(
      templateVersions,
      and(eq(templateVersions.templateId, templates.id), eq(templateVersions.version, version ?? templates.latestVersion)),
    )
    .where(eq(templates.id, id));
  return found ? toRecord(found.template, found.version) : undefined;
}

export async function listTemplateVersions(db: Database, id: string): Promise<TemplateVersion[]> {
  return db
    .select({
      version: templateVersions.version,
      createdAt: templateVersions.createdAt,
      createdBy: templateVersions.createdBy,
    })
    .from(templateVersions)
    .where(eq(templateVersions.templateId, id))
    .orderBy(desc(templateVersions.version));
}

/**
 * Saves `template` as its next version, or keeps the latest one when the definition is unchanged (and
 * the template is not archived: saving an archived template restores it as a new version).
 */
/** The audit row of a save, built by the service: `created` says whether the save makes a new template. */
export type SaveAudit = (created: boolean) => AuditRow;

export async function saveTemplate(db: Database, template: Template, actor: Actor, audit: SaveAudit): Promise<TemplateSaveResult> {
  const current = await getTemplate(db, template.id);
  if (current && current.archivedAt === null && canonicalJson(current.definition) === canonicalJson(template)) {
    return { ...current, created: false };
  }
  const now = Date.now();
  const createdBy = actorLabel(actor);
  // One batch is one transaction, and the version number is computed inside it, so two concurrent saves
  // get consecutive versions instead of colliding.
  const latestVersion = sql`(SELECT MAX(version) FROM template_versions WHERE template_id = ${template.id})`;
  await db.batch([
    db.insert(templateVersions).values({
      templateId: template.id,
      version: sql`(SELECT COALESCE(MAX(version), 0) + 1 FROM template_versions WHERE template_id = ${template.id})`,
      definition: template,
      createdAt: now,
      createdBy,
    }),
    db
      .insert(templates)
      .values({ id: template.id, name: template.name, description: template.description ?? null, latestVersion, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: templates.id,
        set: { name: template.name, description: template.description ?? null, latestVersion, updatedAt: now, archivedAt: null },
      }),
    // In the same batch, so the save and its audit row commit together.
    db.insert(auditLog).values(audit(current === undefined)),
  ]);
  forgetTemplate(template.id);
  const saved = await getTemplate(db, template.id);
  if (!saved) throw new Error(`template ${template.id} vanished right after it was saved`);
  return { ...saved, created: true };
}

/** Undefined when there is no such template; archiving twice keeps the first time. */
export async function archiveTemplate(db: Database, id: string, audit: AuditRow): Promise<TemplateSummary | undefined> {
  const row = await db.query.templates.findFirst({ where: eq(templates.id, id) });
  if (!row) return undefined;
  if (row.archivedAt !== null) return toSummary(row);
  const now = Date.now();
  await db.batch([
    db.update(templates).set({ archivedAt: now, updatedAt: now }).where(eq(templates.id, id)),
    db.insert(auditLog).values(audit),
  ]);
  forgetTemplate(id);
  return toSummary({ ...row, archivedAt: now, updatedAt: now });
}
