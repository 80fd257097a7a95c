/** The arithmetic of the bench: throughput, percentiles and the gaps between timestamps. Pure. */

export interface Distribution {
  count: number;
  min: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * The nearest-rank percentile: the smallest value that at least `p` percent of the values are at or
 * below. With few values the p99 is the maximum, which is the honest answer. NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], not ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { count: 0, min: Number.NaN, p50: Number.NaN, p99: Number.NaN, max: Number.NaN, mean: Number.NaN };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const value of values) {
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
  }
  return { count: values.length, min, p50: percentile(values, 50), p99: percentile(values, 99), max, mean: sum / values.length };
}

/** The gaps between consecutive timestamps (one fewer than there are timestamps). */
export function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((time, i) => time - times[i]!);
}

/** Steps per second over a window of wall time in milliseconds; NaN when the window is empty. */
export function stepsPerSecond(steps: number, fromMs: number, toMs: number): number {
  const seconds = (toMs - fromMs) / 1000;
  return seconds > 0 ? steps / seconds : Number.NaN;
}
