/**
 * Proves the gateway's rule for each attempt: unknown, unbound and disabled agents are refused (to be
 * confirmed against a fresh snapshot), an open circuit makes the step wait until it ends, a half-open
 * one asks for a probe, input is checked against the agent's schema (a refusal names the field), and
 * output breaking the output schema is a problem. Pure: no registry, no agent.
 */
import { describe, expect, it } from "vitest";
import { agentReadiness, outputProblem } from "./readiness.ts";
import type { RegisteredAgent } from "./registry-snapshot.ts";

const agent: RegisteredAgent = {
  name: "scout",
  kind: "binding",
  url: null,
  enabled: true,
  inputSchema: { type: "object", properties: { theme: { type: "string", minLength: 1 } }, required: ["theme"] },
  outputSchema: { type: "object", properties: { score: { type: "number" } }, required: ["score"] },
  consecutiveFailures: 0,
  circuitOpenUntil: null,
  lastError: null,
  signingSecret: null,
};

describe("agentReadiness", () => {
  it("calls an enabled, reachable agent with valid input", () => {
    expect(agentReadiness("scout", agent, true, { theme: "space" }, 0)).toEqual({ kind: "call" });
    expect(agentReadiness("scout", { ...agent, inputSchema: null }, true, "anything", 0)).toEqual({ kind: "call" });
  });

  it("refuses unknown, unreachable and disabled agents, asking for confirmation", () => {
    expect(agentReadiness("ghost", undefined, false, {}, 0)).toMatchObject({ kind: "refuse", confirm: true, error: { code: "unknown_agent" } });
    const unbound = agentReadiness("scout", agent, false, { theme: "x" }, 0);
    expect(unbound).toMatchObject({ kind: "refuse", confirm: true, error: { code: "unknown_agent", message: expect.stringContaining("AGENT_SCOUT") } });
    const disabled = agentReadiness("scout", { ...agent, enabled: false }, true, { theme: "x" }, 0);
    expect(disabled).toMatchObject({ kind: "refuse", confirm: true, error: { code: "agent_disabled", message: expect.stringContaining("/v1/agents/scout/enable") } });
  });

  it("waits for an open circuit until it ends, saying why, and probes a half-open one", () => {
    const down = { ...agent, consecutiveFailures: 5, circuitOpenUntil: 10_000, lastError: "timeout: too slow" };
    const wait = agentReadiness("scout", down, true, { theme: "x" }, 9000);
    expect(wait).toEqual({ kind: "wait", retryAt: 10_000, reason: expect.stringContaining('agent "scout" is down after 5 failures in a row (last: timeout: too slow)') });
    expect(agentReadiness("scout", down, true, { theme: "x" }, 10_000)).toMatchObject({ kind: "probe" });
    // A step on a down agent waits even when its input is bad: the check comes when the agent is back.
    expect(agentReadiness("scout", down, true, {}, 9000).kind).toBe("wait");
  });

  it("refuses input that breaks the input schema for good, naming the field", () => {
    expect(agentReadiness("scout", agent, true, { theme: "" }, 0)).toEqual({
      kind: "refuse",
      confirm: false,
      error: { code: "invalid_input", message: `The input does not match agent "scout"'s input schema: input.theme: must not be empty.` },
    });
  });
});

describe("outputProblem", () => {
  it("names output that breaks the output schema, and accepts the rest", () => {
    expect(outputProblem("scout", agent, { score: 1 })).toBeNull();
    expect(outputProblem("scout", { ...agent, outputSchema: null }, "whatever")).toBeNull();
    expect(outputProblem("scout", agent, { score: "high" })).toEqual({
      code: "invalid_output",
      message: `Agent "scout" answered with output that breaks its own output schema: output.score: must be a number (got a string).`,
    });
  });
});
