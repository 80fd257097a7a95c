/**
 * researcher: the first step of the research → write → review pipeline. Turns a topic into an outline
 * and the facts each section rests on. The facts are illustrative stand-ins seeded by the topic (the
 * sample runs offline): what matters is their shape, which the writer cites by id.
 */
import { z } from "zod";
import type { AgentPricing } from "#shared/agent.ts";
import { defineAgent } from "#shared/agent-kit.ts";
import { nonEmptyString } from "#shared/agent-schema.ts";
import { estimateTokens, usageFor } from "#shared/agent-usage.ts";
import {
  factSchema,
  outlineSectionSchema,
  type Fact,
  type OutlineSection,
} from "#shared/samples/documents.ts";
import { hashHex, seededRandom } from "#shared/samples/seeded.ts";
import { CLAIMS_PER_SECTION, SECTIONS } from "./sections.ts";

const inputSchema = z.object({
  topic: nonEmptyString(200).describe("What to research, e.g. \"urban beekeeping\""),
  sections: z.int().min(1).max(SECTIONS.length).default(4).describe("Sections in the outline"),
  factsPerSection: z.int().min(1).max(CLAIMS_PER_SECTION).default(2),
});

const outputSchema = z.object({
  topic: z.string(),
  outline: z.array(outlineSectionSchema),
  facts: z.array(factSchema),
  keywords: z.array(z.string()),
});
export type Research = z.infer<typeof outputSchema>;

const pricing: AgentPricing = { inputPer1kTokensUsd: 0.0005, outputPer1kTokensUsd: 0.0015 };

const ANGLES = ["basics", "history", "guide", "myths", "future", "examples", "science", "tips"] as const;

export default defineAgent({
  name: "researcher",
  version: "1.0.0",
  description: "Turns a topic into an outline of sections and the facts (with sources) each section rests on.",
  input: inputSchema,
  output: outputSchema,
  pricing,
  async run(input, _task, report) {
    const topic = input.topic.toLowerCase();
    const random = seededRandom(`researcher|${topic}`);
    // Sampled, then put back in reading order (definition before history before future).
    const chosen = random.sample(SECTIONS, input.sections).sort((a, b) => SECTIONS.indexOf(a) - SECTIONS.indexOf(b));

    const facts: Fact[] = [];
    const outline: OutlineSection[] = [];
    for (const [index, section] of chosen.entries()) {
      const points = random.sample(section.claims, input.factsPerSection).map((claim) => {
        const text = sentenceCase(claim(topic, random.int(0, 160)));
        const fact = { id: `f${facts.length + 1}`, claim: text, source: `https://example.org/sources/${hashHex(text)}` };
        facts.push(fact);
        return `${fact.claim} [${fact.id}]`;
      });
      const heading = sentenceCase(section.heading(topic));
      outline.push({ heading, points });
      await report.progress(index + 1, chosen.length, `researched "${heading}"`);
    }
    const keywords = [topic, ...random.sample(ANGLES, 3).map((angle) => `${topic} ${angle}`)];

    const output: Research = { topic: input.topic, outline, facts, keywords };
    await report.log("info", `researched "${input.topic}": ${outline.length} sections, ${facts.length} facts`);
    return { output, usage: usageFor(pricing, estimateTokens(input.topic), estimateTokens(JSON.stringify(output))) };
  },
});

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
