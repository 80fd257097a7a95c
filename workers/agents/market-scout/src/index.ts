/**
 * market-scout: the first step of the ebook pipeline. Sizes up the market for a theme: demand, competition,
 * keywords, audience, a price and a brief for the steps after it. The numbers are a pseudo-analysis
 * seeded by the theme, so the same theme always gets the same answer and the demo runs offline.
 */
import { z } from "zod";
import type { AgentPricing } from "#shared/agent.ts";
import { defineAgent } from "#shared/agent-kit.ts";
import { nonEmptyString } from "#shared/agent-schema.ts";
import { estimateTokens, usageFor } from "#shared/agent-usage.ts";
import { marketAnalysisSchema, type MarketAnalysis } from "#shared/samples/documents.ts";
import { seededRandom } from "#shared/samples/seeded.ts";

const inputSchema = z.object({
  theme: nonEmptyString(200).describe("What the book is about, e.g. \"deep sea creatures\""),
  market: z.string().trim().min(1).max(100).default("ebooks").describe("The storefront category to size up"),
});

const pricing: AgentPricing = { inputPer1kTokensUsd: 0.0005, outputPer1kTokensUsd: 0.0015 };

const KEYWORD_ANGLES = ["for kids", "coloring book", "bedtime stories", "activity book", "illustrated guide",
  "gift edition", "for beginners", "picture book", "fun facts", "relaxing art"] as const;
const AUDIENCES = ["children aged 4-8", "early readers", "teens", "adult hobbyists", "parents and teachers",
  "collectors"] as const;
const MOODS = ["playful", "calm", "adventurous", "dreamy", "curious"] as const;
const PRICES_USD = [2.99, 3.99, 4.99, 6.99, 9.99] as const;

export default defineAgent({
  name: "market-scout",
  version: "1.0.0",
  description: "Analyzes the market for a theme: demand score, competitors, keywords, audience, price and a brief.",
  input: inputSchema,
  output: marketAnalysisSchema,
  pricing,
  async run({ theme, market }, _task, report) {
    const random = seededRandom(`market-scout|${market.toLowerCase()}|${theme.toLowerCase()}`);

    await report.progress(1, 3, "measuring demand");
    const demandScore = random.int(35, 95);
    await report.progress(2, 3, "counting competitors");
    const competitorCount = random.int(3, 400);
    const saturation = competitorCount < 60 ? "low" : competitorCount < 200 ? "medium" : "high";
    await report.progress(3, 3, "choosing keywords");
    const term = theme.toLowerCase();
    const keywords = [term, ...random.sample(KEYWORD_ANGLES, 4).map((angle) => `${term} ${angle}`)];
    const audience = random.pick(AUDIENCES);
    const mood = random.pick(MOODS);
    const suggestedPriceUsd = random.pick(PRICES_USD);

    const brief =
      `A ${mood} illustrated ebook about ${theme} for ${audience}. Readers search for "${keywords[1]}" and ` +
      `"${keywords[2]}"; demand is ${demandScore}/100 against ${competitorCount} competing titles ` +
      `(${saturation} saturation), so stand out with a clear visual identity.`;
    const output: MarketAnalysis = {
      theme, market, demandScore, competitorCount, saturation, keywords, audience, suggestedPriceUsd, brief,
    };
    await report.log(
      "info",
      `${theme}: demand ${demandScore}/100, ${competitorCount} competitors (${saturation} saturation), ${audience}`,
    );
    return { output, usage: usageFor(pricing, estimateTokens(theme + market), estimateTokens(JSON.stringify(output))) };
  },
});
