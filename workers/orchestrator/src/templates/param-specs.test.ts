/** Proves that a param spec which contradicts itself is reported on the exact keyword at fault. */
import { describe, expect, it } from "vitest";
import type { ParamSpec } from "#shared/template.ts";
import { checkParamSpec } from "./param-specs.ts";

const check = (spec: ParamSpec) => checkParamSpec(spec, "params.p");

describe("checkParamSpec", () => {
  it("accepts sound specs", () => {
    expect(check({ type: "integer", default: 30, minimum: 1, maximum: 100 })).toEqual([]);
    expect(check({ type: "string", default: "ab", minLength: 1, maxLength: 2, pattern: "^a", enum: ["ab", "ac"] })).toEqual([]);
    expect(check({ type: "array", default: [] })).toEqual([]);
  });

  it("names a default that breaks its own spec", () => {
    expect(check({ type: "integer", default: 500, maximum: 100 })).toEqual([
      { path: "params.p.default", message: "the default does not fit this param: must be at most 100; got 500" },
    ]);
    expect(check({ type: "integer", default: "30" })).toEqual([
      { path: "params.p.default", message: 'the default does not fit this param: expected an integer; got "30"' },
    ]);
    expect(check({ type: "string", default: "c", enum: ["a", "b"] })).toMatchObject([{ path: "params.p.default" }]);
    expect(check({ type: "string", default: "", minLength: 1 })).toMatchObject([{ path: "params.p.default" }]);
  });

  it("names bounds that leave no room", () => {
    expect(check({ type: "number", minimum: 5, maximum: 1 })).toEqual([
      { path: "params.p.minimum", message: "minimum 5 is greater than maximum 1, so no value could pass" },
    ]);
    expect(check({ type: "string", minLength: 3, maxLength: 2 })).toEqual([
      { path: "params.p.minLength", message: "minLength 3 is greater than maxLength 2, so no value could pass" },
    ]);
  });

  it("names keywords that do not apply to the type", () => {
    expect(check({ type: "string", minimum: 1 })).toEqual([
      {
        path: "params.p.minimum",
        message: "minimum applies only to integer and number params, not string; remove it or change the type",
      },
    ]);
    expect(check({ type: "integer", pattern: "x", maxLength: 3 }).map((issue) => issue.path)).toEqual([
      "params.p.maxLength",
      "params.p.pattern",
    ]);
    expect(check({ type: "object", enum: ["a"] }).map((issue) => issue.path)).toEqual(["params.p.enum"]);
  });

  it("names a pattern that does not compile", () => {
    expect(check({ type: "string", pattern: "([a-z]" })).toEqual([
      { path: "params.p.pattern", message: expect.stringMatching(/^\(\[a-z\] is not a valid regular expression \(/) },
    ]);
  });

  it("refuses a pattern that nests unbounded repetitions (star height above one), and keeps bounded ones", () => {
    for (const pattern of ["^(a+)+$", "(a*)*b", "^(\\w+\\s?)*$", "(x{1,1000})+"]) {
      expect(check({ type: "string", pattern })).toEqual([
        { path: "params.p.pattern", message: expect.stringContaining("nests one unbounded repetition inside another") },
      ]);
    }
    for (const pattern of ["^(\\d{3}-)?\\d{4}$", "^[a-z]+$", "(ab){2,5}c*", "\\p{L}+"]) expect(check({ type: "string", pattern })).toEqual([]);
  });

  it("names enum options of the wrong type", () => {
    expect(check({ type: "integer", enum: [1, "two", 2.5] })).toEqual([
      { path: "params.p.enum.1", message: '"two" is not a valid integer; every option must match the param\'s type' },
      { path: "params.p.enum.2", message: "2.5 is not a valid integer; every option must match the param's type" },
    ]);
  });

  it("does not judge a default against a spec that is itself broken", () => {
    expect(check({ type: "integer", default: 7, minimum: 10, maximum: 5 }).map((issue) => issue.path)).toEqual([
      "params.p.minimum",
    ]);
  });
});
