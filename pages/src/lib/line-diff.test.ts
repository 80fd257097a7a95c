/** Proves the version diff shows what changed, old line before new, and folds what did not. */
import { describe, expect, it } from "vitest";
import { diffLines } from "./line-diff.ts";

describe("diffLines", () => {
  it("shows a changed line as removed then added", () => {
    expect(diffLines("a\nb\nc", "a\nB\nc")).toEqual([
      { kind: "same", text: "a", oldLine: 1, newLine: 1 },
      { kind: "removed", text: "b", oldLine: 2, newLine: null },
      { kind: "added", text: "B", oldLine: null, newLine: 2 },
      { kind: "same", text: "c", oldLine: 3, newLine: 3 },
    ]);
  });

  it("folds unchanged lines beyond the context", () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n");
    const after = before.replace("line 10", "line ten");
    const diff = diffLines(before, after, 2);
    expect(diff[0]).toEqual({ kind: "fold", count: 8 });
    expect(diff.filter((l) => l.kind === "same")).toHaveLength(4);
    expect(diff[diff.length - 1]).toEqual({ kind: "fold", count: 7 });
  });

  it("finds nothing to show between equal texts", () => {
    expect(diffLines("x\ny", "x\ny").every((l) => l.kind === "same" || l.kind === "fold")).toBe(true);
  });
});
