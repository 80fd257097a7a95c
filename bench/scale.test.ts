/** Proves the scale figures' arithmetic: calls counted per execution and per object-second, and the capacity and cost models. */
import { describe, expect, it } from "vitest";
import type { ControlPlane } from "#shared/api/control-plane.ts";
import { capacityModel, controlPlaneFigures, costModel, costPerMillionSteps } from "./scale.ts";

const object = (role: ControlPlane["objects"][number]["role"], name: string, calls: number, perSecond: [number, number][] = []) => ({
  role,
  name,
  calls,
  countingSince: 1,
  callsSince: 0,
  busiestSecond: 0,
  perSecond: perSecond.map(([second, n]) => ({ second, calls: n })),
});

describe("scale figures", () => {
  it("counts a run's calls per execution and its busiest object-second, as run and summed into one object per role", () => {
    const before: ControlPlane = { shards: { control: 2 }, objects: [object("shard", "a", 10), object("shard", "b", 0)] };
    const after: ControlPlane = {
      shards: { control: 2 },
      objects: [object("shard", "a", 30, [[100, 12], [101, 8]]), object("shard", "b", 20, [[100, 9], [101, 11]]), object("lender", "l", 40, [[99, 50], [100, 40]])],
    };
    const figures = controlPlaneFigures(before, after, 10, 100, 101);
    expect(figures.callsPerExecutionByRole).toMatchObject({ shard: 4, lender: 4 });
    expect(figures.callsPerExecution).toBe(8);
    // Second 99 is before the run; the lender's 40 in second 100 is the busiest; one control shard would take 21 in it.
    expect(figures.maxCallsPerObjectPerSecond).toEqual({ shards: 2, value: 40, busiest: "lender l", oneShard: 40 });
  });

  it("finds the starts/s and concurrency at which the busiest object reaches half of 1,000 calls/s", () => {
    const [one, four] = capacityModel({ shard: 2, lender: 0.125, rate: 0 }, 20, 10);
    expect(one!.startsPerSecond).toBe(250);
    expect(four!.startsPerSecond).toBe(1000);
    // 20 steps of 10 s: a running execution asks its control shard 2/200 + 1/10 times a second.
    expect(four!.concurrentExecutions).toBeCloseTo(2000 / 0.11, 3);
  });

  it("prices an execution at list prices per million steps", () => {
    expect(costPerMillionSteps({ doRequests: 1, doActiveSeconds: 0, sqliteRowsWritten: 0, d1RowsWritten: 0, workerRequests: 0, workerCpuMs: 0 }, 1)).toBeCloseTo(0.15, 9);
    const table = costModel({ steps: 20, controlPlaneCallsPerExecution: 2, noOpStepMs: { baton: 1, floor: 0.5 }, workflowsCpuMsPerStep: 2, batonSqliteRowsPerStep: 1.5 });
    // 10 s steps: both pay 1.28 GB-s ($16) per step for the wait; Baton's rows (1.5 SQLite and 1 D1 per step,
    // 13 SQLite and 3 D1 per execution in its control shard and D1) and two more requests are the difference.
    expect(table.tenSecondSteps.floor).toBeCloseTo(16 + 1 + 1 / 20 + 0.15 / 20, 6);
    expect(table.tenSecondSteps.batonToFloor).toBeCloseTo((16 + 1.5 + 13 / 20 + 1 + 3 / 20 + (3 * 0.15) / 20) / (16 + 1 + 1 / 20 + 0.15 / 20), 6);
    expect(table.noOpSteps.workflows).toBeCloseTo((0.3 + 40 * 0.02) / 20, 6);
  });
});
