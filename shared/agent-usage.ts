/**
 * Usage an agent reports with its result: token counts and the cost they come to under the agent's own
 * published pricing, so the numbers in `describe().pricing` and in every result agree.
 */
import type { AgentPricing, AgentUsage } from "./agent.ts";

/** About four characters a token for English text: good enough for budgets when no tokenizer is at hand. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function usageFor(pricing: AgentPricing, inputTokens: number, outputTokens: number): AgentUsage {
  const cost =
    (inputTokens / 1000) * (pricing.inputPer1kTokensUsd ?? 0) +
    (outputTokens / 1000) * (pricing.outputPer1kTokensUsd ?? 0) +
    (pricing.perCallUsd ?? 0);
  // Rounded so sums of many small float costs stay readable and compare equal across runs.
  return { inputTokens, outputTokens, costUsd: Math.round(cost * 1e8) / 1e8 };
}
