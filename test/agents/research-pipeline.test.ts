/**
 * Proves the research → write → review agents make a reviewed article when chained the way the sample
 * template chains them, each over its service binding: the outline and facts fit the writer, the article
 * fits the inspector and passes it, every fact the writer cites is listed as a source, the word count is
 * true, tone changes the text, and the same input always gives the same output.
 */
import { describe, expect, it } from "vitest";
import type { AgentResult } from "#shared/agent.ts";
import { countWords, type Article } from "#shared/samples/documents.ts";
import type { Research } from "../../workers/agents/researcher/src/index.ts";
import { agent, recorder, taskFor } from "../support/agents.ts";

async function research(topic: string, sections = 3) {
  return (await agent("researcher").run(taskFor({ topic, sections, factsPerSection: 2 }))) as AgentResult<Research>;
}

async function write(found: Research, tone = "neutral") {
  const input = { topic: found.topic, outline: found.outline, facts: found.facts, tone };
  return (await agent("writer").run(taskFor(input))) as AgentResult<Article>;
}

describe("research pipeline agents", () => {
  it("research a topic into an outline of cited facts", async () => {
    const record = recorder();
    const result = (await agent("researcher").run(
      taskFor({ topic: "urban beekeeping", sections: 3, factsPerSection: 2 }, record.callbacks),
    )) as AgentResult<Research>;
    const { outline, facts, keywords } = result.output;
    expect(outline).toHaveLength(3);
    expect(facts).toHaveLength(6);
    expect(new Set(facts.map((fact) => fact.claim)).size).toBe(6);
    for (const section of outline) {
      expect(section.heading.toLowerCase()).toContain("urban beekeeping");
      expect(section.points).toHaveLength(2);
      for (const point of section.points) expect(point).toMatch(/ \[f\d+\]$/);
    }
    expect(facts.map((fact) => fact.id)).toEqual(["f1", "f2", "f3", "f4", "f5", "f6"]);
    expect(keywords[0]).toBe("urban beekeeping");
    expect(record.progress.map((tick) => `${tick.current}/${tick.total}`)).toEqual(["1/3", "2/3", "3/3"]);
    expect(record.logs[0]?.message).toBe('researched "urban beekeeping": 3 sections, 6 facts');
    expect(result.usage?.costUsd).toBeGreaterThan(0);
  });

  it("write an article from the research that cites its sources and counts its words", async () => {
    const found = (await research("urban beekeeping")).output;
    const { output: article, usage } = await write(found);
    expect(article.sections.map((section) => section.heading)).toEqual(found.outline.map((section) => section.heading));
    expect(article.text.startsWith(`# ${article.title}\n\n## ${found.outline[0]?.heading}`)).toBe(true);
    for (const fact of found.facts) {
      expect(article.text).toContain(`[${fact.id}]`);
      expect(article.text).toContain(`- [${fact.id}] ${fact.source}`);
    }
    expect(article.wordCount).toBe(countWords(article.text));
    expect(usage?.outputTokens).toBeGreaterThan(0);
  });

  it("write differently in another tone", async () => {
    const found = (await research("sourdough baking")).output;
    const neutral = await write(found, "neutral");
    const formal = await write(found, "formal");
    expect(formal.output.text).not.toBe(neutral.output.text);
    expect(formal.output.title).not.toBe(neutral.output.title);
  });

  it("pass review by the inspector", async () => {
    const article = (await write((await research("tide pools")).output)).output;
    const review = await agent("inspector").run(taskFor({ article, rules: { minWords: 50 } }));
    expect(review.output).toEqual({ kind: "article", passed: true, score: 100, issues: [] });
  });

  it("give the same research and article for the same input", async () => {
    const first = await research("tide pools", 4);
    const again = await research("tide pools", 4);
    expect(again).toEqual(first);
    expect(await write(again.output, "friendly")).toEqual(await write(first.output, "friendly"));
    expect((await research("glaciers", 4)).output.facts).not.toEqual(first.output.facts);
  });
});
