/** When a failed webhook delivery is tried again, and when Baton gives up on it. */

/** Waits after attempt 1, 2, … : about five hours from the first attempt to the last. */
export const RETRY_DELAYS_MS = [10_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 10_800_000] as const;

/** The first attempt plus one per delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** When the attempt after `attempts` failed ones is due, or null when there is none left. */
export function nextAttemptAt(attempts: number, now: number): number | null {
  const delay = RETRY_DELAYS_MS[attempts - 1];
  return attempts >= 1 && delay !== undefined ? now + delay : null;
}
