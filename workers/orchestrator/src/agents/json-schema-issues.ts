/**
 * Turns what @cfworker/json-schema reports (a flat list of output units, each composite keyword followed
 * by the units of its subschemas) into Baton's messages: one issue per bad value, at its path
 * (`input.images.1.svg`), saying what was expected. Composite units (`properties`, `items`, `$ref`,
 * `allOf`, `if`…) only lead to the real problems below them and are not reported themselves. For a
 * failed `anyOf`/`oneOf` the closest alternative's problems are reported, as the one most likely meant.
 */
import type { OutputUnit } from "@cfworker/json-schema";
import type { FieldIssue } from "#shared/errors.ts";
import { MAX_PATTERN_SUBJECT_LENGTH } from "#shared/safe-pattern.ts";
import type { ReadySchema } from "./json-schema.ts";
import { unguarded } from "./json-schema-patterns.ts";

type Node = Record<string, unknown>;

const COMPOSITE = new Set([
  "properties", "patternProperties", "additionalProperties", "unevaluatedProperties", "propertyNames", "dependentSchemas",
  "items", "prefixItems", "additionalItems", "unevaluatedItems", "$ref", "$recursiveRef", "allOf", "if",
]);

interface Context {
  validator: ReadySchema;
  value: unknown;
  base: string;
}

export function issuesOf(units: OutputUnit[], validator: ReadySchema, value: unknown, base: string): FieldIssue[] {
  return walk(units, { validator, value, base });
}

function walk(units: OutputUnit[], ctx: Context): FieldIssue[] {
  const issues: FieldIssue[] = [];
  // A wrong type makes the other complaints about the same value noise: `must be a string` is enough.
  const wrongType = new Set(units.filter((u) => u.keyword === "type").map((u) => `${u.instanceLocation} ${u.keywordLocation.slice(0, -"/type".length)}`));
  for (let i = 0; i < units.length; i++) {
    const unit = units[i]!;
    if (unit.keyword === "anyOf" || unit.keyword === "oneOf") {
      const end = groupEnd(units, i);
      issues.push(...alternatives(unit, units.slice(i + 1, end), ctx));
      i = end - 1;
      continue;
    }
    if (COMPOSITE.has(unit.keyword) || (unit.keyword === "dependencies" && !/does not have/.test(unit.error))) continue;
    const parent = unit.keywordLocation.slice(0, unit.keywordLocation.lastIndexOf("/"));
    if (unit.keyword !== "type" && wrongType.has(`${unit.instanceLocation} ${parent}`)) continue;
    issues.push(leaf(unit, units[i - 1], ctx));
  }
  return dedupe(issues);
}

/** The units below the `anyOf`/`oneOf` at `start`: those whose keyword location lies under it. */
function groupEnd(units: OutputUnit[], start: number): number {
  const prefix = `${units[start]!.keywordLocation}/`;
  let end = start + 1;
  // A `false` schema's unit carries the instance's location, not the schema's: it follows its parent.
  while (end < units.length && (units[end]!.keywordLocation.startsWith(prefix) || units[end]!.keyword === "false")) end++;
  return end;
}

function alternatives(unit: OutputUnit, below: OutputUnit[], ctx: Context): FieldIssue[] {
  const path = pathOf(unit.instanceLocation, ctx.base);
  const options = schemaAt(ctx.validator, unit.keywordLocation);
  const count = Array.isArray(options) ? options.length : 0;
  const matches = Number(/\((\d+) matches\)/.exec(unit.error)?.[1] ?? "0");
  // The common shape "exactly one of these fields" gets a message in those terms.
  const fields = Array.isArray(options) ? options.map(onlyRequiredField) : [];
  if (fields.length > 0 && fields.every((f): f is string => f !== null)) {
    const value = valueAt(ctx.value, unit.instanceLocation);
    const has = fields.filter((f) => isObject(value) && value[f] !== undefined).length;
    const got = has === 0 ? "none" : has === fields.length && has === 2 ? "both" : String(has);
    const named = fields.map((f) => `${path}.${f}`).join(unit.keyword === "oneOf" ? " or " : ", ");
    return [{ path, message: `must have ${unit.keyword === "oneOf" ? "exactly" : "at least"} one of ${named} (it has ${got})` }];
  }
  if (unit.keyword === "oneOf" && matches > 1) {
    return [{ path, message: `must match exactly one of ${count} alternatives (it matches ${matches})` }];
  }
  const byBranch = new Map<string, OutputUnit[]>();
  let branch = "";
  for (const u of below) {
    if (u.keyword !== "false") branch = u.keywordLocation.slice(unit.keywordLocation.length + 1).split("/")[0] ?? "";
    byBranch.set(branch, [...(byBranch.get(branch) ?? []), u]);
  }
  const results = [...byBranch.values()].map((units) => walk(units, ctx));
  if (results.length === 0) return [{ path, message: `must match ${unit.keyword === "oneOf" ? "exactly one" : "at least one"} of ${count} alternatives` }];
  return results.reduce((best, found) => (found.length < best.length ? found : best));
}

