/**
 * Templates that opt in with `"mcp": { "tool": true }` become tools of their own: `run_<template id>`,
 * described by the template's description, its params as the input schema. Calling one is
 * `start_pipeline` for that template, under the same guardrails.
 */
import type { Template } from "#shared/template.ts";
import { startForAssistant } from "./access.ts";
import { paramsJsonSchema } from "./param-schema.ts";
import type { McpTool } from "./tool.ts";

export const TEMPLATE_TOOL_PREFIX = "run_";

export function templateTools(templates: readonly Template[]): McpTool[] {
  return templates
    .filter((template) => template.mcp?.tool === true)
    .map((template) => ({
      name: `${TEMPLATE_TOOL_PREFIX}${template.id}`,
      description:
        `${template.description ?? template.name}\n\n` +
        `Starts the "${template.id}" pipeline with these params and returns its execution id; follow it with wait_for_execution.`,
      inputSchema: paramsJsonSchema(template.params),
      call: (input, { caller, mcp }) => startForAssistant(caller, mcp, { template: template.id, params: input }),
    }));
}
