/**
 * Proves how an answer to `POST {url}/run` is read: a result with its usage (cleaned of anything that is
 * not a non-negative number), and failures sorted into "retry" (5xx, 408, 429) and "fail the step"
 * (NonRetryableError, other 4xx, redirects, no `{ output }`), with the agent's own message. The requests
 * themselves are proven against a real HTTP agent in test/agents/http-steps.test.ts.
 */
import { describe, expect, it } from "vitest";
import { runOutcome } from "./http-agent-client.ts";

const apiError = (message: string, name?: string) => JSON.stringify({ error: { code: "x", message, ...(name ? { details: { name } } : {}) } });

describe("runOutcome", () => {
  it("reads a result and its usage", () => {
    expect(runOutcome(200, null, JSON.stringify({ output: { a: 1 }, usage: { costUsd: 0.5, inputTokens: 10, outputTokens: "many", cachedTokens: -1 } }))).toEqual({
      ok: true,
      result: { output: { a: 1 }, usage: { costUsd: 0.5, inputTokens: 10 } },
    });
    expect(runOutcome(200, null, JSON.stringify({ output: null }))).toEqual({ ok: true, result: { output: null } });
  });

  it("fails the step on an answer without { output }", () => {
    expect(runOutcome(200, null, "<html>")).toMatchObject({ ok: false, retryable: false, error: { code: "invalid_agent_result" } });
    expect(runOutcome(204, null, "")).toMatchObject({ ok: false, retryable: false });
  });

  it("retries server errors, timeouts and rate limits, with the agent's message", () => {
    expect(runOutcome(500, null, apiError("database down"))).toEqual({ ok: false, retryable: true, error: { code: "agent_error", message: "HTTP 500: database down" } });
    expect(runOutcome(503, null, "")).toMatchObject({ retryable: true, error: { message: "HTTP 503: (no body)" } });
    expect(runOutcome(429, null, "slow down")).toMatchObject({ retryable: true, error: { message: 'HTTP 429: "slow down"' } });
    expect(runOutcome(408, null, "")).toMatchObject({ retryable: true });
  });

  it("fails the step on a NonRetryableError, a client error or a redirect", () => {
    expect(runOutcome(500, null, apiError("bad input.theme", "NonRetryableError"))).toEqual({
      ok: false,
      retryable: false,
      error: { code: "non_retryable", message: "HTTP 500: bad input.theme" },
    });
    expect(runOutcome(400, null, apiError("input.theme: required"))).toMatchObject({ retryable: false, error: { code: "non_retryable" } });
    expect(runOutcome(302, "https://elsewhere.example/run", "")).toMatchObject({
      retryable: false,
      error: { code: "agent_redirected", message: expect.stringContaining("https://elsewhere.example/run") },
    });
  });
});
