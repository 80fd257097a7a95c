/**
 * Proves how references resolve against an execution's values: a lone reference keeps its type, text
 * around references interpolates, a missing value fails with a message naming the reference, and
 * values that come out of params or outputs are never resolved a second time.
 */
import { describe, expect, it } from "vitest";
import { type ReferenceScope, resolveValue, UnresolvedReferenceError } from "./resolve.ts";

const scope: ReferenceScope = {
  params: { theme: "space", pages: 30, tags: ["a", "b"], draft: false, nothing: null, sneaky: "{{params.pages}}" },
  steps: {
    analyze: { output: { brief: "A book about space", audience: { age: 12 }, chapters: [{ title: "Sun" }, { title: "Moon" }] } },
    count: { output: 7 },
  },
  execution: { id: "ex_1", templateId: "ebook" },
};

describe("resolveValue", () => {
  it("keeps the referenced value's type when a string is exactly one reference", () => {
    expect(resolveValue("{{params.pages}}", scope)).toBe(30);
    expect(resolveValue("{{ params.draft }}", scope)).toBe(false);
    expect(resolveValue("{{params.nothing}}", scope)).toBeNull();
    expect(resolveValue("{{params.tags}}", scope)).toEqual(["a", "b"]);
    expect(resolveValue("{{steps.analyze.output.audience}}", scope)).toEqual({ age: 12 });
    expect(resolveValue("{{steps.count.output}}", scope)).toBe(7);
  });

  it("follows keys and array indexes", () => {
    expect(resolveValue("{{steps.analyze.output.chapters.1.title}}", scope)).toBe("Moon");
    expect(resolveValue("{{params.tags.0}}", scope)).toBe("a");
  });

  it("interpolates text around references, with non-strings as JSON", () => {
    expect(resolveValue("Publish {{params.theme}}?", scope)).toBe("Publish space?");
    expect(resolveValue("{{params.pages}} pages", scope)).toBe("30 pages");
    expect(resolveValue("tags={{params.tags}} age={{steps.analyze.output.audience}}", scope)).toBe(
      'tags=["a","b"] age={"age":12}',
    );
    expect(resolveValue("{{params.draft}}/{{params.nothing}}", scope)).toBe("false/null");
    expect(resolveValue(" {{params.pages}}", scope)).toBe(" 30");
  });

  it("resolves deeply and leaves the template untouched", () => {
    const input = { theme: "{{params.theme}}", list: ["{{params.pages}}", 5, { deep: "{{execution.id}}" }], flag: true };
    const before = structuredClone(input);
    expect(resolveValue(input, scope)).toEqual({ theme: "space", list: [30, 5, { deep: "ex_1" }], flag: true });
    expect(input).toEqual(before);
  });

  it("gives execution fields", () => {
    expect(resolveValue("{{execution.id}}:{{execution.templateId}}", scope)).toBe("ex_1:ebook");
  });

  it("gives item and index inside a forEach run", () => {
    const itemScope: ReferenceScope = { ...scope, forEach: { item: { title: "Sun" }, index: 0 } };
    expect(resolveValue({ title: "{{item.title}}", n: "{{index}}", whole: "{{item}}" }, itemScope)).toEqual({
      title: "Sun",
      n: 0,
      whole: { title: "Sun" },
    });
  });

  it("never resolves a value a second time", () => {
    expect(resolveValue("{{params.sneaky}}", scope)).toBe("{{params.pages}}");
    expect(resolveValue("x {{params.sneaky}}", scope)).toBe("x {{params.pages}}");
  });

  it("writes \\{{ as literal braces", () => {
    expect(resolveValue("Dear \\{{name}}, {{params.theme}}", scope)).toBe("Dear {{name}}, space");
  });

  it("keeps a __proto__ key as a plain key", () => {
    const resolved = resolveValue(JSON.parse('{"__proto__": {"polluted": "{{params.theme}}"}}'), scope);
    expect(Object.getPrototypeOf(resolved)).toBe(Object.prototype);
    expect(Object.hasOwn(resolved as object, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ["{{params.missing}}", /\{\{params\.missing\}\} resolves to nothing: no value was given for param "missing"/],
    ["{{steps.review.output}}", /step "review" has no output/],
    ["{{steps.analyze.output.summary}}", /steps\.analyze\.output has no field "summary"/],
    ["{{steps.analyze.output.chapters.5}}", /has 2 items, so there is no index 5/],
    ["{{steps.analyze.output.chapters.first}}", /is an array; "first" is not an index/],
    ["{{steps.analyze.output.brief.length}}", /is a string, so it has no field "length"/],
    ["{{params.nothing.x}}", /params\.nothing is null/],
    ["{{steps.analyze.output.constructor}}", /has no field "constructor"/],
    ["{{item}}", /item exists only inside a forEach step/],
    ["{{index}}", /index exists only inside a forEach step/],
    ["{{params.theme", /never closes/],
  ])("fails on %s with a message naming it", (text, message) => {
    expect(() => resolveValue(text, scope)).toThrow(message);
  });

  it("fails with the reference and where it sits, also inside interpolated text", () => {
    let error: unknown;
    try {
      resolveValue({ pages: ["ok", "about {{steps.analyze.output.nope}}"] }, scope, ["input"]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnresolvedReferenceError);
    const unresolved = error as UnresolvedReferenceError;
    expect(unresolved.source).toBe("{{steps.analyze.output.nope}}");
    expect(unresolved.path).toEqual(["input", "pages", 1]);
    expect(unresolved.message).toMatch(/^\{\{steps\.analyze\.output\.nope\}\} \(at input\.pages\.1\) resolves to nothing/);
  });
});
