/**
 * writer: turns the researcher's outline into an article, one section per outline entry, in the tone
 * asked for, citing facts by id and listing their sources at the end. Returns the article as sections
 * and as Markdown, with its word count, ready for the inspector.
 */
import { z } from "zod";
import type { AgentPricing } from "#shared/agent.ts";
import { defineAgent } from "#shared/agent-kit.ts";
import { nonEmptyString } from "#shared/agent-schema.ts";
import { estimateTokens, usageFor } from "#shared/agent-usage.ts";
import {
  articleSchema,
  countWords,
  factSchema,
  outlineSectionSchema,
  titleCase,
  type Article,
} from "#shared/samples/documents.ts";
import { seededRandom } from "#shared/samples/seeded.ts";

const tones = ["neutral", "friendly", "formal"] as const;
type Tone = (typeof tones)[number];

const inputSchema = z.object({
  topic: nonEmptyString(200),
  outline: z.array(outlineSectionSchema).min(1).max(20).describe("The researcher's outline"),
  facts: z.array(factSchema).max(200).default([]).describe("The researcher's facts, listed as sources when cited"),
  tone: z.enum(tones).default("neutral"),
  title: z.string().trim().min(1).max(200).optional().describe("Chosen from the topic and tone when absent"),
});

const pricing: AgentPricing = { inputPer1kTokensUsd: 0.001, outputPer1kTokensUsd: 0.004 };

const VOICE: Record<Tone, { titles: Array<(topic: string) => string>; opening: string; links: string[] }> = {
  neutral: {
    titles: [(topic) => `${topic}: An Overview`, (topic) => `Understanding ${topic}`],
    opening: "This section covers the essentials.",
    links: ["", "Also,", "In addition,", "Notably,"],
  },
  friendly: {
    titles: [(topic) => `Let's Talk About ${topic}`, (topic) => `${topic}, Explained Simply`],
    opening: "Here is the fun part.",
    links: ["Fun fact:", "Here's the thing:", "Did you know?", "And guess what:"],
  },
  formal: {
    titles: [(topic) => `On ${topic}`, (topic) => `${topic}: A Considered Review`],
    opening: "The evidence is summarised below.",
    links: ["Furthermore,", "Moreover,", "It is worth noting that", "Evidence indicates that"],
  },
};

export default defineAgent({
  name: "writer",
  version: "1.0.0",
  description: "Writes an article from an outline and facts, in a chosen tone, as sections and Markdown.",
  input: inputSchema,
  output: articleSchema,
  pricing,
  async run(input, _task, report) {
    const voice = VOICE[input.tone];
    const random = seededRandom(`writer|${input.topic.toLowerCase()}|${input.tone}`);
    const title = input.title ?? random.pick(voice.titles)(titleCase(input.topic));

    const sections: Article["sections"] = [];
    for (const [index, entry] of input.outline.entries()) {
      const sentences = entry.points.map((point) => joinLink(random.pick(voice.links), point));
      sections.push({ heading: entry.heading, body: [voice.opening, ...sentences].join(" ") });
      await report.progress(index + 1, input.outline.length, `wrote "${entry.heading}"`);
    }
    const cited = input.facts.filter((fact) => sections.some((section) => section.body.includes(`[${fact.id}]`)));
    const markdown = [
      `# ${title}`,
      ...sections.map((section) => `## ${section.heading}\n\n${section.body}`),
      ...(cited.length ? [`## Sources\n\n${cited.map((fact) => `- [${fact.id}] ${fact.source}`).join("\n")}`] : []),
    ].join("\n\n");

    const article: Article = { title, topic: input.topic, sections, text: markdown, wordCount: countWords(markdown) };
    await report.log("info", `wrote "${title}": ${sections.length} sections, ${article.wordCount} words, ${input.tone} tone`);
    const inputTokens = estimateTokens(JSON.stringify(input.outline) + JSON.stringify(input.facts));
    return { output: article, usage: usageFor(pricing, inputTokens, estimateTokens(markdown)) };
  },
});

/** "Notably," + "Bees dance." → "Notably, bees dance."; after ":" or "?" the capital stays. */
function joinLink(link: string, sentence: string): string {
  if (!link) return sentence;
  const lowered = /(,|that)$/.test(link) ? sentence.charAt(0).toLowerCase() + sentence.slice(1) : sentence;
  return `${link} ${lowered}`;
}
