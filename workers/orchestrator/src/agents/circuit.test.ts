/**
 * Proves the breaker's rules: it opens at the threshold for one cooldown (again on each later failure),
 * is half-open once the cooldown is over, and the status an agent shows follows from its row. The
 * policy comes from [vars], with defaults for missing or nonsense values.
 */
import { describe, expect, it } from "vitest";
import { afterFailure, agentStatus, circuitGate, circuitPolicy, CLOSED, SLOW_CHECK_MS } from "./circuit.ts";

const policy = { failureThreshold: 3, cooldownMs: 1000 };
const base = { enabled: true, ...CLOSED, latencyMs: 20, lastCheckedAt: 1, lastSeenAt: 1 };

describe("circuit", () => {
  it("stays closed below the threshold and opens for one cooldown at it", () => {
    expect(afterFailure(2, 5000, policy)).toEqual({ consecutiveFailures: 2, circuitOpenUntil: null });
    expect(afterFailure(3, 5000, policy)).toEqual({ consecutiveFailures: 3, circuitOpenUntil: 6000 });
    // A failed probe (or any later failure) starts a fresh cooldown.
    expect(afterFailure(4, 9000, policy).circuitOpenUntil).toBe(10_000);
  });

  it("is open until the cooldown ends, then half-open", () => {
    expect(circuitGate(null, 5000)).toEqual({ state: "closed" });
    expect(circuitGate(6000, 5999)).toEqual({ state: "open", until: 6000 });
    expect(circuitGate(6000, 6000)).toEqual({ state: "half-open" });
  });

  it("derives the status: disabled, down, degraded, unknown, healthy", () => {
    expect(agentStatus({ ...base, enabled: false, consecutiveFailures: 9, circuitOpenUntil: 1 })).toBe("disabled");
    expect(agentStatus({ ...base, consecutiveFailures: 3, circuitOpenUntil: 1 })).toBe("down");
    expect(agentStatus({ ...base, consecutiveFailures: 1 })).toBe("degraded");
    expect(agentStatus({ ...base, latencyMs: SLOW_CHECK_MS + 1 })).toBe("degraded");
    expect(agentStatus({ ...base, lastCheckedAt: null, lastSeenAt: null })).toBe("unknown");
    expect(agentStatus(base)).toBe("healthy");
  });

  it("reads the policy from [vars], falling back to defaults", () => {
    expect(circuitPolicy({ CIRCUIT_FAILURES: "7", CIRCUIT_COOLDOWN_MS: "250" })).toEqual({ failureThreshold: 7, cooldownMs: 250 });
    expect(circuitPolicy({})).toEqual({ failureThreshold: 5, cooldownMs: 30_000 });
    expect(circuitPolicy({ CIRCUIT_FAILURES: "0", CIRCUIT_COOLDOWN_MS: "soon" })).toEqual({ failureThreshold: 5, cooldownMs: 30_000 });
  });
});
