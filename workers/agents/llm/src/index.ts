/**
 * llm: a real language model as a pipeline step, over any OpenAI-compatible chat-completions API
 * (OpenAI, OpenRouter, a local llama.cpp or vLLM server...). Optional: unconfigured, it reports itself
 * unhealthy and fails its steps at once with what to set, unless `LLM_STAND_IN=1` asks for the
 * deterministic stand-in (stand-in.ts), which answers offline and says so in every output. Usage is the
 * token counts the API reports. With `schema`, the answer is JSON fitting it, parsed into `data`.
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
import { readConfig, standInEnabled, type LlmEnv } from "./config.ts";
import { STAND_IN_MODEL, standInText, standInValue } from "./stand-in.ts";

const inputSchema = z.object({
  prompt: nonEmptyString(200_000),
  system: z.string().max(50_000).optional().describe("System message"),
  maxTokens: z.int().min(1).max(200_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  schema: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Answer with JSON that fits this JSON Schema; the parsed answer is output.data"),
});
type LlmInput = z.infer<typeof inputSchema>;

const outputSchema = z.object({
  text: z.string(),
  model: z.string(),
  finishReason: z.string().nullable(),
  data: z.unknown().optional().describe("The JSON answer, when the input asked for a schema"),
  standIn: z.boolean().describe("true: the answer is the offline stand-in's, not a model's"),
});
type Completion = z.infer<typeof outputSchema>;

const STAND_IN_DETAIL =
  "stand-in model (LLM_STAND_IN=1, no endpoint set): deterministic offline answers marked [stand-in]; " +
  "set LLM_BASE_URL, LLM_API_KEY and LLM_MODEL for a real model";

export default class LlmAgent extends BatonAgent<LlmEnv, Completion> {
  describe(): AgentDescription {
    const settings = readConfig(this.env);
    const standIn = "problem" in settings && standInEnabled(this.env);
    return {
      name: "llm",
      version: "1.1.0",
      description: standIn
        ? `Answers a prompt with a language model; now the ${STAND_IN_DETAIL}.`
        : "Answers a prompt with a language model over an OpenAI-compatible chat-completions API.",
      input: jsonSchema(inputSchema, "input"),
      output: jsonSchema(outputSchema, "output"),
      ...("config" in settings ? { pricing: settings.config.pricing } : {}),
    };
  }

  override health(): AgentHealth {
    const settings = readConfig(this.env);
    if ("problem" in settings) return standInEnabled(this.env) ? { ok: true, detail: STAND_IN_DETAIL } : { ok: false, detail: settings.problem };
    return { ok: true, detail: `model ${settings.config.model} at ${new URL(settings.config.chatCompletionsUrl).host}` };
  }

  async run(task: AgentTask): Promise<AgentResult<Completion>> {
    const settings = readConfig(this.env);
    if ("problem" in settings) {
      if (!standInEnabled(this.env)) throw new NonRetryableError(`the llm agent is not configured: ${settings.problem}`);
      return this.standIn(task, parseInput(inputSchema, task.input));
    }
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
    const output: Completion = { text: reply.text, model: reply.model, finishReason: reply.finishReason, standIn: false };
    if (input.schema) output.data = parseAnswer(reply.text);
    return { output, usage: reply.cachedTokens === undefined ? usage : { ...usage, cachedTokens: reply.cachedTokens } };
  }

  private async standIn(task: AgentTask, input: LlmInput): Promise<AgentResult<Completion>> {
    await reporterFor(task).log("warn", `answered by the ${STAND_IN_DETAIL}`);
    const text = standInText(input.prompt, input.system);
    const output: Completion = { text, model: STAND_IN_MODEL, finishReason: "stop", standIn: true };
    if (input.schema) {
      output.data = standInValue(input.schema, input.prompt);
      output.text = JSON.stringify(output.data);
    }
    // Roughly four characters a token, so usage and budgets move as they would; the stand-in costs nothing.
    const inputTokens = Math.ceil((input.prompt.length + (input.system?.length ?? 0)) / 4);
    return { output, usage: { inputTokens, outputTokens: Math.ceil(output.text.length / 4), costUsd: 0 } };
  }
}

/** A model asked for JSON may still wrap it in a code fence; anything else unparseable is worth another attempt. */
function parseAnswer(text: string): unknown {
  const unfenced = text.trim().replace(/^```(?:json)?\s*/i, "").replace(/\s*```$/, "");
  try {
    return JSON.parse(unfenced);
  } catch {
    throw new Error(`the model was asked for JSON and answered something else: ${text.slice(0, 200)}`);
  }
}
