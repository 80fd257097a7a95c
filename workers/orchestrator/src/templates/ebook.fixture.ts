/** The docs/architecture.md "Template" example and a registry that knows its agents, shared by the validation tests. */
import type { AgentStatus, TemplateValidationContext } from "./validate.ts";

/** A fresh copy each time, so that a test can break it without touching the others. */
export function ebookTemplate() {
  return {
    id: "ebook",
    name: "Ebook production",
    description: "…",
    params: {
      theme: { type: "string", required: true },
      pages: { type: "integer", default: 30, minimum: 1, maximum: 100 },
    } as Record<string, Record<string, unknown>>,
    steps: [
      {
        id: "analyze",
        agent: "market-scout",
        input: { theme: "{{params.theme}}" },
        retry: { limit: 3, delayMs: 500, backoff: "exponential" },
        timeoutMs: 30000,
      },
      {
        id: "images",
        agent: "image-gen",
        needs: ["analyze"],
        input: { brief: "{{steps.analyze.output.brief}}", count: "{{params.pages}}" },
      },
      { id: "review", type: "approval", needs: ["images"], message: "Publish {{params.theme}}?" },
      { id: "publish", agent: "publisher", needs: ["review"], locks: ["storefront"] },
    ] as Record<string, unknown>[],
    concurrency: { limit: 2, key: "{{params.theme}}" },
    rateLimit: { key: "{{params.theme}}", limit: 3, window: "30d" },
    priority: 0,
    budget: { maxCostUsd: 2.0 },
    schedule: { cron: "0 * * * *", params: { theme: "space" } } as Record<string, unknown>,
  };
}

const registry: Record<string, AgentStatus> = {
  "market-scout": "available",
  "image-gen": "available",
  publisher: "available",
  echo: "available",
  legacy: "disabled",
};

export const registeredAgents: TemplateValidationContext = {
  agentStatus: (name) => registry[name] ?? "unknown",
  agentNames: () => Object.keys(registry),
  templateExists: (id) => id === "ebook" || id === "cover",
};
