/**
 * Proves agent schemas are checked in full (draft 2020-12 through @cfworker/json-schema: $ref, $defs,
 * format, if/then/else, prefixItems, dependentRequired fail values the old subset let through) with
 * Baton's messages: the path of every bad value and what was expected. Also that a schema with a
 * catastrophic pattern is refused, and a hostile value is answered within 100 ms. The first schemas
 * have the shapes `z.toJSONSchema` writes for the sample agents.
 */
import { describe, expect, it } from "vitest";
import { MAX_PATTERN_SUBJECT_LENGTH } from "#shared/safe-pattern.ts";
import { compileSchema, describeIssues, validateJson } from "./json-schema.ts";

const image = {
  type: "object",
  properties: {
    id: { type: "string", minLength: 1 },
    width: { type: "integer", exclusiveMinimum: 0 },
    svg: { type: "string", pattern: "^<svg\\b" },
    caption: { type: "string" },
  },
  required: ["id", "width", "svg"],
};
const retoucherInput = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: {
    images: { type: "array", minItems: 1, maxItems: 3, items: image, description: "The illustrator's images" },
    width: { type: "integer", minimum: 64, maximum: 4096, default: 1024 },
    frame: { type: "boolean", default: true },
  },
  required: ["images"],
};
const good = { id: "a", width: 10, svg: "<svg/>" };

function paths(schema: Record<string, unknown>, value: unknown): string[] {
  return validateJson(schema, value, "input").map((i) => i.path);
}

