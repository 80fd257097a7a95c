/**
 * Proves every sample agent refuses input it cannot work with by failing the step at once: the error
 * crosses the binding named NonRetryableError and its message names the bad field by path, so a user
 * reading the failed step knows what to fix. Also proves each agent's published input schema lists the
 * fields it requires.
 */
import { describe, expect, it } from "vitest";
import { agent, taskFor, type SampleAgent } from "../support/agents.ts";

const image = { id: "img-001", seed: "00c0ffee", prompt: "ink: a hidden path", width: 512, height: 512, svg: "<svg/>" };

const cases: Array<{ agent: SampleAgent; input: unknown; field: string; required?: string[] }> = [
  { agent: "echo", input: { delayMs: "soon" }, field: "input.delayMs" },
  { agent: "market-scout", input: { theme: "   " }, field: "input.theme", required: ["theme"] },
  { agent: "strategist", input: { analysis: { theme: "space" } }, field: "input.analysis.demandScore", required: ["analysis"] },
  { agent: "illustrator", input: { brief: "space", count: 101 }, field: "input.count", required: ["brief"] },
  { agent: "retoucher", input: { images: [image, { ...image, svg: "png" }] }, field: "input.images.1.svg", required: ["images"] },
  { agent: "assembler", input: { title: "Space", images: [] }, field: "input.images", required: ["title", "images"] },
  { agent: "inspector", input: { book: { title: "Space" } }, field: "input.book.author" },
  { agent: "inspector", input: { rules: {} }, field: "input.book and input.article" },
  { agent: "publisher", input: {}, field: "input.book and input.article" },
  { agent: "researcher", input: { topic: 42 }, field: "input.topic", required: ["topic"] },
  { agent: "writer", input: { topic: "bees", outline: [{ heading: "Intro" }] }, field: "input.outline.0.points", required: ["topic", "outline"] },
];

describe("input validation", () => {
  it.each(cases)("$agent names $field", async ({ agent: name, input, field, required }) => {
    await expect(agent(name).run(taskFor(input))).rejects.toMatchObject({
      name: "NonRetryableError",
      message: expect.stringContaining(field),
    });
    if (required) {
      const { input: schema } = await agent(name).describe();
      expect(schema.required).toEqual(required);
    }
  });

  it("says what a non-empty string field needs", async () => {
    await expect(agent("market-scout").run(taskFor({}))).rejects.toThrow("input.theme: must be a non-empty string");
  });
});
