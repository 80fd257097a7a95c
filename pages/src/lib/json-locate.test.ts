/** Proves that a validation path lands on the line a person must fix, and that syntax errors point at their character. */
import { describe, expect, it } from "vitest";
import { lineColumn, parseJsonLocated, spanOfPath } from "./json-locate.ts";

const text = `{
  "id": "x",
  "steps": [
    { "id": "a", "agent": "echo" },
    {
      "id": "b",
      "needs": ["a", "zz"]
    }
  ]
}`;

describe("parseJsonLocated", () => {
  it("parses like JSON.parse and knows where each path's value starts", () => {
    const parsed = parseJsonLocated(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toEqual(JSON.parse(text));
    const needs = parsed.spans.get("steps.1.needs.1");
    expect(needs && text.slice(needs.start, needs.end)).toBe('"zz"');
    expect(lineColumn(text, needs?.start ?? 0).line).toBe(7);
    const agent = parsed.spans.get("steps.0.agent");
    expect(agent?.keyStart !== undefined && text.slice(agent.keyStart, agent.keyStart + 7)).toBe('"agent"');
  });

  it("places a missing property at the nearest value that exists", () => {
    const parsed = parseJsonLocated(text);
    if (!parsed.ok) throw new Error("expected valid JSON");
    const found = spanOfPath(parsed.spans, "steps.1.agent");
    expect(found?.exact).toBe(false);
    expect(lineColumn(text, found?.span.start ?? 0).line).toBe(5);
    expect(spanOfPath(parsed.spans, "nowhere.at.all")?.span.start).toBe(0);
  });

  it("names the character of a syntax error and says what to do", () => {
    const broken = '{\n  "a": 1,\n  "b": [1, 2,]\n}';
    const parsed = parseJsonLocated(broken);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toMatch(/trailing comma/);
    expect(lineColumn(broken, parsed.offset)).toEqual({ line: 3, column: 13 });
    const unquoted = parseJsonLocated("{ a: 1 }");
    expect(!unquoted.ok && unquoted.message).toMatch(/property name in double quotes/);
    expect(parseJsonLocated('{"a": 1} x').ok).toBe(false);
  });
});
