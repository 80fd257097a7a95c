/**
 * The llm agent's settings, all secrets or vars of its own Worker. They are optional (the offline demo
 * runs without them), so they are not declared in wrangler.toml and `wrangler types` cannot see them:
 * hence the interface here.
 */
import type { AgentPricing } from "#shared/agent.ts";

export interface LlmEnv {
  /** Base URL of an OpenAI-compatible API, e.g. https://api.openai.com/v1. */
  LLM_BASE_URL?: string;
  LLM_API_KEY?: string;
  LLM_MODEL?: string;
  LLM_INPUT_USD_PER_1K?: string;
  LLM_OUTPUT_USD_PER_1K?: string;
  /** "1": with no endpoint set, answer with the deterministic stand-in (stand-in.ts) instead of refusing. */
  LLM_STAND_IN?: string;
}

/** The stand-in answers only where no endpoint is set and it was asked for: a configured model always wins. */
export function standInEnabled(env: LlmEnv): boolean {
  return ["1", "true", "yes"].includes(env.LLM_STAND_IN?.trim().toLowerCase() ?? "");
}

export interface LlmConfig {
  chatCompletionsUrl: string;
  apiKey: string;
  model: string;
  pricing: AgentPricing;
}

/** The settings, or what is missing and how to set it. */
export function readConfig(env: LlmEnv): { config: LlmConfig } | { problem: string } {
  const baseUrl = env.LLM_BASE_URL?.trim();
  const apiKey = env.LLM_API_KEY?.trim();
  const model = env.LLM_MODEL?.trim();
  if (!baseUrl || !apiKey || !model) {
    const missing = Object.entries({ LLM_BASE_URL: baseUrl, LLM_API_KEY: apiKey, LLM_MODEL: model })
      .filter(([, value]) => !value)
      .map(([name]) => name);
    const names = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(", ")} and ${missing.at(-1)}`;
    return {
      problem:
        `${names} ${missing.length === 1 ? "is" : "are"} not set: set ${missing.length === 1 ? "it" : "them"} with ` +
        "`wrangler secret put <NAME> -c workers/agents/llm/wrangler.toml`, or in workers/agents/llm/.dev.vars locally",
    };
  }
  if (!URL.canParse(baseUrl)) return { problem: `LLM_BASE_URL is not a URL: "${baseUrl}"` };
  return {
    config: {
      chatCompletionsUrl: `${baseUrl.replace(/\/+$/, "")}/chat/completions`,
      apiKey,
      model,
      pricing: {
        inputPer1kTokensUsd: price(env.LLM_INPUT_USD_PER_1K),
        outputPer1kTokensUsd: price(env.LLM_OUTPUT_USD_PER_1K),
      },
    },
  };
}

function price(value: string | undefined): number {
  const parsed = Number(value ?? 0);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : 0;
}
