import { describe, expect, it } from "vitest";
import { batchesIn, compare } from "./comparison.ts";

const output = `
50 x 20: 631 steps/s, workerd CPU 1.36 ms per step
50 x 20: 766 steps/s, workerd CPU 1.13 ms per step, problems: 1 execution ended failed
some other line: 5 steps/s
50 x 20: 620 steps/s, workerd CPU 1.26 ms per step
`;

describe("bench:compare's arithmetic", () => {
  it("reads every measured batch of bench:profile's output and nothing else", () => {
    expect(batchesIn(output)).toEqual([
      { stepsPerSecond: 631, cpuMsPerStep: 1.36 },
      { stepsPerSecond: 766, cpuMsPerStep: 1.13 },
      { stepsPerSecond: 620, cpuMsPerStep: 1.26 },
    ]);
    expect(batchesIn("wrangler failed to start")).toEqual([]);
  });

  it("sets two builds side by side by the medians of their rounds, and counts the rounds each won", () => {
    const result = compare([
      { base: { stepsPerSecond: 700, cpuMsPerStep: 1.2 }, changed: { stepsPerSecond: 760, cpuMsPerStep: 1.1 } },
      { base: { stepsPerSecond: 650, cpuMsPerStep: 1.3 }, changed: { stepsPerSecond: 640, cpuMsPerStep: 1.35 } },
      { base: { stepsPerSecond: 720, cpuMsPerStep: 1.0 }, changed: { stepsPerSecond: 800, cpuMsPerStep: 0.9 } },
    ]);
    expect(result.base).toEqual({ stepsPerSecond: 700, cpuMsPerStep: 1.2 });
    expect(result.changed).toEqual({ stepsPerSecond: 760, cpuMsPerStep: 1.1 });
    expect(result.cpuRatio).toBeCloseTo(1.1 / 1.2);
    expect(result).toMatchObject({ cheaperRounds: 2, rounds: 3 });
  });
});
