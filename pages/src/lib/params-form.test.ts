/** Proves the start form reads typed text into the values a template's params accept, with the orchestrator's rules. */
import { describe, expect, it } from "vitest";
import { controlOf, initialText, readParam } from "./params-form.ts";

describe("params form", () => {
  it("gives each type its control and shows defaults", () => {
    expect(controlOf({ type: "integer" })).toBe("number");
    expect(controlOf({ type: "string", enum: ["a", "b"] })).toBe("select");
    expect(controlOf({ type: "boolean" })).toBe("checkbox");
    expect(controlOf({ type: "object" })).toBe("json");
    expect(initialText({ type: "integer", default: 12 })).toBe("12");
    expect(initialText({ type: "array", default: [1] })).toBe("[\n  1\n]");
  });

  it("reads values and refuses what the param does not allow", () => {
    const pages = { type: "integer", minimum: 1, maximum: 100, default: 12 } as const;
    expect(readParam(pages, "30")).toEqual({ ok: true, value: 30, present: true });
    expect(readParam(pages, "")).toEqual({ ok: true, value: undefined, present: false });
    expect(readParam(pages, "2.5")).toEqual({ ok: false, message: "Enter a whole number." });
    expect(readParam(pages, "500")).toEqual({ ok: false, message: "At most 100." });
    expect(readParam({ type: "string", required: true }, "  ")).toEqual({ ok: false, message: "Required." });
    expect(readParam({ type: "string", minLength: 2 }, "a")).toEqual({ ok: false, message: "At least 2 characters." });
    expect(readParam({ type: "integer", enum: [1, 2] }, "2")).toEqual({ ok: true, value: 2, present: true });
    expect(readParam({ type: "array" }, '{"a":1}')).toEqual({ ok: false, message: "Enter a JSON list." });
    expect(readParam({ type: "boolean" }, "true")).toEqual({ ok: true, value: true, present: true });
  });
});
