/**
 * Turns zod's issues with a template into FieldIssues a person can act on: one per field, with the
 * dotted path and a message that says what was expected and what was found (zod's own wording speaks
 * of "Invalid input" and ">=1").
 */
import type { z } from "zod";
import { type FieldIssue, formatPath } from "#shared/errors.ts";
import { describeValue } from "./describe-value.ts";

type ZodIssue = z.core.$ZodIssue;

export function schemaIssues(issues: readonly ZodIssue[], raw: unknown): FieldIssue[] {
  return issues.flatMap((issue) => fieldIssues(issue, raw, []));
}

function fieldIssues(issue: ZodIssue, raw: unknown, prefix: readonly PropertyKey[]): FieldIssue[] {
  const fullPath = [...prefix, ...issue.path];
  const at = (message: string, path: readonly PropertyKey[] = fullPath): FieldIssue[] => [
    { path: formatPath(path), message },
  ];
  const found = valueAt(raw, fullPath);
  switch (issue.code) {
    case "invalid_type":
      if (found === undefined) return at(`is missing; expected ${expectedName(issue.expected)}`);
      return at(`expected ${expectedName(issue.expected)}; got ${describeValue(found)}`);
    case "too_small":
      return at(sizeMessage("at least", issue.origin, Number(issue.minimum), issue.inclusive !== false, found));
    case "too_big":
      return at(sizeMessage("at most", issue.origin, Number(issue.maximum), issue.inclusive !== false, found));
    case "invalid_format":
      // A message written in the schema (it does not start with zod's "Invalid") already says what to do.
      if (!issue.message.startsWith("Invalid")) return at(`${issue.message}; got ${describeValue(found)}`);
      return at(`does not have the expected format ${issue.pattern ?? issue.format}; got ${describeValue(found)}`);
    case "invalid_value":
      return at(`must be one of ${quotedList(issue.values)}; got ${describeValue(found)}`);
    case "unrecognized_keys":
      return issue.keys.flatMap((key) =>
        at(`unknown field "${key}"; remove it or check its spelling`, [...fullPath, key]),
      );
    case "invalid_key": {
      const name = String(fullPath[fullPath.length - 1]);
      return at(`"${name}" is not a valid name: ${issue.issues.map((inner) => inner.message).join("; ")}`);
    }
    case "invalid_union":
      return unionIssues(issue, raw, fullPath, found);
    case "not_multiple_of":
      return at(`must be a multiple of ${issue.divisor}; got ${describeValue(found)}`);
    default:
      return at(issue.message);
  }
}

function unionIssues(
  issue: Extract<ZodIssue, { code: "invalid_union" }>,
  raw: unknown,
  path: readonly PropertyKey[],
  found: unknown,
): FieldIssue[] {
  const at = (message: string): FieldIssue[] => [{ path: formatPath(path), message }];
  if (issue.discriminator !== undefined && "options" in issue && issue.options !== undefined) {
    return at(`must be one of ${quotedList(issue.options)}; got ${describeValue(found)}`);
  }
  // The branches that accepted the value's kind are the ones the author meant; report theirs.
  const meant = issue.errors.filter(
    (branch) => !branch.some((inner) => inner.code === "invalid_type" && inner.path.length === 0),
  );
  const [only] = meant;
  if (meant.length === 1 && only !== undefined) return only.flatMap((inner) => fieldIssues(inner, raw, path));
  const kinds = issue.errors.flatMap((branch) =>
    branch.flatMap((inner) =>
      inner.code === "invalid_type" && inner.path.length === 0 ? [expectedName(inner.expected)] : [],
    ),
  );
  if (kinds.length === issue.errors.length) return at(`expected ${kinds.join(" or ")}; got ${describeValue(found)}`);
  return at(`does not match any of the accepted forms; got ${describeValue(found)}`);
}

function sizeMessage(
  bound: "at least" | "at most",
  origin: string,
  limit: number,
  inclusive: boolean,
  found: unknown,
): string {
  if (origin === "string") {
    if (bound === "at least" && limit === 1) return "must not be empty";
    return `must be ${bound} ${limit} characters long`;
  }
  if (origin === "array" || origin === "set") return `must have ${bound} ${limit} item${limit === 1 ? "" : "s"}`;
  const comparison = inclusive ? bound : bound === "at least" ? "greater than" : "less than";
  return `must be ${comparison} ${limit}; got ${describeValue(found)}`;
}

function quotedList(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(", ");
}

const expectedNames: Record<string, string> = {
  int: "an integer",
  number: "a number",
  string: "a string",
  boolean: "a boolean (true or false)",
  object: "an object",
  array: "an array",
  record: "an object",
};

function expectedName(expected: string): string {
  return expectedNames[expected] ?? expected;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== "object" || value === null || typeof key === "symbol" || !Object.hasOwn(value, key)) {
      return undefined;
    }
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}
