/**
 * Proves the JSON Schema subset checker accepts what the agents' published schemas accept and refuses
 * the rest, naming the path of every bad value; and that keywords outside the subset never refuse.
 * The schemas here have the shapes `z.toJSONSchema` writes for the sample agents.
 */
import { describe, expect, it } from "vitest";
import { describeIssues, validateJson } from "./json-schema.ts";

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

  it("ignores keywords outside the subset, and patterns JavaScript cannot compile", () => {
    const schema = { type: "object", properties: { a: { $ref: "#/$defs/x", format: "email", pattern: "(?<=" } } };
    expect(paths(schema, { a: "not an email" })).toEqual([]);
  });

  it("stops at 20 problems and summarises them briefly", () => {
    const issues = validateJson({ type: "array", items: { type: "string" } }, Array.from({ length: 50 }, (_, i) => i), "input");
    expect(issues).toHaveLength(20);
    expect(describeIssues(issues, 2)).toBe(
      "input.0: must be a string (got the integer 0); input.1: must be a string (got the integer 1); and 18 more",
    );
  });
});
