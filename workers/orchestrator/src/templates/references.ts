/**
 * The syntax of `{{…}}` references in templates (docs/architecture.md "Template"). A reference is a lookup path,
 * never code: `params.<name>…`, `steps.<id>.output…`, `steps.<id>.error…`, `item…`, `index`,
 * `execution.id`, `execution.templateId`, and, in an inbound trigger's mapping only, `payload…` and
 * `headers.<name>`. Looking references up in real values is `resolve.ts`.
 *
 * - `{{` opens a reference and the next `}}` closes it; whitespace inside the braces is ignored.
 * - Path segments are separated by `.`; a segment of digits indexes an array (`.0`).
 * - `\{{` is a literal `{{` (the backslash is dropped), for text meant for another template engine;
 *   in JSON that is written `"\\{{"`.
 * - A `{{` that is never closed is an error, not literal text: a forgotten `}}` would otherwise reach an
 *   agent silently as `{{params.x`.
 * - Only string values are read; object keys are always literal.
 */

/** Where a value sits inside a larger JSON value, as zod reports paths: keys and array indexes. */
export type JsonPath = ReadonlyArray<string | number>;

export type Reference =
  | { scope: "params"; name: string; path: readonly string[] }
  /** `field: "error"` reads a failed step's error (`steps.<id>.error`); absent, its output. */
  | { scope: "steps"; stepId: string; path: readonly string[]; field?: "error" }
  | { scope: "item"; path: readonly string[] }
  | { scope: "index" }
  | { scope: "execution"; field: ExecutionField }
  | { scope: "payload"; path: readonly string[] }
  | { scope: "headers"; name: string };

export type ExecutionField = "id" | "templateId";
const executionFields: readonly ExecutionField[] = ["id", "templateId"];

/** A piece of a string: plain text, a reference, or something between braces that is not one. */
export type StringPart =
  | { kind: "text"; text: string }
  | { kind: "reference"; source: string; reference: Reference }
  | { kind: "malformed"; source: string; problem: string };

/** A reference (or a broken one) found in a JSON value; `path` leads to the string that holds it. */
export type FoundReference =
  | { path: JsonPath; source: string; reference: Reference; problem?: undefined }
  | { path: JsonPath; source: string; problem: string; reference?: undefined };

const OPEN = "{{";
const CLOSE = "}}";
const ESCAPED_OPEN = "\\{{";
const SEGMENT = /^[^\s.{}]+$/;
const SCOPES_HINT = "start it with params., steps., item, index or execution.";

/** Splits a string into text and references, in order. Adjacent text is merged. */
export function parseString(text: string): StringPart[] {
  const parts: StringPart[] = [];
  let literal = "";
  let at = 0;
  while (at < text.length) {
    if (text.startsWith(ESCAPED_OPEN, at)) {
      literal += OPEN;
      at += ESCAPED_OPEN.length;
      continue;
    }
    if (!text.startsWith(OPEN, at)) {
      literal += text[at];
      at += 1;
      continue;
    }
    if (literal !== "") parts.push({ kind: "text", text: literal });
    literal = "";
    const end = text.indexOf(CLOSE, at + OPEN.length);
    if (end === -1) {
      const source = text.slice(at);
      parts.push({
        kind: "malformed",
        source,
        problem: `"${source}" opens {{ but never closes it with }}; close it, or write \\{{ for literal braces`,
      });
      return parts;
    }
    const source = text.slice(at, end + CLOSE.length);
    parts.push(parseReferenceSource(source, text.slice(at + OPEN.length, end).trim()));
    at = end + CLOSE.length;
  }
  if (literal !== "") parts.push({ kind: "text", text: literal });
  return parts;
}

/** The reference a string consists of, when it is exactly one `{{…}}` and nothing else; else null. */
export function soleReference(text: string): Reference | null {
  const parts = parseString(text);
  const only = parts[0];
  return parts.length === 1 && only?.kind === "reference" ? only.reference : null;
}

/** Every reference in a JSON value, walking arrays and object values, with the path to its string. */
export function findReferences(value: unknown, basePath: JsonPath = []): FoundReference[] {
  const found: FoundReference[] = [];
  walkStrings(value, basePath, (text, path) => {
    for (const part of parseString(text)) {
      if (part.kind === "reference") found.push({ path, source: part.source, reference: part.reference });
      if (part.kind === "malformed") found.push({ path, source: part.source, problem: part.problem });
    }
  });
  return found;
}

function walkStrings(value: unknown, path: JsonPath, visit: (text: string, path: JsonPath) => void): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, index) => walkStrings(item, [...path, index], visit));
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) walkStrings(item, [...path, key], visit);
  }
}

function parseReferenceSource(source: string, body: string): StringPart {
  const malformed = (why: string): StringPart => ({ kind: "malformed", source, problem: `${source} ${why}` });
  if (body === "") return malformed(`is empty; ${SCOPES_HINT}`);
  const segments = body.split(".");
  if (!segments.every((segment) => SEGMENT.test(segment))) {
    return malformed("is not a reference: use a dotted path such as params.theme or steps.analyze.output.brief");
  }
  const [scope = "", ...rest] = segments;
  const reference = (value: Reference): StringPart => ({ kind: "reference", source, reference: value });
  switch (scope) {
    case "params": {
      const [name, ...path] = rest;
      if (name === undefined) return malformed("names no param; write params.<name>");
      return reference({ scope: "params", name, path });
    }
    case "steps": {
      const [stepId, field, ...path] = rest;
      if (stepId !== undefined && field === "error") return reference({ scope: "steps", stepId, path, field: "error" });
      if (stepId === undefined || field !== "output") {
        return malformed("must read a step's output or error: write steps.<id>.output, steps.<id>.output.<field> or steps.<id>.error");
      }
      return reference({ scope: "steps", stepId, path });
    }
    case "item":
      return reference({ scope: "item", path: rest });
    case "index":
      if (rest.length > 0) return malformed("reads into index, which is a number; write {{index}}");
      return reference({ scope: "index" });
    case "execution": {
      const field = executionFields.find((name) => name === rest[0]);
      if (field === undefined || rest.length !== 1) {
        return malformed("is not an execution field; use execution.id or execution.templateId");
      }
      return reference({ scope: "execution", field });
    }
    case "payload":
      return reference({ scope: "payload", path: rest });
    case "headers": {
      const [name, ...more] = rest;
      if (name === undefined || more.length > 0) return malformed("must name one header: write headers.<name>, e.g. headers.x-github-delivery");
      return reference({ scope: "headers", name: name.toLowerCase() });
    }
    default:
      return malformed(`has no scope "${scope}"; ${SCOPES_HINT}`);
  }
}
