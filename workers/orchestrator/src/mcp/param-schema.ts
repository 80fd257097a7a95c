/**
 * A template's params as JSON Schema: the input schema of the template's own MCP tool, and what
 * `list_pipelines` shows. Only what the param specs say; checking still happens at the start.
 */
import type { ParamSpec } from "#shared/template.ts";
import type { JsonSchemaObject } from "./tool.ts";

export function paramsJsonSchema(params: Readonly<Record<string, ParamSpec>>): JsonSchemaObject {
  const properties: Record<string, Record<string, unknown>> = {};
  const required: string[] = [];
  for (const [name, spec] of Object.entries(params)) {
    const { required: isRequired, ...rest } = spec;
    properties[name] = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
    if (isRequired && spec.default === undefined) required.push(name);
  }
  return {
    type: "object",
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}
