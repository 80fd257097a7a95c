/**
 * Checks a value against an agent's JSON Schema before it crosses to the agent (input) and after it
 * comes back (output). It covers the subset agents publish (what `z.toJSONSchema` writes): `type` (one or
 * a list, so `["string", "null"]` is nullable), `enum`, `const`, number bounds, string lengths and
 * `pattern`, `properties` / `required` / `additionalProperties`, `items` and array lengths, `oneOf`,
 * `anyOf`, `allOf`. Keywords outside the subset (`$ref`, `format`, …) are ignored: an unknown keyword
 * never refuses a value the agent itself would accept.
 *
 * Every problem names the exact path of the bad value (`input.images.1.svg`), so the user knows what to fix.
 */
import type { JsonSchema } from "#shared/agent.ts";
import type { FieldIssue } from "#shared/errors.ts";

/** Stops a huge invalid value from producing a huge message. */
const MAX_ISSUES = 20;

export function validateJson(schema: JsonSchema, value: unknown, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  check(schema, value, path, issues);
  return issues.slice(0, MAX_ISSUES);
}

/** `input.a: is required; input.b: must be a string`, at most `limit` problems, then how many more. */
export function describeIssues(issues: FieldIssue[], limit = 5): string {
  const shown = issues.slice(0, limit).map((issue) => `${issue.path}: ${issue.message}`);
  const more = issues.length > limit ? `; and ${issues.length - limit} more` : "";
  return shown.join("; ") + more;
}

function check(schema: unknown, value: unknown, path: string, issues: FieldIssue[]): void {
  // `true` and `{}` accept anything; `false` accepts nothing.
  if (schema === true || schema === undefined) return;
  if (schema === false) {
    issues.push({ path, message: "is not allowed here" });
    return;
  }
  if (!isObject(schema)) return;
  const s = schema as Record<string, unknown>;

  if (s.type !== undefined) {
    const types = (Array.isArray(s.type) ? s.type : [s.type]).filter((t): t is string => typeof t === "string");
    if (s.nullable === true) types.push("null");
    if (types.length > 0 && !types.some((t) => hasType(value, t))) {
      issues.push({ path, message: `must be ${types.map(article).join(" or ")} (got ${describeType(value)})` });
      // The remaining keywords describe a value of the right type; their complaints would only add noise.
      return;
    }
  }
  if (Array.isArray(s.enum) && !s.enum.some((option) => deepEqual(option, value))) {
    issues.push({ path, message: `must be one of ${s.enum.map((o) => JSON.stringify(o)).join(", ")}` });
  }
  if ("const" in s && !deepEqual(s.const, value)) {
    issues.push({ path, message: `must be ${JSON.stringify(s.const)}` });
  }
  if (typeof value === "number") checkNumber(s, value, path, issues);
  if (typeof value === "string") checkString(s, value, path, issues);
  if (Array.isArray(value)) checkArray(s, value, path, issues);
  else if (isObject(value)) checkObject(s, value, path, issues);
  if (Array.isArray(s.allOf)) for (const part of s.allOf) check(part, value, path, issues);
  if (Array.isArray(s.anyOf)) checkAlternatives(s.anyOf, value, path, issues, "any");
  if (Array.isArray(s.oneOf)) checkAlternatives(s.oneOf, value, path, issues, "one");
}

function checkNumber(s: Record<string, unknown>, value: number, path: string, issues: FieldIssue[]): void {
  if (typeof s.minimum === "number" && value < s.minimum) issues.push({ path, message: `must be at least ${s.minimum} (got ${value})` });
  if (typeof s.maximum === "number" && value > s.maximum) issues.push({ path, message: `must be at most ${s.maximum} (got ${value})` });
  if (typeof s.exclusiveMinimum === "number" && value <= s.exclusiveMinimum) {
    issues.push({ path, message: `must be greater than ${s.exclusiveMinimum} (got ${value})` });
  }
  if (typeof s.exclusiveMaximum === "number" && value >= s.exclusiveMaximum) {
    issues.push({ path, message: `must be less than ${s.exclusiveMaximum} (got ${value})` });
  }
  if (typeof s.multipleOf === "number" && s.multipleOf > 0 && !Number.isInteger(value / s.multipleOf)) {
    issues.push({ path, message: `must be a multiple of ${s.multipleOf}` });
  }
}

