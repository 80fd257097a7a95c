/**
 * Checks a value against an agent's JSON Schema before it crosses to the agent (input) and after it
 * comes back (output), with @cfworker/json-schema: the whole of draft 2020-12 (`$ref`, `$defs`,
 * `format`, `if`/`then`/`else`, `prefixItems`, `dependentRequired`, …), no `eval`, so a schema can never
 * promise a check Baton silently skips. A schema is compiled once: its patterns are checked for
 * catastrophic backtracking (shared/safe-pattern.ts) and wrapped so that none runs on a string longer
 * than MAX_PATTERN_SUBJECT_LENGTH. The validator's findings become Baton's messages (json-schema-issues.ts):
 * the exact path of each bad value (`input.images.1.svg`) and what was expected.
 */
import { dereference, type Schema, validate } from "@cfworker/json-schema";
import type { JsonSchema } from "#shared/agent.ts";
import type { FieldIssue } from "#shared/errors.ts";
import { issuesOf } from "./json-schema-issues.ts";
import { guardPatterns } from "./json-schema-patterns.ts";

/** Stops a huge invalid value from producing a huge message. */
const MAX_ISSUES = 20;

/** A schema made ready: the guarded copy and the `$ref` lookup the validator resolves through. */
export interface ReadySchema {
  schema: Schema | boolean;
  lookup: Record<string, Schema | boolean>;
}

export type CompiledSchema = ({ ok: true } & ReadySchema) | { ok: false; problem: string };

const compiled = new WeakMap<object, CompiledSchema>();

/**
 * The schema ready to validate, or why it cannot be used (a pattern that does not compile or could
 * backtrack without end). Registration refuses such a schema; a stored one fails the step that needs it.
 */
export function compileSchema(schema: JsonSchema | boolean): CompiledSchema {
  if (typeof schema === "boolean") return { ok: true, schema, lookup: dereference(schema) };
  let result = compiled.get(schema);
  if (!result) {
    result = compile(schema);
    compiled.set(schema, result);
  }
  return result;
}

function compile(schema: JsonSchema): CompiledSchema {
  const problems: string[] = [];
  // A copy: the validator annotates the schema it is given, and the wrapped patterns must not leak out.
  const copy = guardPatterns(structuredClone(schema), "", problems);
  if (problems.length > 0) return { ok: false, problem: problems.slice(0, 3).join("; ") };
  try {
    return { ok: true, schema: copy as Schema, lookup: dereference(copy as Schema) };
  } catch (error) {
    return { ok: false, problem: `the schema cannot be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export function validateJson(schema: JsonSchema, value: unknown, path: string): FieldIssue[] {
  const schemaCheck = compileSchema(schema);
  if (!schemaCheck.ok) return [{ path, message: `cannot be checked: the agent's schema is unusable (${schemaCheck.problem})` }];
  try {
    // Every problem, not only the first: the user fixes them all in one go.
    const result = validate(value, schemaCheck.schema, "2020-12", schemaCheck.lookup, false);
    if (result.valid) return [];
    return issuesOf(result.errors, schemaCheck, value, path).slice(0, MAX_ISSUES);
  } catch (error) {
    // Nesting deep enough to exhaust the stack, or a `$ref` the schema never defines.
    const reason = error instanceof RangeError ? "the value is nested too deeply to check" : error instanceof Error ? error.message.split("\n")[0] : String(error);
    return [{ path, message: `cannot be checked against the agent's schema: ${reason}` }];
  }
}

/** `input.a: is required; input.b: must be a string`, at most `limit` problems, then how many more. */
export function describeIssues(issues: FieldIssue[], limit = 5): string {
  const shown = issues.slice(0, limit).map((issue) => `${issue.path}: ${issue.message}`);
  const more = issues.length > limit ? `; and ${issues.length - limit} more` : "";
  return shown.join("; ") + more;
}
