/**
 * The templates an assistant may see, with their definitions (their params and whether they are tools
 * of their own). Templates are few, and an MCP request is one assistant's action, so one read each is fine.
 */
import type { McpConfig } from "#shared/config.ts";
import type { Template } from "#shared/template.ts";
import type { Caller } from "../services/caller.ts";
import { getTemplate, listTemplates } from "../templates/store.ts";
import { templateVisible } from "./access.ts";

export async function visibleTemplates(caller: Caller, mcp: McpConfig): Promise<Template[]> {
  const summaries = (await listTemplates(caller.db)).filter((summary) => templateVisible(mcp, summary.id));
  const records = await Promise.all(summaries.map((summary) => getTemplate(caller.db, summary.id)));
  return records.flatMap((record) => (record ? [record.definition] : []));
}
