/**
 * The run form of an agent, generated from its input JSON Schema: each property becomes a field with the
 * same controls and checks as a pipeline's start form (lib/params-form.ts), nested objects become groups
 * of fields, and whatever a form cannot show well (unions, free-form values, deep nesting) is a JSON
 * field. A schema with no properties at all gets no fields: the form falls back to raw JSON.
 */
import type { ParamSpec, ParamType } from "../../../shared/template.ts";
import { initialText, readParam } from "./params-form.ts";

export type SchemaField =
  | { kind: "value"; key: string; name: string; spec: ParamSpec; anyJson: boolean }
  | { kind: "group"; key: string; name: string; description?: string; required: boolean; fields: SchemaField[] };

type Schema = Record<string, unknown>;
const MAX_DEPTH = 3;
const isSchema = (value: unknown): value is Schema => typeof value === "object" && value !== null && !Array.isArray(value);

/** The fields of an object schema; null when it has no properties to build a form from. */
export function schemaFields(schema: unknown, prefix = "", depth = 0): SchemaField[] | null {
  if (!isSchema(schema) || !isSchema(schema.properties)) return null;
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === "string") : []);
  return Object.entries(schema.properties).map(([name, property]) => {
    const key = prefix ? `${prefix}.${name}` : name;
    const nested = depth < MAX_DEPTH && isSchema(property) && typeOf(property) === "object" ? schemaFields(property, key, depth + 1) : null;
    if (nested) {
      const description = isSchema(property) && typeof property.description === "string" ? property.description : undefined;
      return { kind: "group", key, name, required: required.has(name), fields: nested, ...(description ? { description } : {}) };
    }
    return valueField(key, name, isSchema(property) ? property : {}, required.has(name));
  });
}

function typeOf(schema: Schema): string | undefined {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (typeof type === "string") return type;
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === "string")) return "string";
  return undefined;
}

function valueField(key: string, name: string, schema: Schema, required: boolean): SchemaField {
  const type = typeOf(schema);
  const known: ParamType[] = ["string", "integer", "number", "boolean", "array", "object"];
  const anyJson = type === undefined || !known.includes(type as ParamType);
  const spec: ParamSpec = { type: anyJson ? "object" : (type as ParamType), required };
  if (typeof schema.description === "string") spec.description = schema.description;
  if (schema.default !== undefined) spec.default = schema.default;
  if (Array.isArray(schema.enum) && schema.enum.every((v) => ["string", "number", "boolean"].includes(typeof v))) spec.enum = schema.enum as ParamSpec["enum"];
  for (const bound of ["minimum", "maximum", "minLength", "maxLength"] as const) if (typeof schema[bound] === "number") spec[bound] = schema[bound];
  if (typeof schema.pattern === "string") spec.pattern = schema.pattern;
  return { kind: "value", key, name, spec, anyJson };
}

export function valueFields(fields: readonly SchemaField[]): Extract<SchemaField, { kind: "value" }>[] {
  return fields.flatMap((field) => (field.kind === "value" ? [field] : valueFields(field.fields)));
}

/** What each field shows first (its default), by key. */
export function initialTexts(fields: readonly SchemaField[]): Record<string, string> {
  return Object.fromEntries(valueFields(fields).map((field) => [field.key, field.anyJson && field.spec.default === undefined ? "" : initialText(field.spec)]));
}

export type InputReading = { ok: true; value: Record<string, unknown> } | { ok: false; errors: Map<string, string> };

/**
 * The input the form stands for, or each field's problem. A group nothing was filled in is left out
 * (unless the schema requires it), and then its own required fields are not asked for either.
 */
export function readInput(fields: readonly SchemaField[], texts: Record<string, string>): InputReading {
  const { value, errors } = readGroup(fields, texts);
  return errors.size > 0 ? { ok: false, errors } : { ok: true, value };
}

function readGroup(list: readonly SchemaField[], texts: Record<string, string>): { value: Record<string, unknown>; errors: Map<string, string> } {
  const value: Record<string, unknown> = {};
  const errors = new Map<string, string>();
  for (const field of list) {
    if (field.kind === "group") {
      const inner = readGroup(field.fields, texts);
      const filled = Object.keys(inner.value).length > 0;
      if (filled || field.required) {
        value[field.name] = inner.value;
        for (const [key, message] of inner.errors) errors.set(key, message);
      } else {
        for (const [key, message] of inner.errors) if (message !== REQUIRED) errors.set(key, message);
      }
      continue;
    }
    const text = texts[field.key] ?? "";
    if (field.anyJson) {
      if (text.trim() !== "") value[field.name] = parseLoosely(text);
      else if (field.spec.required) errors.set(field.key, REQUIRED);
      continue;
    }
    // An unticked box with no default says nothing: sending `false` could fill a group the user left alone.
    if (field.spec.type === "boolean" && field.spec.default === undefined && text === "false") continue;
    const reading = readParam(field.spec, text);
    if (!reading.ok) errors.set(field.key, reading.message);
    else if (reading.present) value[field.name] = reading.value;
  }
  return { value, errors };
}

const REQUIRED = "Required.";

/** A free-form field: JSON when it reads as JSON, otherwise the text itself. */
function parseLoosely(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
