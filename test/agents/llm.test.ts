/**
 * Proves the optional llm agent never pretends. Unconfigured and without the stand-in, it says so: health
 * is not ok and names the settings to add, and a run fails the step at once (NonRetryableError) with the
 * same advice rather than being retried. With `LLM_STAND_IN=1` (as npm start and this suite set it) it
 * answers offline, deterministically, marked as the stand-in in its model, its text and its log, and a
 * `schema` gets JSON that fits it. It never calls a model here.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AgentService, LogLevel } from "#shared/agent.ts";
import { validateJson } from "../../workers/orchestrator/src/agents/json-schema.ts";
import { agent, taskFor } from "../support/agents.ts";

const stub = env.LLM_UNCONFIGURED as unknown as AgentService;
const unconfigured: AgentService = {
  describe: async () => await stub.describe(),
  health: async () => await stub.health(),
  run: async (task) => await stub.run(task),
};

describe("llm agent, unconfigured", () => {
  it("reports itself unhealthy and names the settings to add", async () => {
    const health = await unconfigured.health();
    expect(health).toEqual({ ok: false, detail: expect.stringContaining("LLM_BASE_URL, LLM_API_KEY and LLM_MODEL are not set") });
    expect(health.detail).toContain("wrangler secret put");
  });

  it("fails a run at once, without retries, saying why", async () => {
    await expect(unconfigured.run(taskFor({ prompt: "Say hello" }))).rejects.toMatchObject({
      name: "NonRetryableError",
      message: expect.stringContaining("the llm agent is not configured: LLM_BASE_URL"),
    });
  });

  it("still describes its input, so templates using it validate", async () => {
    const description = await unconfigured.describe();
    expect(description.input).toMatchObject({ type: "object", required: ["prompt"] });
    expect(description.pricing).toBeUndefined();
  });
});

describe("llm agent on the stand-in (LLM_STAND_IN=1, no endpoint)", () => {
  const llm = agent("llm");

  it("answers deterministically, and marks the answer as the stand-in's", async () => {
    const logs: [LogLevel, string][] = [];
    const task = taskFor({ prompt: "Summarise the history of tea" }, { log: async (level, message) => void logs.push([level, message]) });
    const first = await llm.run(task);
    const second = await llm.run(taskFor({ prompt: "Summarise the history of tea" }));
    expect(first.output).toEqual(second.output);
    expect(first.output).toMatchObject({ model: "stand-in", standIn: true, text: expect.stringMatching(/^\[stand-in\] .*Summarise the history of tea/) });
    expect(first.usage).toMatchObject({ costUsd: 0, inputTokens: expect.any(Number) });
    expect(logs).toEqual([["warn", expect.stringContaining("stand-in")]]);
    expect((await llm.describe()).description).toContain("stand-in");
  });

  it("answers a schema with JSON that fits it, and different prompts pick different enum values", async () => {
    const schema = {
      type: "object",
      properties: {
        category: { type: "string", enum: ["billing", "technical", "sales", "other"] },
        urgency: { type: "integer", minimum: 1, maximum: 5 },
        tags: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 4 },
        nested: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] },
      },
      required: ["category", "urgency", "tags", "nested"],
    };
    const categories = new Set<unknown>();
    for (let i = 0; i < 12; i++) {
      const { output } = await llm.run(taskFor({ prompt: `message number ${i}`, schema }));
      const data = (output as { data: Record<string, unknown> }).data;
      expect(validateJson(schema, data, "data")).toEqual([]);
      categories.add(data.category);
    }
    expect(categories.size).toBeGreaterThan(1);
  });
});
