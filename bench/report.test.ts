/**
 * Proves what the bench concludes from its measurements: the ratios, the PASS/MISS verdicts at the
 * edges of issue 8's targets, failure on any problem, and the one-line JSON summary. Pure: it does not
 * prove the measurements themselves (that is `npm run bench` on a real stack).
 */
import { describe, expect, it } from "vitest";
import { formatReport, type Measurements, startPhases, summarize, summaryLine } from "./report.ts";
import { distribution } from "./stats.ts";

function measurements(overrides: Partial<Measurements> = {}): Measurements {
  const gapsOf = (mean: number) => distribution([mean, mean]);
  return {
    workload: { executions: 50, steps: 20, rounds: 3, sequentialSteps: 100, latencySamples: 50 },
    machine: { cpu: "test", cores: 2 },
    throughput: {
      baton: { stepsPerSecond: [480, 500, 520], cpuMsPerStep: [1, 1.2, 1.1] },
      batonHttp: { stepsPerSecond: [200, 250, 300], cpuMsPerStep: [2, 2, 2] },
      workflows: { stepsPerSecond: [150, 160, 170], cpuMsPerStep: [3, 3, 3] },
      floor: { stepsPerSecond: [600, 625, 650], cpuMsPerStep: [0.5, null, 0.5] },
    },
    sequentialGaps: { baton: gapsOf(2.6), workflows: gapsOf(9), floor: gapsOf(2) },
    batonStep: { callMs: distribution([1, 2]), betweenMs: distribution([0, 1]) },
    batonStartsAnswered: distribution([300]),
    startLatency: {
      oneAtATime: startPhases([{ total: 20, toQueued: 15, toStarted: 4, toFirstStep: 1 }]),
      allAtOnce: startPhases([{ total: 200, toQueued: 150, toStarted: 40, toFirstStep: 10 }]),
    },
    floorStartLatency: distribution([5, 50]),
    sseLatency: distribution([1, 2, 3]),
    liveFeedLatency: distribution([]),
    liveFeedYieldingLatency: distribution([3, 4]),
    rowsWrittenPerStep: { baton: 1.2, floor: 1 },
    fanOut: [
      { items: 1_000, itemsPerSecond: 1_000 },
      { items: 100_000, itemsPerSecond: 900 },
    ],
    problems: [],
    ...overrides,
  };
}

describe("summarize", () => {
  it("reports the engine's counted figures under the keys outside tools read, with their targets", () => {
    const parsed = JSON.parse(summaryLine(summarize(measurements())));
    expect(parsed.rowsWrittenPerStep).toEqual({ baton: 1.2, floor: 1 });
    expect(parsed.fanOut).toEqual([
      { items: 1000, itemsPerSecond: 1000 },
      { items: 100000, itemsPerSecond: 900 },
    ]);
    const verdicts = Object.fromEntries(parsed.targets.map((v: { name: string; pass: boolean }) => [v.name, v.pass]));
    expect(verdicts["SQLite rows written per no-op step, Baton"]).toBe(true);
    expect(verdicts["fan-out items/s, largest / smallest"]).toBe(true);
    const slow = summarize(measurements({ fanOut: [{ items: 1_000, itemsPerSecond: 1_000 }, { items: 100_000, itemsPerSecond: 500 }] }));
    expect(slow.targets.find((v) => v.name.startsWith("fan-out"))?.pass).toBe(false);
  });

  it("takes the median round and divides Baton by each yardstick", () => {
    const summary = summarize(measurements());
    expect(summary.throughput.baton.stepsPerSecond).toBe(500);
    expect(summary.ratios.batonToWorkflows).toBeCloseTo(500 / 160);
    expect(summary.ratios.batonToFloor).toBeCloseTo(0.8);
    expect(summary.ratios.floorToWorkflows).toBeCloseTo(625 / 160);
    expect(summary.ratios.sequentialBatonToFloor).toBeCloseTo(1.3);
  });

  it("passes a target met exactly and misses one just short", () => {
    const verdicts = summarize(measurements()).targets.map((t) => [t.name, t.pass]);
    expect(verdicts).toEqual([
      ["Baton / Workflows steps/s", true],
      ["Baton / floor steps/s", true],
      ["sequential per-step overhead, Baton / floor", true],
      ["SQLite rows written per no-op step, Baton", true],
      ["fan-out items/s, largest / smallest", true],
    ]);
    const short = summarize(
      measurements({ throughput: { ...measurements().throughput, baton: { stepsPerSecond: [499, 499, 499], cpuMsPerStep: [1, 1, 1] } } }),
    );
    expect(short.targets.map((t) => t.pass)).toEqual([true, false, true, true, true]);
  });

  it("leaves CPU per step, and its ratio, out when a round could not read it", () => {
    const summary = summarize(measurements());
    expect(summary.throughput.baton.cpuMsPerStep).toBe(1.1);
    expect(summary.throughput.floor.cpuMsPerStep).toBeNull();
    expect(summary.ratios.cpuBatonToWorkflows).toBeCloseTo(1.1 / 3);
    expect(summary.ratios.cpuBatonToFloor).toBeNull();
  });

  it("fails on any problem, whatever the targets say", () => {
    expect(summarize(measurements()).ok).toBe(true);
    expect(summarize(measurements({ problems: ["execution x ended with execution.failed"] })).ok).toBe(false);
  });
});

describe("formatReport and summaryLine", () => {
  it("prints a PASS or MISS line per target and the problems", () => {
    const lines = formatReport(summarize(measurements({ problems: ["lost one"] })));
    expect(lines.filter((line) => /^ {2}(PASS|MISS) /.test(line))).toHaveLength(5);
    expect(lines).toContain("  - lost one");
    expect(lines.some((line) => line.startsWith("FAILED: 1 problem"))).toBe(true);
  });

  it("is one line of JSON with numbers rounded and figures without samples as null", () => {
    const line = summaryLine(summarize(measurements()));
    expect(line).not.toContain("\n");
    const parsed = JSON.parse(line);
    expect(parsed.ratios.batonToWorkflows).toBe(3.125);
    expect(parsed.liveFeedLatencyMs.p50).toBeNull();
    expect(parsed.targets[0]).toEqual({ name: "Baton / Workflows steps/s", target: ">= 3x", actual: 3.125, pass: true });
  });
});
