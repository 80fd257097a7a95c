/** `/v1/templates…` through the client. */
import type {
  TemplateCheck,
  TemplateDraft,
  TemplateEstimate,
  TemplateRecord,
  TemplateSaveResult,
  TemplateSummary,
  TemplateVersion,
} from "../api/templates.ts";
import type { HttpTransport } from "./http.ts";

const path = (id: string) => `/v1/templates/${encodeURIComponent(id)}`;

export function templatesClient(http: HttpTransport) {
  return {
    async list(options: { includeArchived?: boolean } = {}): Promise<TemplateSummary[]> {
      const query = options.includeArchived ? { archived: "true" } : {};
      return (await http.json<{ templates: TemplateSummary[] }>("GET", "/v1/templates", { query })).templates;
    },
    get(id: string, options: { version?: number } = {}): Promise<TemplateRecord> {
      return http.json("GET", path(id), { query: { version: options.version } });
    },
    async versions(id: string): Promise<TemplateVersion[]> {
      return (await http.json<{ versions: TemplateVersion[] }>("GET", `${path(id)}/versions`)).versions;
    },
    /** Version 1 of a new template; `conflict` when it exists (use `save`). */
    create(template: TemplateDraft): Promise<TemplateSaveResult> {
      return http.json("POST", "/v1/templates", { body: template });
    },
    /** Saves the next version (creating the template when new); `created` is false when nothing changed. */
    save(template: TemplateDraft): Promise<TemplateSaveResult> {
      return http.json("PUT", path(template.id), { body: template });
    },
    /** Checks a draft without saving it; any JSON is accepted, the verdict names each problem's path. */
    validate(draft: unknown): Promise<TemplateCheck> {
      return http.json("POST", "/v1/templates/validate", { body: draft });
    },
    archive(id: string): Promise<TemplateSummary> {
      return http.json("DELETE", path(id));
    },
    estimate(id: string, params: Record<string, unknown> = {}): Promise<TemplateEstimate> {
      return http.json("POST", `${path(id)}/estimate`, { body: { params } });
    },
  };
}