function checkString(s: Record<string, unknown>, value: string, path: string, issues: FieldIssue[]): void {
  // JSON Schema counts characters (code points), not UTF-16 units.
  const length = [...value].length;
  if (typeof s.minLength === "number" && length < s.minLength) {
    issues.push({ path, message: s.minLength === 1 ? "must not be empty" : `must be at least ${s.minLength} characters long (got ${length})` });
  }
  if (typeof s.maxLength === "number" && length > s.maxLength) {
    issues.push({ path, message: `must be at most ${s.maxLength} characters long (got ${length})` });
  }
  if (typeof s.pattern === "string") {
    const pattern = compiled(s.pattern);
    if (pattern && !pattern.test(value)) issues.push({ path, message: `must match the pattern ${s.pattern}` });
  }
}

function checkArray(s: Record<string, unknown>, value: unknown[], path: string, issues: FieldIssue[]): void {
  if (typeof s.minItems === "number" && value.length < s.minItems) {
    issues.push({ path, message: `must have at least ${s.minItems} item${s.minItems === 1 ? "" : "s"} (got ${value.length})` });
  }
  if (typeof s.maxItems === "number" && value.length > s.maxItems) {
    issues.push({ path, message: `must have at most ${s.maxItems} items (got ${value.length})` });
  }
  if (s.items !== undefined && !Array.isArray(s.items)) {
    for (const [index, item] of value.entries()) {
      check(s.items, item, `${path}.${index}`, issues);
      if (issues.length >= MAX_ISSUES) return;
    }
  }
}

function checkObject(s: Record<string, unknown>, value: Record<string, unknown>, path: string, issues: FieldIssue[]): void {
  const properties = isObject(s.properties) ? (s.properties as Record<string, unknown>) : {};
  if (Array.isArray(s.required)) {
    for (const name of s.required) {
      if (typeof name === "string" && value[name] === undefined) issues.push({ path: `${path}.${name}`, message: "is required" });
    }
  }
  for (const [name, field] of Object.entries(value)) {
    if (field === undefined) continue;
    if (Object.hasOwn(properties, name)) {
      check(properties[name], field, `${path}.${name}`, issues);
    } else if (s.additionalProperties === false) {
      const known = Object.keys(properties);
      issues.push({
        path: `${path}.${name}`,
        message: known.length > 0 ? `is not an accepted field (accepted: ${known.join(", ")})` : "is not an accepted field",
      });
    } else if (isObject(s.additionalProperties)) {
      check(s.additionalProperties, field, `${path}.${name}`, issues);
    }
    if (issues.length >= MAX_ISSUES) return;
  }
}

function checkAlternatives(options: unknown[], value: unknown, path: string, issues: FieldIssue[], mode: "one" | "any"): void {
  const results = options.map((option) => {
    const found: FieldIssue[] = [];
    check(option, value, path, found);
    return found;
  });
  const matching = results.filter((found) => found.length === 0).length;
  if (mode === "any" ? matching >= 1 : matching === 1) return;

  // The common shape "exactly one of these fields" gets a message in those terms.
  const fields = options.map(onlyRequiredField);
  if (fields.every((f): f is string => f !== null)) {
    const named = fields.map((f) => `${path}.${f}`).join(mode === "one" ? " or " : ", ");
    const has = fields.filter((f) => isObject(value) && (value as Record<string, unknown>)[f] !== undefined).length;
    const got = has === 0 ? "none" : has === fields.length && has === 2 ? "both" : String(has);
    issues.push({ path, message: `must have ${mode === "one" ? "exactly" : "at least"} one of ${named} (it has ${got})` });
    return;
  }
  if (matching > 1) {
    issues.push({ path, message: `must match exactly one of ${options.length} alternatives (it matches ${matching})` });
    return;
  }
  // None matches: the alternative that comes closest is most likely the one meant.
  const closest = results.reduce((best, found) => (found.length < best.length ? found : best));
  issues.push(...closest);
}

/** `{ required: ["book"] }` → "book"; anything else → null. */
function onlyRequiredField(option: unknown): string | null {
  if (!isObject(option)) return null;
  const { required, ...rest } = option as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || !Array.isArray(required) || required.length !== 1) return null;
  return typeof required[0] === "string" ? required[0] : null;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    default:
      // An unknown type name says nothing we can check.
      return true;
  }
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

const patterns = new Map<string, RegExp | null>();

/** Compiled once per pattern; a pattern JavaScript cannot compile is ignored rather than refusing every value. */
function compiled(source: string): RegExp | null {
  let pattern = patterns.get(source);
  if (pattern === undefined) {
    try {
      pattern = new RegExp(source, "u");
    } catch {
      pattern = null;
    }
    patterns.set(source, pattern);
  }
  return pattern;
}