describe("validateJson", () => {
  it("accepts a valid value, extra fields and absent optional ones included", () => {
    expect(validateJson(retoucherInput, { images: [good, { ...good, caption: "c" }], extra: 1 }, "input")).toEqual([]);
    expect(validateJson({}, { anything: [1, "x"] }, "input")).toEqual([]);
    expect(validateJson(true as unknown as Record<string, unknown>, 5, "input")).toEqual([]);
  });

  it("names the exact path of a bad nested value", () => {
    const issues = validateJson(retoucherInput, { images: [good, { ...good, svg: "png" }] }, "input");
    expect(issues).toEqual([{ path: "input.images.1.svg", message: "must match the pattern ^<svg\\b" }]);
  });

  it("reports missing required fields, wrong types and bounds, each by path", () => {
    const issues = validateJson(retoucherInput, { images: [{ id: "", width: 0 }], width: 32, frame: "yes" }, "input");
    expect(issues).toEqual([
      { path: "input.images.0.svg", message: "is required" },
      { path: "input.images.0.id", message: "must not be empty" },
      { path: "input.images.0.width", message: "must be greater than 0 (got 0)" },
      { path: "input.width", message: "must be at least 64 (got 32)" },
      { path: "input.frame", message: "must be a boolean (got a string)" },
    ]);
    expect(paths(retoucherInput, {})).toEqual(["input.images"]);
    expect(paths(retoucherInput, { images: [] })).toEqual(["input.images"]);
    expect(paths(retoucherInput, { images: [good, good, good, good] })).toEqual(["input.images"]);
    expect(validateJson(retoucherInput, "text", "input")).toEqual([{ path: "input", message: "must be an object (got a string)" }]);
  });

  it("tells integers from numbers and checks maximum and exclusiveMaximum", () => {
    const schema = { type: "object", properties: { n: { type: "integer", maximum: 5 }, x: { type: "number", exclusiveMaximum: 1 } } };
    expect(validateJson(schema, { n: 1.5 }, "input")).toEqual([{ path: "input.n", message: "must be an integer (got the number 1.5)" }]);
    expect(paths(schema, { n: 6 })).toEqual(["input.n"]);
    expect(paths(schema, { x: 1 })).toEqual(["input.x"]);
    expect(paths(schema, { n: 5, x: 0.5 })).toEqual([]);
  });

  it("treats a list of types as a union, so null can be allowed", () => {
    const schema = { type: "object", properties: { note: { type: ["string", "null"], maxLength: 3 } } };
    expect(paths(schema, { note: null })).toEqual([]);
    expect(paths(schema, { note: "abc" })).toEqual([]);
    expect(validateJson(schema, { note: 7 }, "input")).toEqual([{ path: "input.note", message: "must be a string or null (got the integer 7)" }]);
    expect(validateJson(schema, { note: "abcd" }, "input")[0]!.message).toBe("must be at most 3 characters long (got 4)");
  });

  it("counts string length in characters, not UTF-16 units", () => {
    expect(paths({ type: "string", maxLength: 2 }, "😀😀")).toEqual([]);
  });

  it("checks enum and const by value", () => {
    const schema = { type: "object", properties: { tone: { enum: ["plain", "warm"] }, kind: { const: { a: [1] } } } };
    expect(validateJson(schema, { tone: "loud" }, "input")).toEqual([{ path: "input.tone", message: 'must be one of "plain", "warm"' }]);
    expect(paths(schema, { tone: "warm", kind: { a: [1] } })).toEqual([]);
    expect(paths(schema, { kind: { a: [2] } })).toEqual(["input.kind"]);
  });

  it("refuses fields an output schema does not list when additionalProperties is false", () => {
    const schema = { type: "object", properties: { value: {}, attempt: { type: "integer", minimum: 1 } }, required: ["value", "attempt"], additionalProperties: false };
    expect(validateJson(schema, { value: null, attempt: 1 }, "output")).toEqual([]);
    expect(validateJson(schema, { value: 1, attempt: 1, secret: true }, "output")).toEqual([
      { path: "output.secret", message: "is not an accepted field (accepted: value, attempt)" },
    ]);
    const typed = { type: "object", additionalProperties: { type: "number" } };
    expect(paths(typed, { a: 1, b: "2" })).toEqual(["input.b"]);
  });

  it("explains a oneOf of required fields as 'exactly one of'", () => {
    const schema = { type: "object", properties: { book: { type: "object" }, article: { type: "object" } }, oneOf: [{ required: ["book"] }, { required: ["article"] }] };
    expect(paths(schema, { book: {} })).toEqual([]);
    expect(validateJson(schema, {}, "input")).toEqual([{ path: "input", message: "must have exactly one of input.book or input.article (it has none)" }]);
    expect(validateJson(schema, { book: {}, article: {} }, "input")[0]!.message).toContain("(it has both)");
  });

  it("reports the closest alternative when no oneOf/anyOf branch matches", () => {
    const schema = {
      anyOf: [
        { type: "object", properties: { url: { type: "string" } }, required: ["url"] },
        { type: "object", properties: { text: { type: "string" }, lang: { type: "string" } }, required: ["text", "lang"] },
      ],
    };
    expect(paths(schema, { url: "x" })).toEqual([]);
    expect(validateJson(schema, { text: "hi" }, "input")).toEqual([{ path: "input.url", message: "is required" }]);
    expect(paths(schema, { text: 1, lang: "en" })).toEqual(["input.url"]);
    const both = { oneOf: [{ type: "number" }, { type: "integer" }] };
    expect(validateJson(both, 3, "input")[0]!.message).toBe("must match exactly one of 2 alternatives (it matches 2)");
    expect(paths(both, 3.5)).toEqual([]);
  });

  it("applies every allOf part", () => {
    const schema = { allOf: [{ type: "string", minLength: 2 }, { pattern: "^a" }] };
    expect(paths(schema, "ab")).toEqual([]);
    expect(validateJson(schema, "b", "input").map((i) => i.message)).toEqual(["must be at least 2 characters long (got 1)", "must match the pattern ^a"]);
  });

  it("follows $ref into $defs, and names the path of the value, not of the definition", () => {
    const schema = {
      $defs: { size: { type: "integer", minimum: 1 }, box: { type: "object", properties: { w: { $ref: "#/$defs/size" } }, required: ["w"] } },
      type: "object",
      properties: { box: { $ref: "#/$defs/box" } },
    };
    expect(paths(schema, { box: { w: 3 } })).toEqual([]);
    expect(validateJson(schema, { box: { w: 0 } }, "input")).toEqual([{ path: "input.box.w", message: "must be at least 1 (got 0)" }]);
    expect(validateJson(schema, { box: {} }, "input")).toEqual([{ path: "input.box.w", message: "is required" }]);
  });

  it("checks format", () => {
    const schema = { type: "object", properties: { email: { type: "string", format: "email" }, at: { type: "string", format: "date-time" } } };
    expect(paths(schema, { email: "ada@example.com", at: "2026-01-02T03:04:05Z" })).toEqual([]);
    expect(validateJson(schema, { email: "not an email", at: "yesterday" }, "input")).toEqual([
      { path: "input.email", message: "must be a valid email (JSON Schema format)" },
      { path: "input.at", message: "must be a valid date-time (JSON Schema format)" },
    ]);
  });

  it("applies if/then/else", () => {
    const schema = {
      type: "object",
      if: { properties: { kind: { const: "url" } } },
      then: { required: ["url"] },
      else: { required: ["text"] },
    };
    expect(paths(schema, { kind: "url", url: "x" })).toEqual([]);
    expect(validateJson(schema, { kind: "url" }, "input")).toEqual([{ path: "input.url", message: "is required" }]);
    expect(validateJson(schema, { kind: "note" }, "input")).toEqual([{ path: "input.text", message: "is required" }]);
  });

  it("checks prefixItems position by position", () => {
    const schema = { type: "array", prefixItems: [{ type: "string" }, { type: "integer" }], items: false };
    expect(paths(schema, ["a", 1])).toEqual([]);
    expect(validateJson(schema, ["a", "b"], "input")).toEqual([{ path: "input.1", message: "must be an integer (got a string)" }]);
    expect(validateJson(schema, ["a", 1, true], "input")).toEqual([{ path: "input.2", message: "is not allowed here" }]);
  });

  it("checks dependentRequired", () => {
    const schema = { type: "object", dependentRequired: { width: ["height"] } };
    expect(paths(schema, {})).toEqual([]);
    expect(paths(schema, { width: 1, height: 2 })).toEqual([]);
    expect(validateJson(schema, { width: 1 }, "input")).toEqual([{ path: "input.height", message: "is required when input.width is given" }]);
  });

  it("refuses a schema whose pattern could backtrack without end, and one whose pattern does not compile", () => {
    expect(compileSchema({ type: "string", pattern: "^(a+)+$" })).toMatchObject({ ok: false, problem: expect.stringContaining("^(a+)+$") });
    expect(compileSchema({ patternProperties: { "(?<=": {} } })).toMatchObject({ ok: false, problem: expect.stringContaining("not a valid regular expression") });
    expect(validateJson({ type: "string", pattern: "^(a+)+$" }, "a", "input")[0]!.message).toContain("the agent's schema is unusable");
    // A `pattern` key inside data (const, enum, default) is no pattern.
    expect(compileSchema({ const: { pattern: "^(a+)+$" } }).ok).toBe(true);
  });

  it("answers a hostile value within 100 ms: no pattern runs on a string longer than the cap", () => {
    const schema = { type: "object", properties: { s: { type: "string", pattern: "^(a|b)*c$" } } };
    const started = performance.now();
    const issues = validateJson(schema, { s: `${"a".repeat(MAX_PATTERN_SUBJECT_LENGTH)}!` }, "input");
    expect(performance.now() - started).toBeLessThan(100);
    expect(issues).toEqual([
      { path: "input.s", message: `must be at most ${MAX_PATTERN_SUBJECT_LENGTH} characters long to be checked against the pattern ^(a|b)*c$ (got ${MAX_PATTERN_SUBJECT_LENGTH + 1})` },
    ]);
    expect(paths(schema, { s: "abac" })).toEqual([]);
  });

  it("answers a value nested 10,000 deep with an issue, not a crash", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const recursive = { $defs: { n: { type: "object", properties: { a: { $ref: "#/$defs/n" } } } }, $ref: "#/$defs/n" };
    const issues = validateJson(recursive, deep, "input");
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toMatch(/^input/);
  });

  it("stops at 20 problems and summarises them briefly", () => {
    const issues = validateJson({ type: "array", items: { type: "string" } }, Array.from({ length: 50 }, (_, i) => i), "input");
    expect(issues).toHaveLength(20);
    expect(describeIssues(issues, 2)).toBe(
      "input.0: must be a string (got the integer 0); input.1: must be a string (got the integer 1); and 18 more",
    );
  });
});
