/**
 * Proves that the engine's core keeps its invariants under ten thousand seeded random lives (see
 * simulation.ts): every execution ends; no step is called more often than its retries allow, nor after
 * it settled; event seqs have no gaps; a state reloaded after a crash equals the one written; no
 * attempt starts once the budget is spent. It does not prove the shell or the runtime: the workerd
 * suites do that. `SIM_SEED=n` replays one seed with its trace; `SIM_SEEDS=n` sets how many run.
 */
import { expect, it } from "vitest";
import { simulate } from "./simulation.ts";

const only = process.env.SIM_SEED;
const count = Number(process.env.SIM_SEEDS ?? 10_000);

it(only ? `replays seed ${only}` : `keeps its invariants over ${count} seeded random executions`, () => {
  if (only) {
    const result = simulate(Number(only), true);
    console.log(result);
    return;
  }
  const statuses: Record<string, number> = {};
  let crashes = 0;
  for (let seed = 1; seed <= count; seed++) {
    const result = simulate(seed);
    statuses[result.status] = (statuses[result.status] ?? 0) + 1;
    crashes += result.crashes;
  }
  console.log(`${count} seeds: ${JSON.stringify(statuses)}, ${crashes} crashes`);
  // The lives are varied enough to reach every ending.
  expect(Object.keys(statuses).sort()).toEqual(["cancelled", "completed", "failed"]);
});
