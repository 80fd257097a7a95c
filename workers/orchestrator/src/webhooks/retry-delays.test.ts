/** Proves the retry schedule of webhook deliveries: growing waits, and no attempt after the last. */
import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, nextAttemptAt, RETRY_DELAYS_MS } from "./retry-delays.ts";

describe("nextAttemptAt", () => {
  it("waits longer after each failed attempt", () => {
    const waits = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => nextAttemptAt(i + 1, 1000)! - 1000);
    expect(waits).toEqual([...RETRY_DELAYS_MS]);
    expect(waits.every((wait, i) => i === 0 || wait > waits[i - 1]!)).toBe(true);
  });

  it("gives up after the last attempt", () => {
    expect(MAX_ATTEMPTS).toBe(8);
    expect(nextAttemptAt(MAX_ATTEMPTS, 1000)).toBeNull();
    expect(nextAttemptAt(0, 1000)).toBeNull();
  });
});
