/**
 * Proves the agent run form is built from an input JSON Schema as a user expects: enums become choices,
 * nested objects become groups whose values land at their path, free-form values take JSON or text, and
 * a required field left empty or a number out of range is named by its key, and an untouched group is
 * left out of the input.
 */
import { describe, expect, it } from "vitest";
import { initialTexts, readInput, schemaFields, valueFields } from "./schema-form.ts";

const schema = {
  type: "object",
  properties: {
    text: { type: "string", minLength: 1 },
    tone: { type: "string", enum: ["plain", "loud"], default: "plain" },
    options: { type: "object", properties: { times: { type: "integer", minimum: 1, maximum: 5 }, upper: { type: "boolean" } }, required: ["times"] },
    extra: {},
  },
  required: ["text"],
};

describe("schema form", () => {
  const fields = schemaFields(schema)!;

  it("makes a field per property, groups for nested objects, and selects for enums", () => {
    expect(valueFields(fields).map((f) => [f.key, f.spec.type, f.spec.enum ?? null, f.anyJson])).toEqual([
      ["text", "string", null, false],
      ["tone", "string", ["plain", "loud"], false],
      ["options.times", "integer", null, false],
      ["options.upper", "boolean", null, false],
      ["extra", "object", null, true],
    ]);
    expect(fields[2]).toMatchObject({ kind: "group", name: "options", required: false });
    expect(initialTexts(fields)).toMatchObject({ tone: "plain", "options.upper": "false", extra: "" });
  });

  it("reads the input back with nested values at their path", () => {
    const reading = readInput(fields, { ...initialTexts(fields), text: "hi", "options.times": "3", extra: '{"a":1}' });
    expect(reading).toEqual({ ok: true, value: { text: "hi", tone: "plain", options: { times: 3 }, extra: { a: 1 } } });
    expect(readInput(fields, { ...initialTexts(fields), text: "hi", extra: "just text" })).toMatchObject({ ok: true, value: { extra: "just text" } });
  });

  it("names each bad field by its key", () => {
    const reading = readInput(fields, { ...initialTexts(fields), "options.times": "9" });
    expect(reading.ok).toBe(false);
    expect(reading.ok ? null : [...reading.errors]).toEqual([
      ["text", "Required."],
      ["options.times", "At most 5."],
    ]);
  });

  it("has no fields for a schema without properties (the form falls back to raw JSON)", () => {
    expect(schemaFields({ type: "object" })).toBeNull();
    expect(schemaFields({ oneOf: [] })).toBeNull();
  });
});
