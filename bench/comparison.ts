/**
 * The arithmetic of `npm run bench:compare`: reading the batch lines `npm run bench:profile` prints and
 * setting two builds side by side. Pure.
 */
import { median } from "./stats.ts";

export interface Batch {
  stepsPerSecond: number;
  cpuMsPerStep: number;
}

/** The measured batches in `bench:profile`'s output (`50 x 20: 700 steps/s, workerd CPU 1.12 ms per step`). */
export function batchesIn(output: string): Batch[] {
  const batches: Batch[] = [];
  for (const match of output.matchAll(/^\d+ x \d+: (\d+(?:\.\d+)?) steps\/s, workerd CPU (\d+(?:\.\d+)?) ms per step/gm)) {
    batches.push({ stepsPerSecond: Number(match[1]), cpuMsPerStep: Number(match[2]) });
  }
  return batches;
}

/** The median of each figure over several measurements: a run's batches, or a build's runs. */
export function medians(batches: readonly Batch[]): Batch {
  return { stepsPerSecond: median(batches.map((b) => b.stepsPerSecond)), cpuMsPerStep: median(batches.map((b) => b.cpuMsPerStep)) };
}

export interface Comparison {
  base: Batch;
  changed: Batch;
  /** changed ÷ base CPU per step: below 1 is cheaper. */
  cpuRatio: number;
  /** Rounds in which the changed build used less CPU per step than the base, of all rounds. */
  cheaperRounds: number;
  rounds: number;
}

/** Each round ran both builds once; a build's figure is the median of its runs' medians. */
export function compare(rounds: readonly { base: Batch; changed: Batch }[]): Comparison {
  const base = medians(rounds.map((r) => r.base));
  const changed = medians(rounds.map((r) => r.changed));
  return {
    base,
    changed,
    cpuRatio: changed.cpuMsPerStep / base.cpuMsPerStep,
    cheaperRounds: rounds.filter((r) => r.changed.cpuMsPerStep < r.base.cpuMsPerStep).length,
    rounds: rounds.length,
  };
}
