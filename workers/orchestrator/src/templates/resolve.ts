/**
 * Resolving `{{…}}` references (syntax in `references.ts`) against the values of one execution: a pure
 * lookup through JSON objects and arrays.
 *
 * - A string that is exactly one reference becomes the referenced value with its own type
 *   (`"{{params.pages}}"` → 30, an object stays an object).
 * - Otherwise each reference is written into the text: strings as they are, anything else as JSON.
 * - Resolution is one pass: text that comes out of params or step outputs is never read for references
 *   again, so a caller's param value can never reach into other steps.
 * - A reference that resolves to nothing throws `UnresolvedReferenceError`; `null` is a value.
 */
import { parseString, type JsonPath, type Reference, type StringPart } from "./references.ts";

/** What references can see while one step (or one item of a forEach step) is being prepared. */
export interface ReferenceScope {
  params: Readonly<Record<string, unknown>>;
  /**
   * Outputs of the steps that have completed, and errors of those that failed (an execution goes on past
   * one with `onError: "continue"`); a skipped or unfinished step is absent.
   */
  steps: Readonly<Record<string, { output?: unknown; error?: { code: string; message: string } }>>;
  /** Present only while preparing one item of a forEach step. */
  forEach?: { item: unknown; index: number };
  execution: { id: string; templateId: string };
  /** Present only while an inbound trigger maps an event to params: its JSON body and its headers. */
  event?: { payload: unknown; headers: Readonly<Record<string, string>> };
}

export type Lookup = { found: true; value: unknown } | { found: false; reason: string };

export class UnresolvedReferenceError extends Error {
  override readonly name = "UnresolvedReferenceError";
  constructor(
    /** The reference as written, e.g. `{{steps.analyze.output.brief}}`. */
    readonly source: string,
    /** Where the string holding it sits in the value being resolved. */
    readonly path: JsonPath,
    reason: string,
  ) {
    super(`${source}${path.length > 0 ? ` (at ${path.join(".")})` : ""} resolves to nothing: ${reason}`);
  }
}

/** Resolves every reference in a JSON value, deeply; the value itself is never changed. */
export function resolveValue(value: unknown, scope: ReferenceScope, path: JsonPath = []): unknown {
  if (typeof value === "string") return resolveString(value, scope, path);
  if (Array.isArray(value)) return value.map((item, index) => resolveValue(item, scope, [...path, index]));
  if (typeof value === "object" && value !== null) {
    // fromEntries defines own properties, so a "__proto__" key stays a plain key.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolveValue(item, scope, [...path, key])]),
    );
  }
  return value;
}

function resolveString(text: string, scope: ReferenceScope, path: JsonPath): unknown {
  const parts = parseString(text);
  const only = parts[0];
  if (parts.length === 1 && only?.kind === "reference") return resolvePart(only, scope, path);
  return parts.map((part) => (part.kind === "text" ? part.text : asText(resolvePart(part, scope, path)))).join("");
}

function resolvePart(part: Exclude<StringPart, { kind: "text" }>, scope: ReferenceScope, path: JsonPath): unknown {
  if (part.kind === "malformed") throw new UnresolvedReferenceError(part.source, path, part.problem);
  const lookup = lookupReference(part.reference, scope);
  if (!lookup.found) throw new UnresolvedReferenceError(part.source, path, lookup.reason);
  return lookup.value;
}

function asText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Finds the value one reference points at, or says why there is none. */
export function lookupReference(reference: Reference, scope: ReferenceScope): Lookup {
  switch (reference.scope) {
    case "params":
      if (!Object.hasOwn(scope.params, reference.name)) {
        return { found: false, reason: `no value was given for param "${reference.name}" and it has no default` };
      }
      return walk(scope.params[reference.name], reference.path, `params.${reference.name}`);
    case "steps": {
      const step = Object.hasOwn(scope.steps, reference.stepId) ? scope.steps[reference.stepId] : undefined;
      if (reference.field === "error") {
        if (step?.error === undefined) return { found: false, reason: `step "${reference.stepId}" has no error (it has not failed)` };
        return walk(step.error, reference.path, `steps.${reference.stepId}.error`);
      }
      if (step === undefined || !("output" in step)) {
        const reason = `step "${reference.stepId}" has no output (it was skipped or has not completed)`;
        return { found: false, reason };
      }
      return walk(step.output, reference.path, `steps.${reference.stepId}.output`);
    }
    case "item":
      if (scope.forEach === undefined) return { found: false, reason: "item exists only inside a forEach step" };
      return walk(scope.forEach.item, reference.path, "item");
    case "index":
      if (scope.forEach === undefined) return { found: false, reason: "index exists only inside a forEach step" };
      return { found: true, value: scope.forEach.index };
    case "execution":
      return { found: true, value: scope.execution[reference.field] };
    case "payload":
      if (scope.event === undefined) return { found: false, reason: "payload exists only in an inbound trigger's mapping" };
      return walk(scope.event.payload, reference.path, "payload");
    case "headers": {
      if (scope.event === undefined) return { found: false, reason: "headers exist only in an inbound trigger's mapping" };
      const value = Object.hasOwn(scope.event.headers, reference.name) ? scope.event.headers[reference.name] : undefined;
      return value === undefined ? { found: false, reason: `the event has no header "${reference.name}"` } : { found: true, value };
    }
  }
}

function walk(start: unknown, path: readonly string[], startName: string): Lookup {
  let value = start;
  let name = startName;
  for (const segment of path) {
    const next = child(value, segment);
    if (next === undefined) return { found: false, reason: `${name} ${describeMiss(value, segment)}` };
    value = next;
    name = `${name}.${segment}`;
  }
  return value === undefined ? { found: false, reason: `${name} is undefined` } : { found: true, value };
}

const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

function child(value: unknown, segment: string): unknown {
  if (Array.isArray(value)) return ARRAY_INDEX.test(segment) ? value[Number(segment)] : undefined;
  // Own properties only: a path like `constructor` must not reach into the prototype.
  if (typeof value === "object" && value !== null && Object.hasOwn(value, segment)) {
    return (value as Record<string, unknown>)[segment];
  }
  return undefined;
}

function describeMiss(value: unknown, segment: string): string {
  if (Array.isArray(value)) {
    return ARRAY_INDEX.test(segment)
      ? `has ${value.length} items, so there is no index ${segment}`
      : `is an array; "${segment}" is not an index`;
  }
  if (typeof value === "object" && value !== null) return `has no field "${segment}"`;
  return `is ${value === null ? "null" : `a ${typeof value}`}, so it has no field "${segment}"`;
}
