/**
 * Proves the optional llm agent, unconfigured as it is in tests and in the offline demo, says so instead
 * of pretending: health is not ok and names the settings to add, and a run fails the step at once
 * (NonRetryableError) with the same advice rather than being retried. It never calls a model here.
 */
import { describe, expect, it } from "vitest";
import { agent, taskFor } from "../support/agents.ts";

const llm = agent("llm");

describe("llm agent, unconfigured", () => {
  it("reports itself unhealthy and names the settings to add", async () => {
    const health = await llm.health();
    expect(health).toEqual({ ok: false, detail: expect.stringContaining("LLM_BASE_URL, LLM_API_KEY and LLM_MODEL are not set") });
    expect(health.detail).toContain("wrangler secret put");
  });

  it("fails a run at once, without retries, saying why", async () => {
    await expect(llm.run(taskFor({ prompt: "Say hello" }))).rejects.toMatchObject({
      name: "NonRetryableError",
      message: expect.stringContaining("the llm agent is not configured: LLM_BASE_URL"),
    });
  });

  it("still describes its input, so templates using it validate", async () => {
    const description = await llm.describe();
    expect(description.input).toMatchObject({ type: "object", required: ["prompt"] });
    expect(description.pricing).toBeUndefined();
  });
});
