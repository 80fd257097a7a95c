/** Proves the step-graph helpers: cycles named in the direction work flows, upstream closure, order. */
import { describe, expect, it } from "vitest";
import { findCycles, topologicalOrder, upstreamOf } from "./dag.ts";

describe("findCycles", () => {
  it("finds none in a DAG", () => {
    expect(findCycles([{ id: "a" }, { id: "b", needs: ["a"] }, { id: "c", needs: ["a", "b"] }])).toEqual([]);
  });

  it("names a cycle from its first step, in the direction work flows", () => {
    expect(findCycles([{ id: "a", needs: ["b"] }, { id: "b", needs: ["a"] }])).toEqual([["a", "b", "a"]]);
    expect(
      findCycles([{ id: "a", needs: ["c"] }, { id: "b", needs: ["a"] }, { id: "c", needs: ["b"] }, { id: "d", needs: ["c"] }]),
    ).toEqual([["a", "b", "c", "a"]]);
  });

  it("names one cycle per separate knot", () => {
    const steps = [
      { id: "x", needs: ["y"] },
      { id: "y", needs: ["x"] },
      { id: "ok" },
      { id: "p", needs: ["ok", "q"] },
      { id: "q", needs: ["p"] },
    ];
    expect(findCycles(steps)).toEqual([
      ["x", "y", "x"],
      ["p", "q", "p"],
    ]);
  });

  it("gives the shortest cycle through the first step of a knot", () => {
    const steps = [
      { id: "a", needs: ["d", "b"] },
      { id: "b", needs: ["a"] },
      { id: "c", needs: ["b"] },
      { id: "d", needs: ["c"] },
    ];
    expect(findCycles(steps)).toEqual([["a", "b", "a"]]);
  });

  it("reports a step that needs itself, and still finds a larger cycle through it", () => {
    expect(findCycles([{ id: "a", needs: ["a"] }])).toEqual([["a", "a"]]);
    expect(findCycles([{ id: "a", needs: ["a", "b"] }, { id: "b", needs: ["a"] }])).toEqual([["a", "b", "a"]]);
  });

  it("ignores needs that name no step", () => {
    expect(findCycles([{ id: "a", needs: ["ghost"] }])).toEqual([]);
  });
});

describe("upstreamOf", () => {
  it("collects every step waited for, directly or not", () => {
    const upstream = upstreamOf([
      { id: "a" },
      { id: "b", needs: ["a"] },
      { id: "c", needs: ["b"] },
      { id: "d", needs: ["a"] },
      { id: "e", needs: ["c", "d", "ghost"] },
    ]);
    expect([...(upstream.get("a") ?? [])]).toEqual([]);
    expect([...(upstream.get("c") ?? [])].sort()).toEqual(["a", "b"]);
    expect([...(upstream.get("e") ?? [])].sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("terminates on cycles", () => {
    const upstream = upstreamOf([{ id: "a", needs: ["b"] }, { id: "b", needs: ["a"] }]);
    expect([...(upstream.get("a") ?? [])].sort()).toEqual(["a", "b"]);
  });
});

describe("topologicalOrder", () => {
  it("puts each step after what it needs, otherwise keeping template order", () => {
    expect(
      topologicalOrder([{ id: "publish", needs: ["review"] }, { id: "analyze" }, { id: "review", needs: ["analyze"] }, { id: "log" }]),
    ).toEqual(["analyze", "review", "publish", "log"]);
  });

  it("is null for a cycle", () => {
    expect(topologicalOrder([{ id: "a", needs: ["b"] }, { id: "b", needs: ["a"] }])).toBeNull();
  });
});
