/**
 * Proves the circuit breaker end to end, on a real HTTP agent that goes down and comes back: after five
 * failed attempts in a row (CIRCUIT_FAILURES) the agent is `down`, the step waits with the reason
 * in `waitingFor` instead of using up its remaining attempts, failed half-open probes keep it waiting,
 * and once the agent is back the next probe (after the 1 s test cooldown) closes the circuit and the
 * step completes on its next attempt. It does not prove circuits of different isolates agree (the test
 * runtime has one isolate); the store's atomic counting is what makes them.
 */
import { describe, expect, it } from "vitest";
import { apiJson } from "../support/api.ts";
import { getExecution, saveTemplate, start, waitFor } from "../support/executions.ts";

async function setBroken(broken: boolean): Promise<void> {
  const response = await fetch("http://switch.agents.test/_switch", { method: "POST", body: JSON.stringify({ broken }) });
  expect(await response.json()).toEqual({ broken });
}

describe("circuit breaker", () => {
  it("opens after repeated failures, holds steps without burning attempts, and closes after a good probe", async () => {
    await setBroken(false);
    await apiJson("/v1/agents", { body: { name: "switch", url: "http://switch.agents.test" }, expect: 201 });
    await setBroken(true);
    await saveTemplate({
      id: "fragile",
      name: "Fragile",
      steps: [{ id: "call", agent: "switch", input: { value: "through" }, retry: { limit: 20, delayMs: 10, backoff: "constant" } }],
    });
    const id = await start("fragile");

    const waiting = await waitFor(id, (e) => e.steps[0]!.status === "waiting");
    expect(waiting.status).toBe("waiting");
    expect(waiting.steps[0]!.attempt).toBe(5);
    expect(waiting.steps[0]!.waitingFor).toContain('agent "switch" is down after 5 failures in a row');
    expect(waiting.steps[0]!.waitingFor).toContain("switched off");
    const down = await apiJson("/v1/agents/switch");
    expect(down).toMatchObject({ status: "down", consecutiveFailures: 5, lastError: expect.stringContaining("HTTP 503: switched off") });
    expect(down.circuitOpenUntil).toBeGreaterThan(Date.now() - 1000);
    // Step history reaches D1 in batches (a quarter second apart), and the registry's view of active steps with it.
    await expect.poll(async () => (await apiJson("/v1/agents/switch")).activeSteps, { timeout: 2000 }).toEqual([
      expect.objectContaining({ executionId: id, stepId: "call", status: "waiting", attempts: 5, waitingFor: expect.stringContaining("is down") }),
    ]);

    // Two cooldowns pass: the half-open probes find it still down, and no attempt is spent meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const still = await getExecution(id);
    expect(still.steps[0]).toMatchObject({ status: "waiting", attempt: 5 });
    const probed = await apiJson("/v1/agents/switch");
    expect(probed.status).toBe("down");
    expect(probed.consecutiveFailures).toBeGreaterThan(5);
    expect(probed.lastError).toContain("unhealthy");

    await setBroken(false);
    const done = await waitFor(id, undefined, 10_000);
    expect(done.status).toBe("completed");
    expect(done.steps[0]).toMatchObject({ status: "completed", attempt: 6, output: { value: "through", attempt: 6 } });
    expect(await apiJson("/v1/agents/switch")).toMatchObject({ status: "healthy", consecutiveFailures: 0, circuitOpenUntil: null, lastError: null });
  });

  it("lets an admin's check close the circuit at once", async () => {
    await setBroken(true);
    await apiJson("/v1/agents/switch/check", { method: "POST" });
    for (let i = 0; i < 5; i++) await apiJson("/v1/agents/switch/check", { method: "POST" });
    expect((await apiJson("/v1/agents/switch")).status).toBe("down");
    await setBroken(false);
    expect(await apiJson("/v1/agents/switch/check", { method: "POST" })).toMatchObject({ status: "healthy", circuitOpenUntil: null });
  });
});
