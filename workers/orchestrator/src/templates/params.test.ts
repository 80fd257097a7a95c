/**
 * Proves how the params of an execution are checked and completed: defaults, overrides, and one
 * issue per bad field with its path, for every kind of rule a param spec can state.
 */
import { describe, expect, it } from "vitest";
import type { ParamSpec } from "#shared/template.ts";
import { MAX_PATTERN_SUBJECT_LENGTH } from "#shared/safe-pattern.ts";
import { checkValue, resolveParams } from "./params.ts";

const specs: Record<string, ParamSpec> = {
  theme: { type: "string", required: true },
  pages: { type: "integer", default: 30, minimum: 1, maximum: 100 },
  ratio: { type: "number" },
  draft: { type: "boolean", default: false },
  tags: { type: "array", default: ["a"] },
  style: { type: "object" },
};

describe("resolveParams", () => {
  it("fills in defaults", () => {
    expect(resolveParams(specs, { theme: "space" })).toEqual({
      ok: true,
      params: { theme: "space", pages: 30, draft: false, tags: ["a"] },
    });
  });

  it("prefers given values over defaults, including falsy ones", () => {
    const result = resolveParams(specs, { theme: "", pages: 1, draft: true, tags: [], ratio: 0, style: {} });
    expect(result).toEqual({ ok: true, params: { theme: "", pages: 1, draft: true, tags: [], ratio: 0, style: {} } });
  });

  it("copies defaults so an execution cannot change them for the next one", () => {
    const result = resolveParams(specs, { theme: "x" });
    if (!result.ok) throw new Error("expected ok");
    (result.params.tags as string[]).push("changed");
    expect(specs.tags?.default).toEqual(["a"]);
  });

  it("takes no params as no values", () => {
    expect(resolveParams({ pages: { type: "integer", default: 3 } }, undefined)).toEqual({ ok: true, params: { pages: 3 } });
    expect(resolveParams({}, {})).toEqual({ ok: true, params: {} });
  });

  it("leaves out optional params without a default", () => {
    const result = resolveParams(specs, { theme: "x" });
    expect(result.ok && Object.hasOwn(result.params, "ratio")).toBe(false);
  });

  it("names a missing required param", () => {
    expect(resolveParams(specs, {})).toEqual({
      ok: false,
      issues: [{ path: "params.theme", message: 'required param "theme" is missing; give a string' }],
    });
  });

  it("names unknown params and lists the known ones", () => {
    const result = resolveParams(specs, { theme: "x", color: "red" });
    expect(result).toEqual({
      ok: false,
      issues: [
        { path: "params.color", message: 'unknown param "color"; this template takes theme, pages, ratio, draft, tags, style' },
      ],
    });
    expect(resolveParams({}, { x: 1 })).toMatchObject({ issues: [{ path: "params.x", message: /takes no params/ }] });
  });

  it("rejects params that are not an object", () => {
    for (const given of [null, [], "theme=x", 5]) {
      expect(resolveParams(specs, given)).toMatchObject({ ok: false, issues: [{ path: "params", message: /must be an object/ }] });
    }
  });

  it("reports every bad field at once, under the path it is given", () => {
    const result = resolveParams(specs, { theme: 5, pages: 0, extra: true }, "schedule.params");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((issue) => issue.path)).toEqual([
      "schedule.params.extra",
      "schedule.params.theme",
      "schedule.params.pages",
    ]);
  });
});

