/**
 * Proves the syntax of `{{…}}` references: which scopes and paths parse, how text and escapes split,
 * and that broken references are reported rather than passed through. Resolving is in resolve.test.ts.
 */
import { describe, expect, it } from "vitest";
import { findReferences, parseString, soleReference } from "./references.ts";

describe("parseString", () => {
  it("reads every scope", () => {
    expect(soleReference("{{params.pages}}")).toEqual({ scope: "params", name: "pages", path: [] });
    expect(soleReference("{{params.size.width}}")).toEqual({ scope: "params", name: "size", path: ["width"] });
    expect(soleReference("{{steps.analyze.output}}")).toEqual({ scope: "steps", stepId: "analyze", path: [] });
    expect(soleReference("{{steps.web-search.output.results.0.url}}")).toEqual({
      scope: "steps",
      stepId: "web-search",
      path: ["results", "0", "url"],
    });
    expect(soleReference("{{item}}")).toEqual({ scope: "item", path: [] });
    expect(soleReference("{{item.title}}")).toEqual({ scope: "item", path: ["title"] });
    expect(soleReference("{{index}}")).toEqual({ scope: "index" });
    expect(soleReference("{{execution.id}}")).toEqual({ scope: "execution", field: "id" });
    expect(soleReference("{{execution.templateId}}")).toEqual({ scope: "execution", field: "templateId" });
  });

  it("ignores whitespace inside the braces", () => {
    expect(soleReference("{{  params.theme\t}}")).toEqual({ scope: "params", name: "theme", path: [] });
  });

  it("keeps text around references, in order", () => {
    expect(parseString("Publish {{params.theme}} now ({{index}})")).toEqual([
      { kind: "text", text: "Publish " },
      { kind: "reference", source: "{{params.theme}}", reference: { scope: "params", name: "theme", path: [] } },
      { kind: "text", text: " now (" },
      { kind: "reference", source: "{{index}}", reference: { scope: "index" } },
      { kind: "text", text: ")" },
    ]);
    expect(parseString("no references } { here")).toEqual([{ kind: "text", text: "no references } { here" }]);
  });

  it("is sole only when nothing surrounds the reference", () => {
    expect(soleReference(" {{params.theme}}")).toBeNull();
    expect(soleReference("{{params.a}}{{params.b}}")).toBeNull();
    expect(soleReference("params.theme")).toBeNull();
  });

  it("reads \\{{ as literal braces", () => {
    expect(parseString("Hello \\{{name}}!")).toEqual([{ kind: "text", text: "Hello {{name}}!" }]);
  });

  it("reports a {{ that is never closed instead of passing it on as text", () => {
    const [text, broken] = parseString("Theme: {{params.theme");
    expect(text).toEqual({ kind: "text", text: "Theme: " });
    expect(broken).toMatchObject({ kind: "malformed", source: "{{params.theme" });
    expect(broken?.kind === "malformed" && broken.problem).toMatch(/never closes it with \}\}/);
  });

  it.each([
    ["{{}}", /is empty/],
    ["{{ foo }}", /no scope "foo"/],
    ["{{param.theme}}", /no scope "param"/],
    ["{{params}}", /names no param/],
    ["{{steps.analyze}}", /steps\.<id>\.output/],
    ["{{steps.analyze.result}}", /steps\.<id>\.output/],
    ["{{index.0}}", /index, which is a number/],
    ["{{execution.status}}", /execution\.id or execution\.templateId/],
    ["{{params..theme}}", /dotted path/],
    ["{{params.theme.}}", /dotted path/],
    ["{{params.a b}}", /dotted path/],
    ["{{ {{params.theme}} }}", /dotted path/],
  ])("rejects %s", (text, problem) => {
    const parts = parseString(text);
    const malformed = parts.find((part) => part.kind === "malformed");
    expect(malformed?.kind === "malformed" && malformed.problem).toMatch(problem);
  });
});

describe("findReferences", () => {
  it("walks arrays and object values and gives the path to each string", () => {
    const input = { brief: "{{steps.analyze.output.brief}}", pages: [1, "{{params.pages}} of {{params.max}}"], n: 3 };
    const found = findReferences(input, ["steps", 1, "input"]);
    expect(found.map(({ path, source }) => ({ path, source }))).toEqual([
      { path: ["steps", 1, "input", "brief"], source: "{{steps.analyze.output.brief}}" },
      { path: ["steps", 1, "input", "pages", 1], source: "{{params.pages}}" },
      { path: ["steps", 1, "input", "pages", 1], source: "{{params.max}}" },
    ]);
  });

  it("leaves object keys alone", () => {
    expect(findReferences({ "{{params.key}}": "value" })).toEqual([]);
  });

  it("includes broken references with their problem", () => {
    const [found] = findReferences({ a: "{{nope}}" });
    expect(found?.path).toEqual(["a"]);
    expect(found?.problem).toMatch(/no scope "nope"/);
  });

  it("finds nothing in values without strings", () => {
    expect(findReferences(undefined)).toEqual([]);
    expect(findReferences([1, true, null, { a: 2 }])).toEqual([]);
  });
});
