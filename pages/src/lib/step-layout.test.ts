/** Proves the step graph's rows follow `needs`: a step sits below everything it needs, even with a cycle present. */
import { describe, expect, it } from "vitest";
import { stepDepths, stepRows } from "./step-layout.ts";

describe("step layout", () => {
  it("puts each step one row below the deepest step it needs", () => {
    const steps = [{ id: "a" }, { id: "b", needs: ["a"] }, { id: "c", needs: ["a"] }, { id: "d", needs: ["b", "c"] }, { id: "e", needs: ["a", "d"] }];
    const depths = stepDepths(steps);
    expect(Object.fromEntries(depths)).toEqual({ a: 0, b: 1, c: 1, d: 2, e: 3 });
    expect(stepRows(steps, depths).map((row) => row.map((s) => s.id))).toEqual([["a"], ["b", "c"], ["d"], ["e"]]);
  });

  it("does not hang on a cycle or an unknown need", () => {
    const depths = stepDepths([{ id: "a", needs: ["b"] }, { id: "b", needs: ["a"] }, { id: "c", needs: ["ghost"] }]);
    expect(depths.get("c")).toBe(0);
    expect(depths.size).toBe(3);
  });
});
