/**
 * Proves the llm agent's streaming call: against a fake OpenAI-compatible server (test/support/http-agents,
 * `openai.agents.test`) that streams SSE tokens the way that API does, `complete` asks for `stream: true`,
 * passes each token on as it arrives (before the reply ends), and returns the whole text with the usage
 * from the last chunk; without a listener it makes the plain JSON call.
 */
import { describe, expect, it } from "vitest";
import { complete } from "../../workers/agents/llm/src/chat-completions.ts";

const config = { chatCompletionsUrl: "http://openai.agents.test/v1/chat/completions", apiKey: "test", model: "fake-1", pricing: {} } as Parameters<typeof complete>[0];

describe("llm agent streaming", () => {
  it("streams tokens from an OpenAI-compatible endpoint as they come", async () => {
    const deltas: { text: string; at: number }[] = [];
    const startedAt = Date.now();
    const reply = await complete(config, { prompt: "once upon a time there was a fork" }, Date.now() + 10_000, (text) => void deltas.push({ text, at: Date.now() }));
    expect(deltas.map((d) => d.text)).toEqual(["once", " upon", " a", " time", " there", " was", " a", " fork"]);
    expect(reply).toMatchObject({ text: "once upon a time there was a fork", model: "fake-1", finishReason: "stop", inputTokens: 7, outputTokens: 8 });
    // Tokens arrived over time, not all at the end.
    expect(deltas.at(-1)!.at - deltas[0]!.at).toBeGreaterThanOrEqual(150);
    expect(deltas[0]!.at - startedAt).toBeLessThan(deltas.at(-1)!.at - startedAt);
  });

  it("makes the plain call when nobody listens", async () => {
    const reply = await complete(config, { prompt: "hello there" }, Date.now() + 10_000);
    expect(reply).toMatchObject({ text: "hello there", finishReason: "stop" });
  });
});
