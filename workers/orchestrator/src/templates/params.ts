/**
 * Checks the params given to an execution against the template's param specs and fills in defaults.
 * `pattern` is a JavaScript regular expression (Unicode mode), unanchored as in JSON Schema: write
 * `^…$` to match the whole value. Lengths count Unicode code points. Patterns are run only through
 * shared/safe-pattern.ts: never one that could backtrack without end, never on an over-long string.
 */
import type { FieldIssue } from "#shared/errors.ts";
import type { ParamSpec, ParamType } from "#shared/template.ts";
import { checkPattern, MAX_PATTERN_SUBJECT_LENGTH, testPattern } from "#shared/safe-pattern.ts";
import { describeValue } from "./describe-value.ts";

export type ParamValues = Record<string, unknown>;
export type ParamsResult = { ok: true; params: ParamValues } | { ok: false; issues: FieldIssue[] };

/**
 * The params an execution runs with: `given` checked and completed with defaults. Issues are named
 * under `basePath` (`params.pages`; schedules pass `schedule.params`).
 */
export function resolveParams(
  specs: Readonly<Record<string, ParamSpec>>,
  given: unknown,
  basePath = "params",
): ParamsResult {
  if (given !== undefined && !isPlainObject(given)) {
    const message = `must be an object of param values; got ${describeValue(given)}`;
    return { ok: false, issues: [{ path: basePath, message }] };
  }
  const values = given ?? {};
  const issues: FieldIssue[] = [];
  const params: ParamValues = {};
  const names = Object.keys(specs);
  for (const name of Object.keys(values)) {
    if (Object.hasOwn(specs, name)) continue;
    const known = names.length > 0 ? `this template takes ${names.join(", ")}` : "this template takes no params";
    issues.push({ path: `${basePath}.${name}`, message: `unknown param "${name}"; ${known}` });
  }
  for (const [name, spec] of Object.entries(specs)) {
    const path = `${basePath}.${name}`;
    if (Object.hasOwn(values, name)) {
      const value = values[name];
      const problems = checkValue(spec, value);
      issues.push(...problems.map((message) => ({ path, message })));
      if (problems.length === 0) params[name] = value;
    } else if (spec.default !== undefined) {
      // A copy, so that no execution can change the template's default for the next one.
      params[name] = structuredClone(spec.default);
    } else if (spec.required) {
      issues.push({ path, message: `required param "${name}" is missing; give ${typeName[spec.type]}` });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, params };
}

const typeName: Record<ParamType, string> = {
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "a boolean",
  array: "an array",
  object: "an object",
};

/** What is wrong with one value under one spec; empty when it fits. A wrong type hides the rest. */
export function checkValue(spec: ParamSpec, value: unknown): string[] {
  if (!hasType(spec.type, value)) return [`expected ${typeName[spec.type]}; got ${describeValue(value)}`];
  const problems: string[] = [];
  if (spec.enum !== undefined && !spec.enum.some((option) => option === value)) {
    const options = spec.enum.map((option) => JSON.stringify(option)).join(", ");
    problems.push(`must be one of ${options}; got ${describeValue(value)}`);
  }
  if (typeof value === "number") {
    const { minimum, maximum } = spec;
    if (minimum !== undefined && value < minimum) problems.push(`must be at least ${minimum}; got ${value}`);
    if (maximum !== undefined && value > maximum) problems.push(`must be at most ${maximum}; got ${value}`);
  }
  if (typeof value === "string") {
    const length = [...value].length;
    if (spec.minLength !== undefined && length < spec.minLength) {
      problems.push(`must be at least ${spec.minLength} characters long; got ${length}`);
    }
    if (spec.maxLength !== undefined && length > spec.maxLength) {
      problems.push(`must be at most ${spec.maxLength} characters long; got ${length}`);
    }
    if (spec.pattern !== undefined) {
      const pattern = checkPattern(spec.pattern);
      const outcome = pattern.ok ? testPattern(pattern.regex, value) : null;
      if (!pattern.ok) {
        problems.push(`cannot be checked: the pattern ${spec.pattern} ${pattern.problem}`);
      } else if (outcome === "too-long") {
        problems.push(`must be at most ${MAX_PATTERN_SUBJECT_LENGTH} characters long to be checked against the pattern ${spec.pattern}; got ${value.length}`);
      } else if (outcome === "no-match") {
        problems.push(`must match the pattern ${spec.pattern}; got ${describeValue(value)}`);
      }
    }
  }
  return problems;
}

export function hasType(type: ParamType, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isSafeInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return isPlainObject(value);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
