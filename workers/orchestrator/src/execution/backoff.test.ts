/** Proves the retry delays of each backoff kind, the cap, jitter's range and the attempt budget. */
import { describe, expect, it } from "vitest";
import { hasAttemptsLeft, retryDelayMs } from "./backoff.ts";

const policy = (backoff: "constant" | "linear" | "exponential", extra = {}) => ({ limit: 5, delayMs: 100, backoff, jitter: false, ...extra });

describe("retryDelayMs", () => {
  it("grows as the policy says", () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(policy("constant"), a))).toEqual([100, 100, 100, 100]);
    expect([1, 2, 3, 4].map((a) => retryDelayMs(policy("linear"), a))).toEqual([100, 200, 300, 400]);
    expect([1, 2, 3, 4].map((a) => retryDelayMs(policy("exponential"), a))).toEqual([100, 200, 400, 800]);
  });

  it("caps at maxDelayMs and survives huge attempt numbers", () => {
    expect(retryDelayMs(policy("exponential", { maxDelayMs: 250 }), 3)).toBe(250);
    expect(Number.isFinite(retryDelayMs(policy("exponential"), 10_000))).toBe(true);
  });

  it("spreads jittered delays over [delay/2, delay]", () => {
    const jittered = policy("exponential", { jitter: true });
    expect(retryDelayMs(jittered, 3, () => 0)).toBe(200);
    expect(retryDelayMs(jittered, 3, () => 1)).toBe(400);
    expect(retryDelayMs(jittered, 3, () => 0.5)).toBe(300);
  });
});

describe("hasAttemptsLeft", () => {
  it("allows the first attempt plus `limit` retries", () => {
    expect(hasAttemptsLeft({ ...policy("constant"), limit: 2 }, 2)).toBe(true);
    expect(hasAttemptsLeft({ ...policy("constant"), limit: 2 }, 3)).toBe(false);
    expect(hasAttemptsLeft({ ...policy("constant"), limit: 0 }, 1)).toBe(false);
  });
});
