/**
 * strategist: the ebook pipeline's decision. From a market analysis it decides go or no-go (opportunity:
 * demand discounted by competition, against a threshold), and picks the title, page count, art style and
 * price, and writes the brief the illustrator draws from. Same analysis, same plan.
 */
import { z } from "zod";
import type { AgentPricing } from "#shared/agent.ts";
import { defineAgent } from "#shared/agent-kit.ts";
import { nonEmptyString } from "#shared/agent-schema.ts";
import { estimateTokens, usageFor } from "#shared/agent-usage.ts";
import { marketAnalysisSchema, titleCase } from "#shared/samples/documents.ts";
import { seededRandom } from "#shared/samples/seeded.ts";

const inputSchema = z.object({
  analysis: marketAnalysisSchema
    .partial({ market: true, saturation: true, keywords: true, audience: true, suggestedPriceUsd: true, brief: true })
    .extend({ theme: nonEmptyString(200) })
    .describe("market-scout's output"),
  pages: z.int().min(1).max(100).optional().describe("Page count to plan for; chosen from the analysis when absent"),
  minOpportunity: z.int().min(0).max(100).default(30).describe("Opportunity score needed for a go"),
});

const outputSchema = z.object({
  decision: z.enum(["go", "no-go"]),
  opportunity: z.int().min(0).max(100),
  reason: z.string(),
  title: z.string(),
  subtitle: z.string(),
  pageCount: z.int().min(1).max(100),
  style: z.string().describe("Art direction for the illustrator"),
  priceUsd: z.number(),
  brief: z.string(),
});
export type Strategy = z.infer<typeof outputSchema>;

const pricing: AgentPricing = { inputPer1kTokensUsd: 0.001, outputPer1kTokensUsd: 0.003 };

const TITLES = [
  (theme: string) => `The Little Book of ${theme}`,
  (theme: string) => `${theme}: A Picture Journey`,
  (theme: string) => `Hello, ${theme}!`,
  (theme: string) => `Wonders of ${theme}`,
  (theme: string) => `${theme} from A to Z`,
] as const;
const MEDIUMS = ["watercolor", "ink and wash", "flat vector", "soft pastel", "woodcut", "paper collage"] as const;
const PALETTES = ["warm", "cool", "earthy", "vivid", "muted", "sunset"] as const;

export default defineAgent({
  name: "strategist",
  version: "1.0.0",
  description: "Decides go or no-go for a book from a market analysis, and plans its title, length, style and price.",
  input: inputSchema,
  output: outputSchema,
  pricing,
  async run({ analysis, pages, minOpportunity }, _task, report) {
    const { demandScore, competitorCount } = analysis;
    const random = seededRandom(`strategist|${analysis.theme.toLowerCase()}|${demandScore}|${competitorCount}`);

    // Each competitor takes a little of the demand, up to half of it.
    const crowding = Math.min(competitorCount, 500) / 1000;
    const opportunity = Math.round(demandScore * (1 - crowding));
    const decision = opportunity >= minOpportunity ? "go" : "no-go";
    const reason =
      `opportunity ${opportunity}/100 (demand ${demandScore}, ${competitorCount} competitors) ` +
      `is ${decision === "go" ? "at least" : "below"} the ${minOpportunity} needed`;

    const theme = titleCase(analysis.theme);
    const title = random.pick(TITLES)(theme);
    const subtitle = `An illustrated book for ${analysis.audience ?? "curious readers"}`;
    const pageCount = pages ?? (analysis.saturation === "high" ? random.int(32, 48) : random.int(16, 32));
    const style = `${random.pick(MEDIUMS)}, ${random.pick(PALETTES)} palette`;
    // Crowded markets reward a lower price.
    const listPrice = (analysis.suggestedPriceUsd ?? 4.99) - (crowding > 0.2 ? 1 : 0);
    const priceUsd = Math.max(0.99, Math.round(listPrice * 100) / 100);
    const brief = `${title}. ${analysis.brief ?? `An illustrated book about ${analysis.theme}.`} Art style: ${style}.`;

    const output: Strategy = { decision, opportunity, reason, title, subtitle, pageCount, style, priceUsd, brief };
    await report.log(decision === "go" ? "info" : "warn", `${decision}: "${title}", ${pageCount} pages, ${style} (${reason})`);
    const usage = usageFor(pricing, estimateTokens(JSON.stringify(analysis)), estimateTokens(JSON.stringify(output)));
    return { output, usage };
  },
});
