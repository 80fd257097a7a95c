/** Proves the bench's arithmetic: nearest-rank percentiles, distributions, gaps and throughput. */
import { describe, expect, it } from "vitest";
import { distribution, gaps, median, percentile, stepsPerSecond } from "./stats.ts";

describe("percentile", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);

  it("is the nearest rank: p50 of 1..100 is 50, p99 is 99, p100 the maximum", () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
  });

  it("gives the maximum as p99 of a small sample, never a value beyond it", () => {
    expect(percentile([3, 1, 2], 99)).toBe(3);
    expect(median([3, 1, 2, 10])).toBe(2);
  });

  it("does not reorder the caller's values", () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  it("is NaN without values and refuses a p outside (0, 100]", () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe("distribution", () => {
  it("summarizes count, extremes, percentiles and mean", () => {
    expect(distribution([4, 1, 3, 2])).toEqual({ count: 4, min: 1, p50: 2, p99: 4, max: 4, mean: 2.5 });
  });

  it("is all NaN but the count for no values", () => {
    const empty = distribution([]);
    expect(empty.count).toBe(0);
    expect(empty.p50).toBeNaN();
    expect(empty.mean).toBeNaN();
  });
});

describe("gaps and throughput", () => {
  it("takes the gaps between consecutive timestamps", () => {
    expect(gaps([10, 12, 17, 17])).toEqual([2, 5, 0]);
    expect(gaps([10])).toEqual([]);
  });

  it("counts steps per second of wall time, NaN for an empty window", () => {
    expect(stepsPerSecond(1000, 5_000, 7_000)).toBe(500);
    expect(stepsPerSecond(10, 5_000, 5_000)).toBeNaN();
  });
});
