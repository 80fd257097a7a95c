/** Cost and duration estimates of a template from its history (`POST /v1/templates/:id/estimate`, RPC `estimate`). */
import type { TemplateEstimate } from "#shared/api/templates.ts";
import { DomainError } from "../errors.ts";
import { estimateTemplate } from "../templates/estimate.ts";
import { getTemplate } from "../templates/store.ts";
import { historyUpToDate } from "../history/writer.ts";
import type { Caller } from "./caller.ts";

export async function estimate(caller: Caller, templateId: string, params: Record<string, unknown>): Promise<TemplateEstimate> {
  if (!(await getTemplate(caller.db, templateId))) throw new DomainError("not_found", `No template "${templateId}".`);
  await historyUpToDate(caller.env);
  return estimateTemplate(caller.db, templateId, params);
}
