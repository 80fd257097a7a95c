/** What the flaky agent returns for a `tally` call: its scope's calls per idempotency key (read by test/reliability/api.ts). */
export interface Tally {
  keys: number;
  calls: number;
  maxPerKey: number;
  /** How many keys were called n times, by n. */
  histogram: Record<string, number>;
  /** Up to 20 keys called more than `maxCalls` times, with their counts. */
  over: Array<{ key: string; calls: number }>;
  overCount: number;
}