describe("checkValue", () => {
  const check = (spec: ParamSpec, value: unknown) => checkValue(spec, value);

  it("accepts values that fit", () => {
    expect(check({ type: "string", minLength: 2, maxLength: 4, pattern: "^[a-z]+$", enum: ["abc", "de"] }, "abc")).toEqual([]);
    expect(check({ type: "integer", minimum: 1, maximum: 1 }, 1)).toEqual([]);
    expect(check({ type: "number" }, 2.5)).toEqual([]);
    expect(check({ type: "object" }, { a: 1 })).toEqual([]);
  });

  it.each<[ParamSpec, unknown, string]>([
    [{ type: "string" }, 5, "expected a string; got 5"],
    [{ type: "string" }, null, "expected a string; got null"],
    [{ type: "integer" }, 2.5, "expected an integer; got 2.5"],
    [{ type: "integer" }, "3", 'expected an integer; got "3"'],
    [{ type: "number" }, "3", 'expected a number; got "3"'],
    [{ type: "number" }, Number.POSITIVE_INFINITY, "expected a number; got Infinity"],
    [{ type: "boolean" }, "true", 'expected a boolean; got "true"'],
    [{ type: "array" }, { 0: "a" }, "expected an array; got an object"],
    [{ type: "object" }, [], "expected an object; got an array"],
    [{ type: "object" }, null, "expected an object; got null"],
  ])("tells types apart: %j with %j", (spec, value, message) => {
    expect(check(spec, value)).toEqual([message]);
  });

  it("accepts integers as numbers but not numbers as integers", () => {
    expect(check({ type: "number" }, 3)).toEqual([]);
    expect(check({ type: "integer" }, 3.0)).toEqual([]);
    expect(check({ type: "integer" }, 3.1)).toHaveLength(1);
  });

  it("checks enum", () => {
    expect(check({ type: "string", enum: ["a", "b"] }, "c")).toEqual(['must be one of "a", "b"; got "c"']);
    expect(check({ type: "integer", enum: [1, 2] }, 3)).toEqual(["must be one of 1, 2; got 3"]);
  });

  it("checks minimum and maximum, inclusive", () => {
    expect(check({ type: "integer", minimum: 1 }, 0)).toEqual(["must be at least 1; got 0"]);
    expect(check({ type: "number", maximum: 1.5 }, 1.6)).toEqual(["must be at most 1.5; got 1.6"]);
    expect(check({ type: "number", minimum: 1.5, maximum: 1.5 }, 1.5)).toEqual([]);
  });

  it("checks lengths in characters, not UTF-16 units", () => {
    expect(check({ type: "string", minLength: 3 }, "ab")).toEqual(["must be at least 3 characters long; got 2"]);
    expect(check({ type: "string", maxLength: 2 }, "abc")).toEqual(["must be at most 2 characters long; got 3"]);
    expect(check({ type: "string", maxLength: 2 }, "😀😀")).toEqual([]);
  });

  it("checks pattern, unanchored like JSON Schema", () => {
    expect(check({ type: "string", pattern: "[0-9]" }, "abc1")).toEqual([]);
    expect(check({ type: "string", pattern: "^[0-9]+$" }, "abc1")).toEqual(['must match the pattern ^[0-9]+$; got "abc1"']);
    expect(check({ type: "string", pattern: "(" }, "x")).toEqual([
      expect.stringMatching(/^cannot be checked: the pattern \( is not a valid regular expression/),
    ]);
  });

  it("answers a hostile pattern and value within 100 ms: the pattern is not run", () => {
    const started = performance.now();
    const problems = check({ type: "string", pattern: "^(a+)+$" }, `${"a".repeat(34)}!`);
    expect(performance.now() - started).toBeLessThan(100);
    expect(problems).toEqual([expect.stringContaining("nests one unbounded repetition inside another")]);
  });

  it("never runs a pattern on a string longer than the cap", () => {
    const long = "a".repeat(MAX_PATTERN_SUBJECT_LENGTH + 1);
    expect(check({ type: "string", pattern: "^a+$" }, long)).toEqual([
      `must be at most ${MAX_PATTERN_SUBJECT_LENGTH} characters long to be checked against the pattern ^a+$; got ${MAX_PATTERN_SUBJECT_LENGTH + 1}`,
    ]);
    expect(check({ type: "string", pattern: "^a+$" }, long.slice(1))).toEqual([]);
  });

  it("reports every rule a value breaks, but only the type when that is wrong", () => {
    expect(check({ type: "string", minLength: 5, pattern: "^[0-9]+$", enum: ["123456"] }, "abc")).toHaveLength(3);
    expect(check({ type: "string", minLength: 5, pattern: "^[0-9]+$" }, 12)).toEqual(["expected a string; got 12"]);
  });
});
