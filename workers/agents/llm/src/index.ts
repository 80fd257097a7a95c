/**
 * llm: a real language model as a pipeline step, over any OpenAI-compatible chat-completions API
 * (OpenAI, OpenRouter, a local llama.cpp or vLLM server...). Optional: unconfigured, it reports itself
 * unhealthy and fails its steps at once with what to set. Usage is the token counts the API reports.
 */
import { z } from "zod";
import {
  NonRetryableError,
  type AgentDescription,
  type AgentHealth,
  type AgentResult,
  type AgentTask,
} from "#shared/agent.ts";
import { BatonAgent, reporterFor } from "#shared/agent-kit.ts";
import { jsonSchema, nonEmptyString, parseInput } from "#shared/agent-schema.ts";
import { usageFor } from "#shared/agent-usage.ts";
import { complete } from "./chat-completions.ts";
import { readConfig, type LlmEnv } from "./config.ts";

const inputSchema = z.object({
  prompt: nonEmptyString(200_000),
  system: z.string().max(50_000).optional().describe("System message"),
  maxTokens: z.int().min(1).max(200_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
});

const outputSchema = z.object({
  text: z.string(),
  model: z.string(),
  finishReason: z.string().nullable(),
});
type Completion = z.infer<typeof outputSchema>;

export default class LlmAgent extends BatonAgent<LlmEnv, Completion> {
  describe(): AgentDescription {
    const settings = readConfig(this.env);
    return {
      name: "llm",
      version: "1.0.0",
      description: "Answers a prompt with a language model over an OpenAI-compatible chat-completions API.",
      input: jsonSchema(inputSchema, "input"),
      output: jsonSchema(outputSchema, "output"),
      ...("config" in settings ? { pricing: settings.config.pricing } : {}),
    };
  }

  override health(): AgentHealth {
    const settings = readConfig(this.env);
    if ("problem" in settings) return { ok: false, detail: settings.problem };
    return { ok: true, detail: `model ${settings.config.model} at ${new URL(settings.config.chatCompletionsUrl).host}` };
  }

  async run(task: AgentTask): Promise<AgentResult<Completion>> {
    const settings = readConfig(this.env);
    if ("problem" in settings) throw new NonRetryableError(`the llm agent is not configured: ${settings.problem}`);
    const input = parseInput(inputSchema, task.input);
    const { config } = settings;

    // Tokens are streamed to the step as they come when the orchestrator listens (a binding call does).
    const report = reporterFor(task);
    const reply = await complete(config, input, task.deadline, task.stream ? (text) => report.stream(text) : undefined);
    const usage = { ...usageFor(config.pricing, reply.inputTokens ?? 0, reply.outputTokens ?? 0), model: reply.model };
    await report.log(
      "info",
      `${reply.model}: ${usage.inputTokens} tokens in, ${usage.outputTokens} out, finish ${reply.finishReason ?? "unknown"}`,
    );
    const output: Completion = { text: reply.text, model: reply.model, finishReason: reply.finishReason };
    return { output, usage: reply.cachedTokens === undefined ? usage : { ...usage, cachedTokens: reply.cachedTokens } };
  }
}
