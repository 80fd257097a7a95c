/** How long a step waits before its next attempt, from its retry policy. */
import type { RetryPolicy } from "#shared/template.ts";

/** The policy of a step that declares none: a single attempt. */
export const NO_RETRY: RetryPolicy = { limit: 0, delayMs: 0, backoff: "constant", jitter: false };

/**
 * The delay before attempt `failedAttempt + 1`. `random` is injected so tests are exact; jitter spreads
 * each delay over [delay/2, delay] so that many steps failing together do not retry in lockstep.
 */
export function retryDelayMs(policy: RetryPolicy, failedAttempt: number, random: () => number = Math.random): number {
  const base = policy.delayMs;
  const raw =
    policy.backoff === "constant"
      ? base
      : policy.backoff === "linear"
        ? base * failedAttempt
        : base * 2 ** Math.min(failedAttempt - 1, 40);
  const capped = Math.min(raw, policy.maxDelayMs ?? Number.MAX_SAFE_INTEGER);
  return Math.round(policy.jitter ? capped / 2 + (capped / 2) * random() : capped);
}

/** Whether a step that has made `attempt` attempts may make another. */
export function hasAttemptsLeft(policy: RetryPolicy, attempt: number): boolean {
  return attempt < policy.limit + 1;
}