function leaf(unit: OutputUnit, previous: OutputUnit | undefined, ctx: Context): FieldIssue {
  const path = pathOf(unit.instanceLocation, ctx.base);
  const value = valueAt(ctx.value, unit.instanceLocation);
  const node = (): Node => {
    const found = schemaAt(ctx.validator, unit.keywordLocation.slice(0, unit.keywordLocation.lastIndexOf("/")));
    return isObject(found) ? found : {};
  };
  switch (unit.keyword) {
    case "type": {
      const expected = [...unit.error.matchAll(/"([a-z]+)"/g)].slice(1).map((m) => m[1]!);
      return { path, message: `must be ${expected.map(article).join(" or ")} (got ${describeType(value)})` };
    }
    case "required":
      return { path: `${path}.${/property "(.*)"\.$/.exec(unit.error)?.[1] ?? "?"}`, message: "is required" };
    case "dependentRequired":
    case "dependencies": {
      const [, has, needs] = /has "(.*)" but does not have "(.*)"\./.exec(unit.error) ?? [];
      return { path: `${path}.${needs}`, message: `is required when ${path}.${has} is given` };
    }
    case "enum":
      return { path, message: `must be one of ${asArray(node().enum).map((o) => JSON.stringify(o)).join(", ")}` };
    case "const":
      return { path, message: `must be ${JSON.stringify(node().const)}` };
    case "minimum":
      return { path, message: `must be at least ${node().minimum} (got ${String(value)})` };
    case "maximum":
      return { path, message: `must be at most ${node().maximum} (got ${String(value)})` };
    case "exclusiveMinimum":
      return { path, message: `must be greater than ${node().exclusiveMinimum} (got ${String(value)})` };
    case "exclusiveMaximum":
      return { path, message: `must be less than ${node().exclusiveMaximum} (got ${String(value)})` };
    case "multipleOf":
      return { path, message: `must be a multiple of ${node().multipleOf}` };
    case "minLength": {
      const min = Number(node().minLength);
      return { path, message: min === 1 ? "must not be empty" : `must be at least ${min} characters long (got ${length(value)})` };
    }
    case "maxLength":
      return { path, message: `must be at most ${node().maxLength} characters long (got ${length(value)})` };
    case "pattern": {
      const source = unguarded(String(node().pattern));
      if (typeof value === "string" && value.length > MAX_PATTERN_SUBJECT_LENGTH) {
        return { path, message: `must be at most ${MAX_PATTERN_SUBJECT_LENGTH} characters long to be checked against the pattern ${source} (got ${value.length})` };
      }
      return { path, message: `must match the pattern ${source}` };
    }
    case "format":
      return { path, message: `must be a valid ${/format "(.*)"/.exec(unit.error)?.[1] ?? "value"} (JSON Schema format)` };
    case "minItems": {
      const min = Number(node().minItems);
      return { path, message: `must have at least ${min} item${min === 1 ? "" : "s"} (got ${Array.isArray(value) ? value.length : 0})` };
    }
    case "maxItems":
      return { path, message: `must have at most ${node().maxItems} items (got ${Array.isArray(value) ? value.length : 0})` };
    case "uniqueItems":
      return { path, message: `must not repeat items (${unit.error.replace(/^Duplicate items at indexes (\d+) and (\d+)\.$/, "items $1 and $2 are equal")})` };
    case "not":
      return { path, message: "must not match the schema under `not`" };
    case "false":
      if (previous?.keyword === "additionalProperties" || previous?.keyword === "unevaluatedProperties") {
        const parent = schemaAt(ctx.validator, previous.keywordLocation.slice(0, previous.keywordLocation.lastIndexOf("/")));
        const known = isObject(parent) && isObject(parent.properties) ? Object.keys(parent.properties) : [];
        return { path, message: known.length > 0 ? `is not an accepted field (accepted: ${known.join(", ")})` : "is not an accepted field" };
      }
      return { path, message: "is not allowed here" };
    default:
      return { path, message: unit.error.replace(/^Instance /, "").replace(/\.$/, "") };
  }
}

/** `#/images/1/svg` under `input` → `input.images.1.svg`. */
function pathOf(pointer: string, base: string): string {
  const parts = pointer.replace(/^#\/?/, "").split("/").filter((p) => p !== "").map(decodeSegment);
  return [base, ...parts].join(".");
}

function decodeSegment(segment: string): string {
  return decodeURIComponent(segment).replace(/~1/g, "/").replace(/~0/g, "~");
}

function valueAt(value: unknown, pointer: string): unknown {
  let current = value;
  for (const part of pointer.replace(/^#\/?/, "").split("/").filter((p) => p !== "").map(decodeSegment)) {
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isObject(current) && Object.hasOwn(current, part)) current = current[part];
    else return undefined;
  }
  return current;
}

/** The schema node at a keyword location, following `$ref` through the validator's lookup as it did. */
function schemaAt(validator: ReadySchema, location: string): unknown {
  let node: unknown = validator.schema;
  for (const part of location.replace(/^#\/?/, "").split("/").filter((p) => p !== "").map(decodeSegment)) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    if (part === "$ref" && isObject(node)) {
      const target = (node as { __absolute_ref__?: string }).__absolute_ref__ ?? String(node.$ref);
      node = validator.lookup[target];
    } else {
      node = (node as Record<string, unknown>)[part];
    }
  }
  return node;
}

/** `{ required: ["book"] }` → "book"; anything else → null. */
function onlyRequiredField(option: unknown): string | null {
  if (!isObject(option)) return null;
  const { required, ...rest } = option;
  if (Object.keys(rest).length > 0 || !Array.isArray(required) || required.length !== 1) return null;
  return typeof required[0] === "string" ? required[0] : null;
}

function dedupe(issues: FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\n${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function length(value: unknown): number {
  return typeof value === "string" ? [...value].length : 0;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  if (typeof value === "string") return "a string";
  if (typeof value === "boolean") return `${value}`;
  return `an ${typeof value}`;
}

function article(type: string): string {
  if (type === "null") return "null";
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function isObject(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
