/**
 * Evaluates a step's `when` condition: a lookup and a comparison, never an expression.
 *
 * - `"{{ref}}"` holds when the referenced value is truthy.
 * - `{ value: "{{ref}}", equals?, notEquals?, in? }` holds when every comparison given holds (deep
 *   equality of JSON values; `1` and `"1"` differ); with none given it is the truthiness of `value`.
 * - `value` (and the string form) must be exactly one reference, and a reference that finds nothing
 *   counts as absent rather than failing the step: `when: "{{steps.scan.output.flagged}}"` reads as "only
 *   if the scan flagged something". Absent is falsy, equals nothing, and is in no list.
 * - `equals`, `notEquals` and `in` may themselves use references; those must resolve.
 */
import type { Condition } from "#shared/template.ts";
import { soleReference } from "./references.ts";
import { lookupReference, resolveValue, type ReferenceScope } from "./resolve.ts";

export function evaluateCondition(condition: Condition, scope: ReferenceScope): boolean {
  if (typeof condition === "string") return isTruthy(conditionValue(condition, scope));
  const value = conditionValue(condition.value, scope);
  const { equals, notEquals, in: options } = condition;
  if (equals === undefined && notEquals === undefined && options === undefined) return isTruthy(value);
  if (equals !== undefined && !isJsonEqual(value, resolveValue(equals, scope, ["equals"]))) return false;
  if (notEquals !== undefined && isJsonEqual(value, resolveValue(notEquals, scope, ["notEquals"]))) return false;
  if (options !== undefined) {
    const resolved = resolveValue(options, scope, ["in"]);
    if (!Array.isArray(resolved) || !resolved.some((option) => isJsonEqual(value, option))) return false;
  }
  return true;
}

/** The value a condition reads, or undefined when the reference finds nothing. */
function conditionValue(text: string, scope: ReferenceScope): unknown {
  const reference = soleReference(text);
  if (reference === null) {
    throw new Error(`condition "${text}" must be exactly one {{reference}}, e.g. {{steps.review.output.approved}}`);
  }
  const lookup = lookupReference(reference, scope);
  return lookup.found ? lookup.value : undefined;
}

/** False for absent, null, false, 0, NaN, "", [] and {}; true for anything else (also the text "false"). */
export function isTruthy(value: unknown): boolean {
  // Keys of an array are its indexes, so this covers [] as well as {}.
  if (typeof value === "object" && value !== null) return Object.keys(value).length > 0;
  return Boolean(value);
}

/** Deep equality of JSON values: same type, same array order, same keys whatever their order. */
export function isJsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => isJsonEqual(item, b[i]));
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  const aRecord = a as Record<string, unknown>;
  return (
    aKeys.length === Object.keys(b).length &&
    aKeys.every((key) => Object.hasOwn(b, key) && isJsonEqual(aRecord[key], bRecord[key]))
  );
}
