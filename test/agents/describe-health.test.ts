/**
 * Proves every sample agent answers `describe()` and `health()` per the contract over its service binding:
 * the name it gives is the name its binding implies (the orchestrator registers it under that name), its
 * input and output are object JSON Schemas, pricing is non-negative numbers, and it is healthy; the llm
 * agent, which runs on its stand-in here, says so (test/agents/llm.test.ts covers it unconfigured). It does not prove the schemas match
 * what `run` accepts: the pipeline and input-validation tests do that.
 */
import { describe, expect, it } from "vitest";
import { agent, sampleAgents } from "../support/agents.ts";

describe.each(sampleAgents)("%s", (name) => {
  it("describes itself under its binding's name with object schemas", async () => {
    const description = await agent(name).describe();
    expect(description.name).toBe(name);
    expect(description.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(description.description.length).toBeGreaterThan(10);
    expect(description.input).toMatchObject({ type: "object", properties: expect.any(Object) });
    expect(description.output).toMatchObject({ type: "object", properties: expect.any(Object) });
    for (const price of Object.values(description.pricing ?? {})) {
      expect(price).toBeGreaterThanOrEqual(0);
    }
  });

  if (name === "llm") {
    it("is healthy on the stand-in, and says it is the stand-in and what to set for a real model", async () => {
      const health = await agent(name).health();
      expect(health.ok).toBe(true);
      expect(health.detail).toContain("stand-in");
      expect(health.detail).toContain("LLM_BASE_URL");
    });
  } else {
    it("is healthy", async () => {
      expect(await agent(name).health()).toEqual({ ok: true });
    });
  }
});
